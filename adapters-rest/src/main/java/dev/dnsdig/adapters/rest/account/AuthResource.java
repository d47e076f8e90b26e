package dev.dnsdig.adapters.rest.account;

import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import dev.dnsdig.adapters.rest.account.AccountJson.LoginRequest;
import dev.dnsdig.adapters.rest.account.AccountJson.RefreshRequest;
import dev.dnsdig.adapters.rest.account.AccountJson.TokenResponse;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.application.port.in.LogIn;
import dev.dnsdig.application.port.in.LogIn.SessionResult;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.Email;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /v1/auth}: password login, token refresh and logout with the built-in identity provider. */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {
    private static final CacheControl NO_STORE = CacheControl.valueOf("no-store");

    private final LogIn logIn;

    @Inject
    public AuthResource(LogIn logIn) {
        this.logIn = logIn;
    }

    @POST
    @RateLimited(RateLimited.Kind.LOGIN)
    @Path("login")
    public Response login(@NotNull @Valid LoginRequest body) {
        Email email;
        try {
            email = new Email(body.email());
        } catch (InvalidValueException e) {
            // not an address at all: the same answer as a wrong one, after the same work
            email = new Email("nobody@invalid.invalid");
        }
        return tokens(logIn.logIn(email, body.password()));
    }

    @POST
    @RateLimited
    @Path("refresh")
    public Response refresh(@NotNull @Valid RefreshRequest body) {
        return tokens(logIn.refresh(body.refreshToken()));
    }

    @POST
    @RateLimited
    @Path("logout")
    public Response logout(@NotNull @Valid RefreshRequest body) {
        logIn.logOut(body.refreshToken());
        return Response.noContent().build();
    }

    private static Response tokens(SessionResult result) {
        return switch (result) {
            case SessionResult.Issued issued -> Response.ok(TokenResponse.of(issued.tokens()))
                    .cacheControl(NO_STORE).header("Pragma", "no-cache").build();
            case SessionResult.Rejected rejected -> throw new ProblemException(
                    Problem.of("invalid-credentials", "Invalid credentials", 401, rejected.reason())
                            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dnsdig\""));
            case SessionResult.Blocked blocked -> throw new ProblemException(
                    Problem.of("blocked", "Account blocked", 403, "This account is blocked."));
        };
    }
}
