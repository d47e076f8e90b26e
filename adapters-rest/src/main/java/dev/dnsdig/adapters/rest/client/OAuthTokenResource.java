package dev.dnsdig.adapters.rest.client;

import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import dev.dnsdig.adapters.rest.account.AccountJson.TokenResponse;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.application.port.in.IssueClientTokens;
import dev.dnsdig.application.port.in.LogIn;
import dev.dnsdig.application.port.in.LogIn.SessionResult;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/oauth2/token}, the OAuth 2 token endpoint (RFC 6749), open to anyone: form-encoded requests only.
 *
 * <ul>
 * <li>{@code grant_type=client_credentials}: the client authenticates with HTTP Basic or with the form fields
 * {@code client_id} and {@code client_secret} (not both); the token acts for the application's owner with the
 * application's permissions, as far as the owner still holds them. No refresh token: the client keeps its
 * credentials. A {@code scope} parameter is ignored; the response's {@code scope} says what the token carries.</li>
 * <li>{@code grant_type=refresh_token}: the same rotation as {@code /v1/auth/refresh}. User sessions belong to no
 * client, so this grant takes no client authentication, and sending some is an {@code invalid_request}.</li>
 * </ul>
 * Errors are RFC 9457 problems carrying the RFC 6749 5.2 {@code error} and {@code error_description} members:
 * {@code invalid_client} 401 (always with {@code WWW-Authenticate: Basic realm="dnsdig"}, as every 401 must have a
 * challenge), {@code invalid_request}, {@code unsupported_grant_type} and {@code invalid_grant} 400. A blocked owner
 * (or, for a refresh, a blocked user) is 403, as at {@code /v1/auth/login}: the credentials are right, the account
 * may not act.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/oauth2/token")
public class OAuthTokenResource {
    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String REFRESH_TOKEN = "refresh_token";
    private static final String CHALLENGE = "Basic realm=\"dnsdig\"";
    private static final CacheControl NO_STORE = CacheControl.valueOf("no-store");
    private static final int MAX_FIELD = 1024;

    private final IssueClientTokens clients;
    private final LogIn logIn;

    @Inject
    public OAuthTokenResource(IssueClientTokens clients, LogIn logIn) {
        this.clients = clients;
        this.logIn = logIn;
    }

    @POST
    @RateLimited
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(MultivaluedMap<String, String> body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        // without a body and a Content-Type Jersey gives no form at all: no parameters, so grant_type is missing
        MultivaluedMap<String, String> form = body == null ? new MultivaluedHashMap<>() : body;
        for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
            // RFC 6749 3.2: parameters must not be repeated
            if (parameter.getValue().size() > 1) {
                throw error(400, "invalid_request", "the parameter " + printable(parameter.getKey()) + " is repeated");
            }
        }
        Optional<String> grantType = field(form, "grant_type");
        if (grantType.isEmpty()) {
            throw error(400, "invalid_request", "grant_type is missing");
        }
        return switch (grantType.get()) {
            case CLIENT_CREDENTIALS -> clientCredentials(form, Optional.ofNullable(authorization));
            case REFRESH_TOKEN -> refresh(form, Optional.ofNullable(authorization));
            default -> throw error(400, "unsupported_grant_type",
                    "grant_type must be client_credentials or refresh_token");
        };
    }

    private Response clientCredentials(MultivaluedMap<String, String> form, Optional<String> authorization) {
        Optional<String> formId = field(form, "client_id");
        Optional<String> formSecret = field(form, "client_secret");
        String clientId;
        String clientSecret;
        if (authorization.isPresent()) {
            String[] basic = basic(authorization.get());
            if (formSecret.isPresent() || formId.isPresent() && !formId.get().equals(basic[0])) {
                throw error(400, "invalid_request",
                        "authenticate the client one way only: HTTP Basic or client_id and client_secret in the form");
            }
            clientId = basic[0];
            clientSecret = basic[1];
        } else if (formId.isPresent() && formSecret.isPresent()) {
            clientId = formId.get();
            clientSecret = formSecret.get();
        } else {
            throw invalidClient("client authentication required: HTTP Basic, or client_id and client_secret in the form");
        }
        return switch (clients.clientCredentials(clientId, clientSecret)) {
            case SessionResult.Issued issued -> tokens(issued);
            case SessionResult.Rejected rejected -> throw invalidClient(rejected.reason());
            case SessionResult.Blocked blocked -> throw blocked("the application's owner is blocked");
        };
    }

    private Response refresh(MultivaluedMap<String, String> form, Optional<String> authorization) {
        if (authorization.isPresent() || field(form, "client_id").isPresent() || field(form, "client_secret").isPresent()) {
            throw error(400, "invalid_request",
                    "grant_type=refresh_token takes no client authentication: refresh tokens belong to user sessions");
        }
        Optional<String> refreshToken = field(form, REFRESH_TOKEN);
        if (refreshToken.isEmpty()) {
            throw error(400, "invalid_request", "refresh_token is missing");
        }
        return switch (logIn.refresh(refreshToken.get())) {
            case SessionResult.Issued issued -> tokens(issued);
            case SessionResult.Rejected rejected -> throw error(400, "invalid_grant", rejected.reason());
            case SessionResult.Blocked blocked -> throw blocked("this account is blocked");
        };
    }

    private static Response tokens(SessionResult.Issued issued) {
        return Response.ok(TokenResponse.of(issued.tokens()), MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(NO_STORE).header("Pragma", "no-cache").build();
    }

    /** A form field: absent when missing or empty (RFC 6749 3.1: empty parameters count as omitted). */
    private static Optional<String> field(MultivaluedMap<String, String> form, String name) {
        Optional<String> value = Optional.ofNullable(form.getFirst(name)).filter(v -> !v.isEmpty());
        if (value.isPresent() && value.get().length() > MAX_FIELD) {
            throw error(400, "invalid_request", name + " is too long");
        }
        return value;
    }

    /** The client id and secret of an HTTP Basic header, each form-decoded (RFC 6749 2.3.1). */
    private static String[] basic(String header) {
        String value = header.strip();
        if (value.length() < 6 || !value.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            throw invalidClient("the token endpoint accepts HTTP Basic client authentication only");
        }
        String decoded;
        try {
            byte[] bytes = Base64.getDecoder().decode(value.substring(6).strip());
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw invalidClient("malformed HTTP Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || decoded.length() > 2 * MAX_FIELD) {
            throw invalidClient("malformed HTTP Basic credentials: expected client_id:client_secret");
        }
        try {
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw invalidClient("malformed HTTP Basic credentials: bad percent-encoding");
        }
    }

    private static ProblemException invalidClient(String description) {
        return new ProblemException(problem(401, "invalid_client", description).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE));
    }

    private static ProblemException blocked(String description) {
        return new ProblemException(Problem.of("blocked", "Account blocked", 403, description)
                .with("error", "unauthorized_client").with("error_description", description)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache"));
    }

    private static ProblemException error(int status, String error, String description) {
        return new ProblemException(problem(status, error, description));
    }

    private static Problem problem(int status, String error, String description) {
        String title = switch (error) {
            case "invalid_client" -> "Invalid client";
            case "invalid_grant" -> "Invalid grant";
            case "unsupported_grant_type" -> "Unsupported grant type";
            default -> "Invalid request";
        };
        return Problem.of(error.replace('_', '-'), title, status, description)
                .with("error", error).with("error_description", description)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache");
    }

    /** A parameter name as it may appear in a message: short and printable. */
    private static String printable(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return cut.codePoints().allMatch(c -> c >= ' ' && c <= '~') ? cut : "(unprintable)";
    }
}
