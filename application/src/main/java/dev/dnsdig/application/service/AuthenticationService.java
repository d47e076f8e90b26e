package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.Authenticate;
import dev.dnsdig.application.port.out.ApplicationRepository;
import dev.dnsdig.application.port.out.IdentityProvider;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Implements authentication: the bearer token is verified by whichever identity provider claims it, then the
 * user is loaded on every request, so deletion, blocking and permission changes take effect at once. A token whose
 * provider cannot check it right now (its keys cannot be fetched) is {@link Result.Unavailable}, not refused.
 */
public final class AuthenticationService implements Authenticate {
    private static final String BEARER = "bearer ";
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final List<IdentityProvider> providers;
    private final UserRepository users;
    private final Optional<ApplicationRepository> applications;

    /** Without machine clients: a token naming a client is refused. */
    public AuthenticationService(List<IdentityProvider> providers, UserRepository users) {
        this(providers, users, Optional.empty());
    }

    public AuthenticationService(List<IdentityProvider> providers, UserRepository users, ApplicationRepository applications) {
        this(providers, users, Optional.of(applications));
    }

    private AuthenticationService(List<IdentityProvider> providers, UserRepository users,
                                  Optional<ApplicationRepository> applications) {
        this.providers = List.copyOf(providers);
        this.users = users;
        this.applications = applications;
    }

    @Override
    public Result authenticate(Optional<String> authorizationHeader, Optional<Permission> required) {
        if (authorizationHeader.isEmpty() || authorizationHeader.get().isBlank()) {
            return new Result.Unauthenticated(Optional.empty(), "authentication required: send Authorization: Bearer <token>");
        }
        String header = authorizationHeader.get().strip();
        if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER) || header.length() == BEARER.length()) {
            return new Result.Unauthenticated(Optional.of("invalid_request"), "the Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(BEARER.length()).strip();
        if (token.length() > MAX_TOKEN_LENGTH || !isVisibleAscii(token)) {
            return invalidToken("malformed token");
        }
        Optional<Verification.Verified> verified = Optional.empty();
        Optional<String> rejection = Optional.empty();
        Optional<Verification.Unavailable> unavailable = Optional.empty();
        for (IdentityProvider provider : providers) {
            switch (provider.verify(token)) {
                case Verification.Verified ok -> verified = Optional.of(ok);
                case Verification.Rejected rejected -> rejection = Optional.of(rejected.reason());
                case Verification.Unavailable down -> unavailable = Optional.of(down);
                case Verification.NotMine notMine -> {
                }
            }
            if (verified.isPresent()) {
                break;
            }
        }
        if (verified.isEmpty()) {
            // a provider that could check the token and refused it has the last word; one that could not check it
            // gives no verdict: the client should try again, not throw the token away
            if (rejection.isEmpty() && unavailable.isPresent()) {
                return new Result.Unavailable(unavailable.get().reason(), unavailable.get().retryAfter());
            }
            return invalidToken(rejection.orElse("token not issued by a trusted identity provider"));
        }
        Optional<User> user = switch (verified.get().subject()) {
            case Subject.Local local -> users.findById(local.id());
            case Subject.External external -> users.findByIdentity(external.identity());
        };
        if (user.isEmpty()) {
            return invalidToken("the token's user does not exist (deleted, or never logged in here)");
        }
        if (user.get().blocked()) {
            return new Result.Forbidden("the account is blocked", Optional.empty());
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        permissions.addAll(user.get().permissions());
        verified.get().permissions().ifPresent(permissions::retainAll);
        Optional<ClientId> client = verified.get().client();
        if (client.isPresent()) {
            // looked up on every request, so deleting the application stops its tokens at once
            Optional<Application> application = applications.flatMap(repository -> repository.findById(client.get()))
                    .filter(app -> app.owner().equals(user.get().id()));
            if (application.isEmpty()) {
                return invalidToken("the token's application no longer exists");
            }
            permissions.retainAll(application.get().permissions());
        }
        Principal principal = new Principal(user.get().id(), permissions, client);
        if (required.isPresent() && !principal.may(required.get())) {
            return new Result.Forbidden("missing permission " + required.get().scope(), required);
        }
        return new Result.Authenticated(principal);
    }

    private static Result invalidToken(String description) {
        return new Result.Unauthenticated(Optional.of("invalid_token"), description);
    }

    /** Every character printable ASCII: a plain loop, as this runs on every authenticated request. */
    private static boolean isVisibleAscii(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
