package dev.dnsdig.adapters.auth.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.auth.jwt.AccessTokenSigner;
import dev.dnsdig.adapters.auth.jwt.EcKeys;
import dev.dnsdig.adapters.auth.jwt.JwtVerifier;
import dev.dnsdig.application.port.out.IdentityProvider;
import dev.dnsdig.application.port.out.KeyPublication;
import dev.dnsdig.application.port.out.TokenIssuer;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A test double of an identity provider: an in-memory ES256 key pair, {@link #issue} makes valid tokens, and
 * {@link #token(UserId)} mints any identity a test asks for, valid or broken in one chosen way (expired, not yet
 * valid, no exp, wrong iss or aud, alg none, HS256 signed with the public key, tampered payload, unknown kid,
 * known kid with a foreign key, custom subject, permissions or claims). {@link #verify} applies exactly the
 * built-in provider's rules (the same {@link JwtVerifier}), so what passes here passes there.
 */
public final class FakeIdentityProvider implements IdentityProvider, TokenIssuer, KeyPublication {
    public static final String NAME = "fake";
    public static final String DEFAULT_ISSUER = "https://fake-idp.dnsdig.test";
    public static final String DEFAULT_AUDIENCE = "dnsdig-api";
    public static final String KEY_ID = "fake-key-1";
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(15);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final String audience;
    private final Clock clock;
    // kid -> key pair, in creation order; rotate() adds one and makes it current
    private final Map<String, KeyPair> ring = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private volatile String currentKid = KEY_ID;
    private final AccessTokenSigner signer;
    private final JwtVerifier verifier;

    public FakeIdentityProvider() {
        this(DEFAULT_ISSUER, DEFAULT_AUDIENCE, Clock.systemUTC());
    }

    public FakeIdentityProvider(String issuer, String audience, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        this.signer = new AccessTokenSigner(issuer, audience, DEFAULT_TOKEN_LIFETIME);
        ring.put(KEY_ID, EcKeys.generate());
        this.verifier = new JwtVerifier(issuer, audience,
                kid -> Optional.ofNullable(kid).map(ring::get).map(pair -> (ECPublicKey) pair.getPublic()),
                sub -> UserId.isValid(sub) ? Optional.of(new Subject.Local(new UserId(sub))) : Optional.empty(),
                clock, JwtVerifier.DEFAULT_CACHE_SIZE);
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
        return signer.sign((ECPrivateKey) keys().getPrivate(), currentKid, subject.value(), permissions,
                client.map(ClientId::value), now);
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    public ECPublicKey publicKey() {
        return (ECPublicKey) keys().getPublic();
    }

    /** The current key's id. */
    public String keyId() {
        return currentKid;
    }

    private KeyPair keys() {
        return ring.get(currentKid);
    }

    /** A new current key, as a provider rotating its keys; tokens signed with older keys keep verifying. */
    @Override
    public String rotate() {
        synchronized (ring) {
            String kid = "fake-key-" + (ring.size() + 1);
            ring.put(kid, EcKeys.generate());
            currentKid = kid;
            return kid;
        }
    }

    /** The public key as a JWK Set, as a real provider would publish it. */
    @Override
    public Map<String, Object> jwks() {
        synchronized (ring) {
            return Map.of("keys", ring.entrySet().stream()
                    .map(e -> EcKeys.publicJwk((ECPublicKey) e.getValue().getPublic(), e.getKey())).toList());
        }
    }

    /** A minimal discovery document: issuer, JWKS location and the signing algorithm. */
    @Override
    public Map<String, Object> discovery(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return Map.of("issuer", issuer, "jwks_uri", base + "/.well-known/jwks.json",
                "id_token_signing_alg_values_supported", List.of(EcKeys.ES256));
    }

    private static byte[] json(Map<String, Object> claims) {
        try {
            return JSON.writeValueAsBytes(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims that do not serialize to JSON", e);
        }
    }

    /** A token for {@code subject}, valid unless the builder is told otherwise; valid from the clock's now. */
    public TokenBuilder token(UserId subject) {
        return new TokenBuilder(subject.value());
    }

    /**
     * Mints one token. By default: ES256 with this provider's key and kid, our iss and aud, iat = nbf = now,
     * exp = now + 15 min, a jti, and all permissions; every setter changes exactly one thing.
     */
    public final class TokenBuilder {
        private enum Signing { OURS, FOREIGN_KEY, NONE, HS256_WITH_PUBLIC_KEY }

        private final Map<String, Object> claims = new LinkedHashMap<>();
        private String keyId = currentKid;
        private Signing signing = Signing.OURS;
        private boolean tampered;

        private TokenBuilder(String subject) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            claims.put("iss", issuer);
            claims.put("aud", audience);
            claims.put("sub", subject);
            claims.put("iat", now.getEpochSecond());
            claims.put("nbf", now.getEpochSecond());
            claims.put("exp", now.plus(DEFAULT_TOKEN_LIFETIME).getEpochSecond());
            claims.put("jti", UUID.randomUUID().toString());
            claims.put(JwtVerifier.PERMISSIONS_CLAIM, AccessTokenSigner.scopes(Permission.all()));
        }

        /** Any subject text, also one that is not a user id. */
        public TokenBuilder subject(String subject) {
            return claim("sub", subject);
        }

        public TokenBuilder permissions(Set<Permission> permissions) {
            return claim(JwtVerifier.PERMISSIONS_CLAIM, AccessTokenSigner.scopes(permissions));
        }

        /** Leaves out the permissions claim: the token is not limited, the user's permissions apply. */
        public TokenBuilder withoutPermissions() {
            return without(JwtVerifier.PERMISSIONS_CLAIM);
        }

        /** Sets (or, with {@code null}, removes) any claim, e.g. a list-valued {@code aud} or a wrongly typed one. */
        public TokenBuilder claim(String name, Object value) {
            if (value == null) {
                claims.remove(name);
            } else {
                claims.put(name, value instanceof Instant instant ? instant.getEpochSecond() : value);
            }
            return this;
        }

        public TokenBuilder without(String claim) {
            claims.remove(claim);
            return this;
        }

        public TokenBuilder issuer(String issuer) {
            return claim("iss", issuer);
        }

        public TokenBuilder audience(String audience) {
            return claim("aud", audience);
        }

        public TokenBuilder issuedAt(Instant issuedAt) {
            return claim("iat", issuedAt);
        }

        public TokenBuilder notBefore(Instant notBefore) {
            return claim("nbf", notBefore);
        }

        public TokenBuilder expiresAt(Instant expiresAt) {
            return claim("exp", expiresAt);
        }

        public TokenBuilder withoutExpiry() {
            return without("exp");
        }

        /** Issued an hour ago, expired ten minutes ago (well past the clock skew). */
        public TokenBuilder expired() {
            Instant now = clock.instant();
            return issuedAt(now.minus(Duration.ofHours(1))).notBefore(now.minus(Duration.ofHours(1)))
                    .expiresAt(now.minus(Duration.ofMinutes(10)));
        }

        /** Valid from ten minutes from now (well past the clock skew). */
        public TokenBuilder notYetValid() {
            Instant now = clock.instant();
            return issuedAt(now).notBefore(now.plus(Duration.ofMinutes(10))).expiresAt(now.plus(Duration.ofMinutes(25)));
        }

        public TokenBuilder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** Signed with a foreign key under a key id nobody knows. */
        public TokenBuilder unknownKid() {
            this.signing = Signing.FOREIGN_KEY;
            return keyId("unknown-" + UUID.randomUUID());
        }

        /** Our key id, but signed with a foreign key. */
        public TokenBuilder signedWithForeignKey() {
            this.signing = Signing.FOREIGN_KEY;
            return this;
        }

        /** Unsigned: {@code alg: none} and an empty signature. */
        public TokenBuilder algNone() {
            this.signing = Signing.NONE;
            return this;
        }

        /** The key-confusion attack: HS256 with the X.509 bytes of our public key as the HMAC secret. */
        public TokenBuilder hs256WithPublicKey() {
            this.signing = Signing.HS256_WITH_PUBLIC_KEY;
            return this;
        }

        /** Properly signed, then the payload is swapped for one granting every permission with another jti. */
        public TokenBuilder tamperedPayload() {
            this.tampered = true;
            return this;
        }

        public String build() {
            // the payload is written as given, so claims may also be of the wrong type (jjwt's builder refuses that)
            JwtBuilder builder = Jwts.builder().header().keyId(keyId).type("JWT").and().content(json(claims));
            String token = switch (signing) {
                case OURS -> builder.signWith(ring.get(currentKid).getPrivate(), Jwts.SIG.ES256).compact();
                case FOREIGN_KEY -> builder.signWith(EcKeys.generate().getPrivate(), Jwts.SIG.ES256).compact();
                case NONE -> builder.compact();
                case HS256_WITH_PUBLIC_KEY -> builder
                        .signWith(Keys.hmacShaKeyFor(ring.get(currentKid).getPublic().getEncoded()), Jwts.SIG.HS256).compact();
            };
            if (!tampered) {
                return token;
            }
            Map<String, Object> changed = new LinkedHashMap<>(claims);
            changed.put(JwtVerifier.PERMISSIONS_CLAIM, AccessTokenSigner.scopes(Permission.all()));
            changed.put("jti", UUID.randomUUID().toString());
            String[] parts = token.split("\\.", -1);
            return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(json(changed)) + "." + parts[2];
        }
    }
}
