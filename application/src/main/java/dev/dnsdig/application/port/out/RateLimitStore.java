package dev.dnsdig.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Outgoing port for rate-limit counters: counts hits per key in fixed windows, atomically, so that every instance
 * sharing one store sees one count. Each window is a counter of its own: an old window never has to be cleaned up
 * (or expire) for a new one to start from zero.
 */
public interface RateLimitStore {

    /** Counts one hit for {@code key} in {@code window} and returns the hits counted there so far, this one included. */
    long hit(String key, Window window);

    /**
     * Counts {@code hits} hits at once and returns the count so far. The default counts them one by one; a store that
     * can add them in one atomic step should.
     */
    default long hit(String key, Window window, long hits) {
        long count = 0;
        for (long i = 0; i < hits; i++) {
            count = hit(key, window);
        }
        return count;
    }

    /** A fixed window of time, {@code [start, start + length)}, aligned to the epoch so that every instance agrees on it. */
    record Window(Instant start, Duration length) {
        public Window {
            Objects.requireNonNull(start, "start");
            if (length.toMillis() < 1) {
                throw new IllegalArgumentException("a window lasts at least a millisecond, not " + length);
            }
        }

        /** The window of {@code length} that {@code now} falls in. */
        public static Window containing(Instant now, Duration length) {
            long millis = length.toMillis();
            return new Window(Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), millis) * millis), length);
        }

        public Instant end() {
            return start.plus(length);
        }
    }
}
