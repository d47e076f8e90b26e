package dev.dnsdig.adapters.auth.jwt;

import dev.dnsdig.application.port.out.TokenIssuer.AccessToken;
import dev.dnsdig.domain.user.Permission;
import io.jsonwebtoken.Jwts;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Signs our access tokens (ES256): header kid and typ; claims iss, aud, sub, iat, nbf, exp, jti and
 * {@value JwtVerifier#PERMISSIONS_CLAIM} (the scope strings the token is limited to). Shared by the built-in
 * issuer and the fake so both mint the same shape that {@link JwtVerifier} checks.
 */
public final class AccessTokenSigner {
    private final String issuer;
    private final String audience;
    private final Duration lifetime;

    public AccessTokenSigner(String issuer, String audience, Duration lifetime) {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("issuer and audience must not be blank");
        }
        if (lifetime == null || lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the access token lifetime must be between 1 second and 1 day");
        }
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A token for {@code subject} limited to {@code permissions}, valid from {@code now} (whole seconds, as JWTs count). */
    public AccessToken sign(ECPrivateKey key, String keyId, String subject, Set<Permission> permissions, Instant now) {
        return sign(key, keyId, subject, permissions, java.util.Optional.empty(), now);
    }

    /** The same, for a machine client acting for {@code subject}: the token names it in {@value JwtVerifier#CLIENT_CLAIM}. */
    public AccessToken sign(ECPrivateKey key, String keyId, String subject, Set<Permission> permissions,
                            java.util.Optional<String> clientId, Instant now) {
        Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = issuedAt.plus(lifetime);
        String token = Jwts.builder()
                .header().keyId(keyId).type("JWT").and()
                .issuer(issuer)
                .audience().add(audience).and()
                .subject(subject)
                .issuedAt(Date.from(issuedAt))
                .notBefore(Date.from(issuedAt))
                .expiration(Date.from(expiresAt))
                .id(UUID.randomUUID().toString())
                .claim(JwtVerifier.PERMISSIONS_CLAIM, scopes(permissions))
                .claim(JwtVerifier.CLIENT_CLAIM, clientId.orElse(null))
                .signWith(key, Jwts.SIG.ES256)
                .compact();
        return new AccessToken(token, expiresAt);
    }

    /** Permissions as sorted scope strings, the form of the {@value JwtVerifier#PERMISSIONS_CLAIM} claim. */
    public static List<String> scopes(Set<Permission> permissions) {
        return permissions.stream().map(Permission::scope).sorted().toList();
    }
}
