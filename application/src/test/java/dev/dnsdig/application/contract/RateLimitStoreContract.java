package dev.dnsdig.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsdig.application.port.out.RateLimitStore;
import dev.dnsdig.application.port.out.RateLimitStore.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimitStore} must do: count exactly, per key and window, however many callers race. */
public abstract class RateLimitStoreContract {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Window W0 = Window.containing(Instant.parse("2001-02-03T04:05:06.789Z"), MINUTE);
    private RateLimitStore store;

    protected abstract RateLimitStore newStore();

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    @Test
    void hitsOfOneKeyInOneWindowCountUpFromOne() {
        assertEquals(List.of(1L, 2L, 3L), List.of(store.hit("ip:192.0.2.1", W0), store.hit("ip:192.0.2.1", W0),
                store.hit("ip:192.0.2.1", W0)));
    }

    @Test
    void severalHitsAtOnceCountAsManyAndTheFirstOfThemCreatesTheCounter() {
        assertEquals(5, store.hit("user:batch", W0, 5), "a new counter starts at the hits counted");
        assertEquals(6, store.hit("user:batch", W0));
        assertEquals(106, store.hit("user:batch", W0, 100));
    }

    @Test
    void keysCountApart() {
        store.hit("ip:192.0.2.1", W0);
        store.hit("ip:192.0.2.1", W0);
        assertEquals(1, store.hit("ip:192.0.2.2", W0));
        assertEquals(1, store.hit("user:192.0.2.1", W0));
        assertEquals(3, store.hit("ip:192.0.2.1", W0));
    }

    @Test
    void theNextWindowStartsFromOne() {
        Window next = new Window(W0.end(), MINUTE);
        store.hit("ip:192.0.2.1", W0);
        store.hit("ip:192.0.2.1", W0);
        assertEquals(1, store.hit("ip:192.0.2.1", next), "no expiry needed: a new window is a new counter");
        assertEquals(2, store.hit("ip:192.0.2.1", next));
    }

    @Test
    void windowsOfAnotherLengthFromTheSameStartCountApart() {
        Window hour = Window.containing(W0.start(), Duration.ofHours(1));
        Window minuteAtTheHour = new Window(hour.start(), MINUTE);
        store.hit("ip:192.0.2.1", hour);
        assertEquals(1, store.hit("ip:192.0.2.1", minuteAtTheHour));
    }

    @Test
    void concurrentHitsOnOneKeyGetEveryCountFromOneToNExactlyOnce() throws Exception {
        store.hit("warm-up", W0);
        List<Long> counts = Race.run(i -> () -> store.hit("ip:198.51.100.7", W0));
        assertEquals(LongStream.rangeClosed(1, Race.THREADS).boxed().toList(), counts.stream().sorted().toList());
    }

    @Test
    void concurrentFirstHitsOfNewKeysAreNeverLost() throws Exception {
        // the first hit creates the counter: that is where two concurrent creations can collide
        for (int round = 0; round < 10; round++) {
            String key = "ip:203.0.113." + round;
            List<Long> counts = Race.run(i -> () -> store.hit(key, W0));
            assertEquals(LongStream.rangeClosed(1, Race.THREADS).boxed().toList(), counts.stream().sorted().toList(),
                    "round " + round);
        }
    }
}
