package dev.dnsdig.adapters.auth.jwt;

import dev.dnsdig.application.port.out.IdentityProvider.Verification.Verified;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that passed every check, keyed by the exact token text, each until its own expiry: a repeated token
 * costs a map lookup instead of a signature check. Only verified tokens enter, so the size is bounded by what
 * our signers issued; past {@code capacity} the expired entries go first, then arbitrary ones.
 */
final class VerifiedTokenCache {
    private final ConcurrentHashMap<String, Verified> entries = new ConcurrentHashMap<>();
    private final int capacity;

    VerifiedTokenCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("cache capacity must not be negative");
        }
        this.capacity = capacity;
    }

    /** The earlier verification of this token, if it has not expired by {@code now}. */
    Verified get(String token, Instant now) {
        Verified hit = entries.get(token);
        if (hit == null) {
            return null;
        }
        if (!now.isBefore(hit.expiresAt())) {
            entries.remove(token, hit);
            return null;
        }
        return hit;
    }

    void put(String token, Verified verified, Instant now) {
        if (capacity == 0 || !now.isBefore(verified.expiresAt())) {
            return;
        }
        if (entries.size() >= capacity) {
            evict(now);
        }
        entries.put(token, verified);
    }

    int size() {
        return entries.size();
    }

    void clear() {
        entries.clear();
    }

    private void evict(Instant now) {
        entries.values().removeIf(v -> !now.isBefore(v.expiresAt()));
        if (entries.size() < capacity) {
            return;
        }
        int target = capacity - Math.max(1, capacity / 4);
        Iterator<String> keys = entries.keySet().iterator();
        while (entries.size() > target && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
