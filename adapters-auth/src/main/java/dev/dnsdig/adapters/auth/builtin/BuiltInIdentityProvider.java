package dev.dnsdig.adapters.auth.builtin;

import dev.dnsdig.adapters.auth.jwt.AccessTokenSigner;
import dev.dnsdig.adapters.auth.jwt.EcKeys;
import dev.dnsdig.adapters.auth.jwt.JwtVerifier;
import dev.dnsdig.application.port.out.IdentityProvider;
import dev.dnsdig.application.port.out.KeyPublication;
import dev.dnsdig.application.port.out.SigningKeyStore;
import dev.dnsdig.application.port.out.TokenIssuer;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in identity provider: issues ES256 access tokens for our own users with keys from the
 * {@link SigningKeyStore} (see {@link KeyRing} for first start, rotation and retirement), verifies them with
 * the shared {@link JwtVerifier}, and publishes the public keys (JWKS) and an OpenID discovery document so that
 * other services can verify our tokens too.
 */
public final class BuiltInIdentityProvider implements IdentityProvider, TokenIssuer, KeyPublication {
    public static final String NAME = "builtin";
    public static final String DEFAULT_AUDIENCE = "dnsdig-api";
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(15);
    /** Where the REST adapter serves {@link #jwks()}, relative to the base URL. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";
    /** Where the REST adapter serves {@link #openIdConfiguration(String)}, relative to the base URL. */
    public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    public static final String TOKEN_PATH = "/v1/auth/login";

    private final String issuer;
    private final String audience;
    private final Clock clock;
    private final KeyRing ring;
    private final AccessTokenSigner signer;
    private final JwtVerifier verifier;

    /** With the default audience and token lifetime and the system clock. */
    public BuiltInIdentityProvider(SigningKeyStore store, String issuer) {
        this(store, issuer, DEFAULT_AUDIENCE, DEFAULT_TOKEN_LIFETIME, Clock.systemUTC());
    }

    /** Loads the signing keys from {@code store}, generating and storing the first one if there is none. */
    public BuiltInIdentityProvider(SigningKeyStore store, String issuer, String audience, Duration tokenLifetime,
                                   Clock clock) {
        this(store, issuer, audience, tokenLifetime, clock, KeyRing.DEFAULT_MISS_RELOAD_INTERVAL,
                JwtVerifier.DEFAULT_CACHE_SIZE);
    }

    BuiltInIdentityProvider(SigningKeyStore store, String issuer, String audience, Duration tokenLifetime, Clock clock,
                            Duration missReloadInterval, int cacheSize) {
        this.signer = new AccessTokenSigner(issuer, audience, tokenLifetime);
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        this.ring = new KeyRing(store, clock, missReloadInterval);
        this.verifier = new JwtVerifier(issuer, audience, this::verificationKey,
                sub -> UserId.isValid(sub) ? Optional.of(new Subject.Local(new UserId(sub))) : Optional.empty(),
                clock, cacheSize);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verification verify(String token) {
        return verifier.verify(token);
    }

    @Override
    public AccessToken issue(UserId subject, Set<Permission> permissions, Optional<ClientId> client, Instant now) {
        KeyRing.Key key = ring.current();
        return signer.sign(key.privateKey(), key.id(), subject.value(), permissions, client.map(ClientId::value), now);
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    public Duration tokenLifetime() {
        return signer.lifetime();
    }

    /** The id of the key that signs new tokens here. */
    public String currentKeyId() {
        return ring.current().id();
    }

    /**
     * Adds a new signing key and makes it current; the previous keys keep verifying (and stay published) until
     * they retire. Other instances switch to it on their next re-read of the store.
     *
     * @return the new key's id
     */
    @Override
    public String rotate() {
        return ring.rotate().id();
    }

    /** The public keys that verify unexpired tokens, as a JWK Set (RFC 7517): no private parts. */
    @Override
    public Map<String, Object> jwks() {
        return Map.of("keys", publishedKeys().stream().map(k -> EcKeys.publicJwk(k.publicKey(), k.id())).toList());
    }

    /** The same as {@link #openIdConfiguration(String)}. */
    @Override
    public Map<String, Object> discovery(String baseUrl) {
        return openIdConfiguration(baseUrl);
    }

    /**
     * An OpenID Connect discovery document for this issuer; {@code baseUrl} is where the API is reached, e.g.
     * {@code https://dnsdig.example}. Served at {@link #DISCOVERY_PATH}; the JWKS at {@link #JWKS_PATH}.
     */
    public Map<String, Object> openIdConfiguration(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", base + JWKS_PATH);
        document.put("token_endpoint", base + TOKEN_PATH);
        document.put("grant_types_supported", List.of("password", "refresh_token"));
        document.put("response_types_supported", List.of("token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of(EcKeys.ES256));
        document.put("token_endpoint_auth_methods_supported", List.of("none"));
        document.put("scopes_supported", Arrays.stream(Permission.values()).map(Permission::scope).toList());
        document.put("claims_supported",
                List.of("iss", "aud", "sub", "exp", "iat", "nbf", "jti", JwtVerifier.PERMISSIONS_CLAIM));
        return document;
    }

    private List<KeyRing.Key> publishedKeys() {
        Instant now = clock.instant();
        return ring.keys().stream().filter(k -> !k.retired(now, signer.lifetime())).toList();
    }

    private Optional<PublicKey> verificationKey(String keyId) {
        return ring.find(keyId).filter(k -> !k.retired(clock.instant(), signer.lifetime())).map(KeyRing.Key::publicKey);
    }
}
