package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.IdentityProvider;
import dev.dnsdig.application.port.out.KeyPublication;
import dev.dnsdig.application.port.out.TokenIssuer;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test issuer and identity provider with opaque random tokens remembered in memory: for tests of the layers
 * above the token format (REST, use cases), where real signatures add nothing.
 */
public final class OpaqueTokens implements IdentityProvider, TokenIssuer, KeyPublication {
    private static final String PREFIX = "opaque.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Verification.Verified> issued = new ConcurrentHashMap<>();
    private final Map<String, Duration> unverifiable = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger rotations = new java.util.concurrent.atomic.AtomicInteger();
    private final Duration lifetime;
    private final Clock clock;

    public OpaqueTokens(Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "opaque";
    }

    @Override
    public AccessToken issue(UserId subject, Set<Permission> permissions, Optional<ClientId> client, Instant now) {
        return mint(new Subject.Local(subject), Optional.of(permissions), client, now.plus(lifetime));
    }

    /** A token for any subject, limited to any permissions, expiring whenever the test likes. */
    public AccessToken mint(Subject subject, Optional<Set<Permission>> permissions, Instant expiresAt) {
        return mint(subject, permissions, Optional.empty(), expiresAt);
    }

    /** The same, for a machine client. */
    public AccessToken mint(Subject subject, Optional<Set<Permission>> permissions, Optional<ClientId> client,
                            Instant expiresAt) {
        String token = fresh();
        issued.put(token, new Verification.Verified(subject, permissions, expiresAt, client));
        return new AccessToken(token, expiresAt);
    }

    /** A token of ours that cannot be checked now, as if our keys could not be fetched: ask again after {@code retryAfter}. */
    public String unverifiable(Duration retryAfter) {
        String token = fresh();
        unverifiable.put(token, retryAfter);
        return token;
    }

    private static String fresh() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return PREFIX + HexFormat.of().formatHex(random);
    }

    @Override
    public Verification verify(String token) {
        if (!token.startsWith(PREFIX)) {
            return new Verification.NotMine();
        }
        Duration retryAfter = unverifiable.get(token);
        if (retryAfter != null) {
            return new Verification.Unavailable("the identity provider's signing keys are unavailable", retryAfter);
        }
        Verification.Verified verified = issued.get(token);
        if (verified == null) {
            return new Verification.Rejected("unknown token");
        }
        if (!verified.expiresAt().isAfter(clock.instant())) {
            return new Verification.Rejected("token expired");
        }
        return verified;
    }

    @Override
    public Map<String, Object> jwks() {
        return Map.of("keys", List.of());
    }

    /** Opaque tokens have no keys; rotation only counts. */
    @Override
    public String rotate() {
        return "opaque-" + rotations.incrementAndGet();
    }

    @Override
    public Map<String, Object> discovery(String baseUrl) {
        return Map.of("issuer", baseUrl, "jwks_uri", baseUrl + "/.well-known/jwks.json");
    }
}
