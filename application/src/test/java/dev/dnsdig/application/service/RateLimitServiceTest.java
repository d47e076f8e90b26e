package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.application.port.in.LimitRequests.Decision;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import dev.dnsdig.application.port.out.RateLimitStore.Window;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Fixed-window decisions: the limit, what remains, when the window resets, and that callers and policies count apart. */
class RateLimitServiceTest {
    private static final Policy THREE_PER_MINUTE = new Policy("anonymous", 3, Duration.ofMinutes(1));
    // 20 seconds into a minute
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:20Z"));
    private final InMemoryRateLimitStore store = new InMemoryRateLimitStore();
    private final RateLimitService limits = new RateLimitService(store, clock);

    @Test
    void theLimitIsAllowedAndTheNextRequestIsNot() {
        for (int remaining = 2; remaining >= 0; remaining--) {
            Decision decision = limits.check(THREE_PER_MINUTE, "192.0.2.1");
            assertTrue(decision.allowed());
            assertEquals(remaining, decision.remaining());
        }
        Decision refused = limits.check(THREE_PER_MINUTE, "192.0.2.1");
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertEquals(Duration.ofSeconds(40), refused.resetAfter());
        assertEquals(THREE_PER_MINUTE, refused.policy());
    }

    @Test
    void theNextWindowAllowsAgain() {
        for (int i = 0; i < 4; i++) {
            limits.check(THREE_PER_MINUTE, "192.0.2.1");
        }
        clock.advance(Duration.ofSeconds(40));
        Decision decision = limits.check(THREE_PER_MINUTE, "192.0.2.1");
        assertTrue(decision.allowed());
        assertEquals(2, decision.remaining());
        assertEquals(Duration.ofMinutes(1), decision.resetAfter());
    }

    @Test
    void callersAndPoliciesCountApart() {
        for (int i = 0; i < 3; i++) {
            limits.check(THREE_PER_MINUTE, "192.0.2.1");
        }
        assertTrue(limits.check(THREE_PER_MINUTE, "192.0.2.2").allowed());
        assertTrue(limits.check(new Policy("login", 3, Duration.ofMinutes(1)), "192.0.2.1").allowed());
        assertFalse(limits.check(THREE_PER_MINUTE, "192.0.2.1").allowed());
    }

    @Test
    void endedWindowsAreSweptOutOfMemory() {
        Window first = Window.containing(clock.instant(), Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            store.hit("ip:192.0.2." + i, first);
        }
        assertEquals(100, store.size());
        store.hit("ip:192.0.2.1", new Window(first.start().plusSeconds(30), Duration.ofSeconds(1)));
        assertEquals(1, store.size(), "only the counter of the current window is left");
    }

    @Test
    void policiesAreSane() {
        assertThrows(IllegalArgumentException.class, () -> new Policy("Bad Name", 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Policy("user", 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Policy("user", 1, Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> new Policy("user", 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Window(Instant.EPOCH, Duration.ZERO));
    }
}
