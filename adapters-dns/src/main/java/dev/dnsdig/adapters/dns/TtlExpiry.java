package dev.dnsdig.adapters.dns;

import com.github.benmanes.caffeine.cache.Expiry;
import java.util.function.ToLongFunction;

/**
 * Each cache entry lives as long as its answer holds, from when it was stored; reading it does not prolong it. The
 * life counts from the entry's own {@code storedAt} (ticker time), not from when Caffeine gets to set it: for a loaded
 * entry that is its completion callback on the loading thread, a moment after the callers already have the answer.
 */
final class TtlExpiry<K, V> implements Expiry<K, V> {
    private final ToLongFunction<V> storedAt;
    private final ToLongFunction<V> lifeNanos;

    TtlExpiry(ToLongFunction<V> storedAt, ToLongFunction<V> lifeNanos) {
        this.storedAt = storedAt;
        this.lifeNanos = lifeNanos;
    }

    /** What is left of the entry's life at {@code currentTime}; 0 once it is over (or it was never to be kept). */
    private long left(V value, long currentTime) {
        long life = lifeNanos.applyAsLong(value);
        return life <= 0 ? 0 : Math.max(0, life - (currentTime - storedAt.applyAsLong(value)));
    }

    @Override
    public long expireAfterCreate(K key, V value, long currentTime) {
        return left(value, currentTime);
    }

    @Override
    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
        return left(value, currentTime);
    }

    @Override
    public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
        return currentDuration;
    }
}
