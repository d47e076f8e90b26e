package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsdig.application.port.out.RateLimitStore;
import dev.dnsdig.application.port.out.RateLimitStore.Window;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Counts go to the shared store; while it is unavailable to this instance's memory, counted; a refusal is no outage. */
class FallbackRateLimitStoreTest {
    private static final Window WINDOW = Window.containing(Instant.parse("2026-11-21T10:00:00Z"), Duration.ofMinutes(1));

    private final InMemoryRateLimitStore shared = new InMemoryRateLimitStore();
    private volatile RuntimeException failure;
    private final RateLimitStore flaky = (key, window) -> {
        if (failure != null) {
            throw failure;
        }
        return shared.hit(key, window);
    };
    private final FallbackRateLimitStore store = new FallbackRateLimitStore(flaky, new InMemoryRateLimitStore());

    @Test
    void countsLocallyWhileTheSharedStoreIsUnavailable() {
        assertEquals(1, store.hit("k", WINDOW));
        assertEquals(3, store.hit("k", WINDOW, 2));

        failure = new StorageUnavailableException("down");
        assertEquals(1, store.hit("k", WINDOW), "counted here from zero");
        assertEquals(3, store.hit("k", WINDOW, 2));
        assertEquals(2, store.fallbacks());

        failure = null;
        assertEquals(4, store.hit("k", WINDOW), "the shared count goes on where it was");
        assertEquals(2, store.fallbacks());
    }

    @Test
    void anyOtherFailurePassesUnchanged() {
        IllegalStateException bug = new IllegalStateException("a bug");
        failure = bug;
        assertSame(bug, assertThrows(IllegalStateException.class, () -> store.hit("k", WINDOW)));
        assertEquals(0, store.fallbacks());
    }
}
