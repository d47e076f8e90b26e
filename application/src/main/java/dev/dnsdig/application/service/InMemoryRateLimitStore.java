package dev.dnsdig.application.service;

import dev.dnsdig.application.port.out.RateLimitStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rate-limit counters in this process's memory: exact, and enough whenever one instance serves the API alone (with
 * the embedded store no other instance can share the counts anyway). It needs no technology, so it lives in the
 * core; ended windows are dropped now and then, so the memory stays bounded by the callers of recent windows.
 */
public final class InMemoryRateLimitStore implements RateLimitStore {
    /** How often at most the ended windows are swept out: a full pass over the counters each time. */
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

    private final ConcurrentHashMap<Slot, Long> counts = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> nextSweep = new AtomicReference<>(Instant.MIN);

    /** One counter: a key in a window. */
    private record Slot(String key, Window window) {
    }

    @Override
    public long hit(String key, Window window) {
        return hit(key, window, 1);
    }

    @Override
    public long hit(String key, Window window, long hits) {
        sweepBefore(window.start());
        return counts.merge(new Slot(key, window), hits, Long::sum);
    }

    /** Number of counters held: for tests of the sweep. */
    int size() {
        return counts.size();
    }

    // a window that ended before a window now being counted began is over: its counter can go
    private void sweepBefore(Instant now) {
        Instant due = nextSweep.get();
        if (now.isBefore(due) || !nextSweep.compareAndSet(due, now.plus(SWEEP_EVERY))) {
            return;
        }
        counts.keySet().removeIf(slot -> !slot.window().end().isAfter(now));
    }
}
