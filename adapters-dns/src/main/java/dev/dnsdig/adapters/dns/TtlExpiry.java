package dev.dnsdig.adapters.dns;

import com.github.benmanes.caffeine.cache.Expiry;
import java.util.function.ToLongFunction;

/** Each cache entry lives as long as its answer holds, from when it was stored; reading it does not prolong it. */
final class TtlExpiry<K, V> implements Expiry<K, V> {
    private final ToLongFunction<V> lifeNanos;

    TtlExpiry(ToLongFunction<V> lifeNanos) {
        this.lifeNanos = lifeNanos;
    }

    @Override
    public long expireAfterCreate(K key, V value, long currentTime) {
        return lifeNanos.applyAsLong(value);
    }

    @Override
    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
        return lifeNanos.applyAsLong(value);
    }

    @Override
    public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
        return currentDuration;
    }
}
