package dev.dnsdig.adapters.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.auth.jwt.JwtVerifier;
import dev.dnsdig.application.port.out.ExternalLoginProvider;
import dev.dnsdig.application.port.out.IdentityProvider;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.Permission;
import io.jsonwebtoken.Claims;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An OpenID Connect provider, found by discovery: the authorization-code flow with PKCE for logging in
 * ({@link ExternalLoginProvider}), and, when an API audience is configured, the provider's own access tokens as
 * bearer tokens ({@link IdentityProvider}).
 *
 * <p>The discovery document is fetched on first use and kept (a failed fetch is tried again on the next use); the
 * signing keys come from its {@code jwks_uri}, cached by key id, with an unknown key id refetching them at most
 * once per {@code jwksRefetchInterval}. Signatures: RS256 and ES256. Every HTTP call is HTTP/1.1 with
 * {@code timeout} for connecting and for the whole exchange.
 *
 * <p>id_token checks (OIDC Core 3.1.3.7): signature by a JWKS key, {@code iss} equal to the issuer, {@code aud}
 * containing our client id, {@code azp} equal to our client id when present and required when {@code aud} has
 * several values, {@code exp} (required) and {@code nbf} with 30 s of skew, {@code iat} (required) not more than
 * the skew in the future, {@code nonce} equal to the one of the login, {@code sub} present. The id_token comes from
 * the provider itself, so keys that cannot be fetched, and a signature that its published keys do not check, make
 * the exchange {@link Exchange.Unavailable} (the provider's fault); every other failed check is
 * {@link Exchange.Rejected}.
 *
 * <p>Access tokens ({@link #verify}): a token whose unverified {@code iss} is not this issuer is
 * {@link Verification.NotMine}; otherwise signature, {@code iss}, {@code aud} (the configured audience), {@code exp}
 * and {@code nbf} are checked, and the subject is {@code External(name, sub)}; a token whose key must be fetched
 * while the JWKS cannot be had is {@link Verification.Unavailable} (no verdict, retry after the JWKS back-off). Permissions: a
 * {@value JwtVerifier#PERMISSIONS_CLAIM} list (as in Auth0's RBAC, and our own tokens) limits the token to the
 * scopes in it that we know; without it, a {@code scope} string (RFC 9068) or {@code scp} list limits the token
 * to our scopes in it, but only if it names at least one of ours (a token scoped only {@code openid profile} says
 * nothing about our API, so the user's own permissions apply); with neither, the user's permissions apply. A
 * {@code client_id} claim names the client at the provider, not one of our machine clients, and is ignored.
 * Without a configured audience every token is {@link Verification.NotMine}.
 */
public final class OidcProvider implements ExternalLoginProvider, IdentityProvider, AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_JWKS_REFETCH_INTERVAL = Duration.ofSeconds(30);
    /** Longer authorization codes are refused without asking the provider. */
    static final int MAX_CODE_LENGTH = 2048;
    private static final int MAX_SUBJECT_LENGTH = 255;
    private static final int MAX_DESCRIPTION_LENGTH = 200;

    static final String WRONG_ISSUER = "id_token: wrong issuer";
    static final String WRONG_NONCE = "id_token: nonce does not match the login";
    static final String NO_NONCE = "id_token: no nonce";
    static final String AZP = "id_token: issued to another client (azp)";
    static final String NO_AZP = "id_token: several audiences but no azp";
    static final String NO_IAT = "id_token: no issue time";
    static final String FUTURE_IAT = "id_token: issued in the future";
    static final String SUBJECT = "id_token: invalid subject";
    static final String INVALID_SUBJECT = "invalid subject";
    static final String NO_ID_TOKEN = "the identity provider's token response has no id_token";
    static final String UNPUBLISHED_KEY = "the id_token's signing key is not among the identity provider's published keys";
    static final String WRONG_KEY = "the id_token does not verify with the identity provider's published key of its id";

    private final OidcSettings settings;
    private final Clock clock;
    private final OidcHttp http;
    private final Discovery discovery;
    private final JwksCache jwks;
    private final JwtVerifier idTokens;
    private final Optional<JwtVerifier> accessTokens;

    public OidcProvider(OidcSettings settings) {
        this(settings, Clock.systemUTC(), DEFAULT_TIMEOUT, DEFAULT_JWKS_REFETCH_INTERVAL);
    }

    /**
     * @param timeout for connecting and for each whole HTTP exchange with the provider
     * @param jwksRefetchInterval the least time between two JWKS fetches caused by unknown key ids
     */
    public OidcProvider(OidcSettings settings, Clock clock, Duration timeout, Duration jwksRefetchInterval) {
        this.settings = settings;
        this.clock = clock;
        this.http = new OidcHttp(timeout);
        this.discovery = new Discovery(http, settings.issuer(), settings.discoveryUri());
        this.jwks = new JwksCache(discovery, http, clock, jwksRefetchInterval);
        // an id_token is used once: nothing to cache; its claims are read by exchange()
        this.idTokens = new JwtVerifier(settings.issuer(), settings.clientId(), JwksCache.ALGORITHMS, jwks,
                claims -> new Verification.Rejected("not used"), clock, 0);
        this.accessTokens = settings.audience().map(audience -> new JwtVerifier(settings.issuer(), audience,
                JwksCache.ALGORITHMS, jwks, this::accessToken, clock, JwtVerifier.DEFAULT_CACHE_SIZE));
    }

    public OidcSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    // ---- the login flow

    /**
     * @throws IllegalStateException (with a safe message) when the provider's discovery document cannot be had:
     *         the port has no other way to say so
     */
    @Override
    public URI authorizationUrl(AuthorizationRequest request) {
        URI endpoint;
        try {
            endpoint = discovery.get().authorizationEndpoint();
        } catch (ProviderUnavailable e) {
            throw new ExternalLoginProvider.Unavailable(e.reason());
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", settings.redirectUri().toString());
        query.put("scope", settings.scopes());
        query.put("state", request.state());
        query.put("nonce", request.nonce());
        query.put("code_challenge", request.codeChallenge());
        query.put("code_challenge_method", "S256");
        // the endpoint may carry a query of its own, which must be kept (RFC 6749 3.1)
        String base = endpoint.toString();
        String separator = endpoint.getRawQuery() == null ? "?" : base.endsWith("&") || base.endsWith("?") ? "" : "&";
        return URI.create(base + separator + OidcHttp.formEncode(query));
    }

    @Override
    public Exchange exchange(String code, String codeVerifier, String expectedNonce) {
        if (code == null || code.isBlank() || code.length() > MAX_CODE_LENGTH) {
            return new Exchange.ProviderError("invalid_grant", "the authorization code is missing or too long");
        }
        if (codeVerifier == null || codeVerifier.isBlank() || expectedNonce == null || expectedNonce.isBlank()) {
            throw new IllegalArgumentException("the code verifier and the nonce of the login are required");
        }
        Discovery.Metadata metadata;
        OidcHttp.Response response;
        try {
            metadata = discovery.get();
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "authorization_code");
            form.put("code", code);
            form.put("redirect_uri", settings.redirectUri().toString());
            form.put("code_verifier", codeVerifier);
            Optional<String> authorization;
            if (metadata.clientSecretPost()) {
                form.put("client_id", settings.clientId());
                form.put("client_secret", settings.clientSecret());
                authorization = Optional.empty();
            } else {
                // RFC 6749 2.3.1: both form-encoded before joining
                String credentials = OidcHttp.encode(settings.clientId()) + ":" + OidcHttp.encode(settings.clientSecret());
                authorization = Optional.of("Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            response = http.postForm(metadata.tokenEndpoint(), form, authorization);
        } catch (ProviderUnavailable e) {
            return new Exchange.Unavailable(e.reason());
        }
        Optional<JsonNode> json = response.json();
        if (response.status() >= 500) {
            return new Exchange.Unavailable("the identity provider's token endpoint answered HTTP " + response.status());
        }
        if (response.status() >= 400 && response.status() < 500) {
            Optional<String> error = json.flatMap(body -> OidcHttp.text(body, "error")).map(OidcProvider::errorCode)
                    .filter(e -> !e.isEmpty());
            if (error.isEmpty()) {
                return new Exchange.Unavailable("the identity provider's token endpoint answered HTTP "
                        + response.status() + " without an OAuth error");
            }
            String description = json.flatMap(body -> OidcHttp.text(body, "error_description"))
                    .map(OidcProvider::description).orElse("");
            return new Exchange.ProviderError(error.get(), description);
        }
        if (response.status() != 200) {
            return new Exchange.Unavailable("the identity provider's token endpoint answered HTTP " + response.status());
        }
        if (json.isEmpty()) {
            return new Exchange.Unavailable("the identity provider's token response is not JSON");
        }
        Optional<String> idToken = OidcHttp.text(json.get(), "id_token").filter(t -> !t.isBlank());
        if (idToken.isEmpty()) {
            return new Exchange.Unavailable(NO_ID_TOKEN);
        }
        return idToken(idToken.get(), expectedNonce);
    }

    /** Verifies the id_token and reads the profile from it. */
    private Exchange idToken(String token, String expectedNonce) {
        Claims claims;
        switch (idTokens.check(token)) {
            case JwtVerifier.Check.Passed passed -> claims = passed.claims();
            case JwtVerifier.Check.KeysUnavailable unavailable -> {
                return new Exchange.Unavailable("the identity provider's signing keys are unavailable");
            }
            // the id_token came from the provider itself, over TLS from its token endpoint: when its own keys do not
            // check it, the provider is at fault (a key it has not published yet, a broken JWKS), not the user
            case JwtVerifier.Check.Failed failed when failed.verification() instanceof Verification.Rejected rejected
                    && rejected.reason().equals(JwtVerifier.UNKNOWN_KEY) -> {
                return new Exchange.Unavailable(UNPUBLISHED_KEY);
            }
            case JwtVerifier.Check.Failed failed when failed.verification() instanceof Verification.Rejected rejected
                    && rejected.reason().equals(JwtVerifier.SIGNATURE) -> {
                return new Exchange.Unavailable(WRONG_KEY);
            }
            case JwtVerifier.Check.Failed failed -> {
                return new Exchange.Rejected(switch (failed.verification()) {
                    case Verification.NotMine notMine -> WRONG_ISSUER;
                    case Verification.Rejected rejected -> "id_token: " + rejected.reason();
                    // not answers check() gives
                    case Verification.Verified verified -> "id_token: invalid";
                    case Verification.Unavailable unavailable -> "id_token: invalid";
                });
            }
        }
        Set<String> audience = claims.getAudience() == null ? Set.of() : claims.getAudience();
        Object azp = claims.get("azp");
        if (azp != null && !settings.clientId().equals(azp)) {
            return new Exchange.Rejected(AZP);
        }
        if (azp == null && audience.size() > 1) {
            return new Exchange.Rejected(NO_AZP);
        }
        Date issuedAt;
        try {
            issuedAt = claims.getIssuedAt();
        } catch (RuntimeException e) {
            issuedAt = null; // not a number
        }
        if (issuedAt == null) {
            return new Exchange.Rejected(NO_IAT);
        }
        if (issuedAt.toInstant().isAfter(clock.instant().plus(JwtVerifier.CLOCK_SKEW))) {
            return new Exchange.Rejected(FUTURE_IAT);
        }
        if (!(claims.get("nonce") instanceof String nonce)) {
            return new Exchange.Rejected(NO_NONCE);
        }
        if (!MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8), expectedNonce.getBytes(StandardCharsets.UTF_8))) {
            return new Exchange.Rejected(WRONG_NONCE);
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank() || sub.length() > MAX_SUBJECT_LENGTH) {
            return new Exchange.Rejected(SUBJECT);
        }
        Optional<String> email = claims.get("email") instanceof String text && !text.isBlank()
                ? Optional.of(text.strip()) : Optional.empty();
        Object verified = claims.get("email_verified");
        // some providers send the boolean as a string
        boolean emailVerified = Boolean.TRUE.equals(verified) || "true".equals(verified);
        Optional<String> name = claims.get("name") instanceof String text && !text.isBlank()
                ? Optional.of(text.strip()) : Optional.empty();
        // verified says something only about an address that is there
        return new Exchange.Authenticated(new Profile(new ExternalIdentity(settings.name(), sub), email,
                email.isPresent() && emailVerified, name));
    }

    /** RFC 6749 5.2: error is %x20-21 / %x23-5B / %x5D-7E; anything else is dropped, and it is kept short. */
    private static String errorCode(String error) {
        StringBuilder safe = new StringBuilder();
        error.chars().filter(c -> c >= 0x20 && c <= 0x7E && c != '"' && c != '\\').limit(64)
                .forEach(c -> safe.append((char) c));
        return safe.toString().strip();
    }

    /** The provider's description, for a client to read: printable, one line, short. */
    private static String description(String text) {
        StringBuilder safe = new StringBuilder();
        text.codePoints().filter(c -> !Character.isISOControl(c)).limit(MAX_DESCRIPTION_LENGTH)
                .forEach(safe::appendCodePoint);
        return safe.toString().strip();
    }

    // ---- bearer tokens

    @Override
    public Verification verify(String token) {
        return accessTokens.map(verifier -> verifier.verify(token)).orElseGet(Verification.NotMine::new);
    }

    /** The claims of an access token that passed every check, read as described in the class comment. */
    private Verification accessToken(Claims claims) {
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank() || sub.length() > MAX_SUBJECT_LENGTH) {
            return new Verification.Rejected(INVALID_SUBJECT);
        }
        Optional<Set<Permission>> permissions;
        Object listed = claims.get(JwtVerifier.PERMISSIONS_CLAIM);
        if (listed != null) {
            if (!(listed instanceof Collection<?> list && list.stream().allMatch(String.class::isInstance))) {
                return new Verification.Rejected("invalid permissions claim");
            }
            permissions = Optional.of(JwtVerifier.permissions(list));
        } else {
            List<String> scopes = new ArrayList<>();
            if (claims.get("scope") instanceof String scope) {
                scopes.addAll(Arrays.asList(scope.split(" ")));
            }
            if (claims.get("scp") instanceof Collection<?> scp) {
                scp.stream().filter(String.class::isInstance).map(String.class::cast).forEach(scopes::add);
            } else if (claims.get("scp") instanceof String scp) {
                scopes.addAll(Arrays.asList(scp.split(" ")));
            }
            Set<Permission> ours = JwtVerifier.permissions(scopes);
            permissions = ours.isEmpty() ? Optional.empty() : Optional.of(ours);
        }
        Instant expiresAt = claims.getExpiration().toInstant();
        return new Verification.Verified(new Subject.External(new ExternalIdentity(settings.name(), sub)), permissions,
                expiresAt);
    }

    // ---- for the API's documentation

    /** The provider's authorization and token endpoints. */
    public record Endpoints(URI authorization, URI token) {
    }

    /** Its endpoints, from discovery; empty while that cannot be had (it is tried again on the next call). */
    public Optional<Endpoints> endpoints() {
        try {
            Discovery.Metadata metadata = discovery.get();
            return Optional.of(new Endpoints(metadata.authorizationEndpoint(), metadata.tokenEndpoint()));
        } catch (ProviderUnavailable e) {
            return Optional.empty();
        }
    }

    // ---- for tests and operations

    /** JWKS fetches so far. */
    long jwksFetches() {
        return jwks.fetches();
    }

    /** Discovery fetches so far. */
    long discoveryFetches() {
        return discovery.fetches();
    }

    /** Stops the HTTP client; calls after this fail as unavailable. */
    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "OidcProvider[" + settings + "]";
    }
}
