package dev.dnsdig.adapters.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.auth.jwt.JwtVerifier;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The provider's signing keys by key id, from its JWKS. Loaded on first use; a key id we do not know triggers a
 * refetch, but at most one fetch per {@code refetchInterval}, so a flood of tokens with random key ids costs the
 * provider one request per interval. After a failed fetch the next one may come sooner, after
 * {@value #FAILURE_RETRY_SECONDS} s (or the interval, if shorter): one request per few seconds while the provider
 * is down, and logins work again soon after it is back. A refetch replaces the whole set: keys the provider
 * rotated in appear, keys it withdrew stop verifying. Only signing keys for RS256 (RSA) and ES256 (EC P-256) with
 * a key id are kept; other entries are skipped, and a set without a single usable key is a failed fetch (it keeps
 * the keys we had).
 *
 * <p>When the last fetch failed and the key is not known, {@link #find} throws
 * {@link JwtVerifier.KeysUnavailableException} saying when it will try again: the key may well exist, we just cannot
 * tell now. Keys already known keep verifying while the provider is down.
 */
final class JwksCache implements JwtVerifier.KeyLookup {
    static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");
    static final int FAILURE_RETRY_SECONDS = 5;

    private final Discovery discovery;
    private final OidcHttp http;
    private final Clock clock;
    private final Duration refetchInterval;
    private final Duration failureRetry;
    private final ReentrantLock lock = new ReentrantLock();
    private final LongAdder fetches = new LongAdder();
    private volatile Map<String, PublicKey> keys = Map.of();
    // guarded by lock
    private Instant lastAttempt;
    private boolean lastFailed;

    JwksCache(Discovery discovery, OidcHttp http, Clock clock, Duration refetchInterval) {
        if (refetchInterval == null || refetchInterval.isNegative()) {
            throw new IllegalArgumentException("the JWKS refetch interval must not be negative");
        }
        this.discovery = discovery;
        this.http = http;
        this.clock = clock;
        this.refetchInterval = refetchInterval;
        Duration retry = Duration.ofSeconds(FAILURE_RETRY_SECONDS);
        this.failureRetry = refetchInterval.compareTo(retry) < 0 ? refetchInterval : retry;
    }

    @Override
    public Optional<PublicKey> find(String keyId) {
        PublicKey key = keys.get(keyId);
        if (key != null) {
            return Optional.of(key);
        }
        lock.lock();
        try {
            key = keys.get(keyId); // fetched by another thread while this one waited
            if (key != null) {
                return Optional.of(key);
            }
            Instant now = clock.instant();
            if (lastAttempt != null && now.isBefore(lastAttempt.plus(lastFailed ? failureRetry : refetchInterval))) {
                if (lastFailed) {
                    throw new JwtVerifier.KeysUnavailableException(Duration.between(now, lastAttempt.plus(failureRetry)));
                }
                return Optional.empty();
            }
            lastAttempt = now;
            try {
                keys = fetch();
                lastFailed = false;
            } catch (ProviderUnavailable e) {
                lastFailed = true;
                throw new JwtVerifier.KeysUnavailableException(failureRetry);
            }
            return Optional.ofNullable(keys.get(keyId));
        } finally {
            lock.unlock();
        }
    }

    /** How many JWKS fetches were attempted: for tests. */
    long fetches() {
        return fetches.sum();
    }

    private Map<String, PublicKey> fetch() throws ProviderUnavailable {
        fetches.increment();
        OidcHttp.Response response = http.get(discovery.get().jwksUri());
        if (!response.ok()) {
            throw new ProviderUnavailable("the identity provider's JWKS answered HTTP " + response.status());
        }
        JsonNode set = response.json()
                .orElseThrow(() -> new ProviderUnavailable("the identity provider's JWKS is not JSON"));
        JsonNode entries = set.get("keys");
        if (entries == null || !entries.isArray()) {
            throw new ProviderUnavailable("the identity provider's JWKS has no keys");
        }
        Map<String, PublicKey> loaded = new HashMap<>();
        for (JsonNode entry : entries) {
            signingKey(entry).ifPresent(jwk -> loaded.putIfAbsent(jwk.getId(), jwk.toKey()));
        }
        if (loaded.isEmpty()) {
            // a provider that signs tokens publishes a key to check them: an empty or wholly unusable set is broken,
            // and must not replace the keys we have
            throw new ProviderUnavailable("the identity provider's JWKS has no usable signing key");
        }
        return Map.copyOf(loaded);
    }

    /** A usable signing key, or empty for anything else (other use, algorithm or curve, no kid, malformed). */
    private static Optional<PublicJwk<?>> signingKey(JsonNode entry) {
        if (!entry.isObject()) {
            return Optional.empty();
        }
        Jwk<?> jwk;
        try {
            jwk = Jwks.parser().build().parse(entry.toString());
        } catch (RuntimeException e) {
            return Optional.empty(); // one malformed entry must not cost us the others
        }
        if (!(jwk instanceof PublicJwk<?> key) || key.getId() == null || key.getId().isBlank()) {
            return Optional.empty();
        }
        if (key.getPublicKeyUse() != null && !key.getPublicKeyUse().equals("sig")) {
            return Optional.empty();
        }
        if (key.getAlgorithm() != null && !ALGORITHMS.contains(key.getAlgorithm())) {
            return Optional.empty();
        }
        boolean usable = switch (key.toKey()) {
            case RSAPublicKey rsa -> rsa.getModulus().bitLength() >= 2048;
            case ECPublicKey ec -> ec.getParams().getCurve().getField().getFieldSize() == 256;
            default -> false;
        };
        return usable ? Optional.of(key) : Optional.empty();
    }
}
