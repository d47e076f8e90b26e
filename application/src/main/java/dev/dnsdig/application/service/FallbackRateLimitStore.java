package dev.dnsdig.application.service;

import dev.dnsdig.application.port.out.RateLimitStore;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rate-limit counters in a shared store, counted in this instance's memory while that store is unavailable: the
 * limits still hold (per instance, for that time), and a request that needs no database (an anonymous lookup) is
 * neither refused nor held up for want of one. Counts made meanwhile stay here; the shared count goes on from where
 * it was once the store is back.
 */
public final class FallbackRateLimitStore implements RateLimitStore {
    private final RateLimitStore shared;
    private final RateLimitStore local;
    private final LongAdder fallbacks = new LongAdder();

    public FallbackRateLimitStore(RateLimitStore shared, RateLimitStore local) {
        this.shared = shared;
        this.local = local;
    }

    @Override
    public long hit(String key, Window window) {
        return hit(key, window, 1);
    }

    @Override
    public long hit(String key, Window window, long hits) {
        try {
            return shared.hit(key, window, hits);
        } catch (StorageUnavailableException e) {
            fallbacks.increment();
            return local.hit(key, window, hits);
        }
    }

    /** Checks counted in memory because the shared store was unavailable. */
    public long fallbacks() {
        return fallbacks.sum();
    }
}
