package dev.dnsdig.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.port.out.LoginStateStore;
import dev.dnsdig.application.port.out.LoginStateStore.LoginState;
import dev.dnsdig.application.port.out.LoginStateStore.Taken;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LoginStateStore} must do: states work once, expire by the clock, and never collide. */
public abstract class LoginStateStoreContract {
    // millisecond instants: what every store keeps
    private static final Instant T0 = Instant.parse("2001-02-03T04:05:06.789Z");
    private LoginStateStore store;

    protected abstract LoginStateStore newStore();

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    private static LoginState state(String id, Optional<String> json) {
        return new LoginState(id, "oidc", "nonce-" + id, "verifier-" + id, json, T0, T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void aSavedStateIsTakenBackWhole() {
        LoginState saved = state("state-aaaaaaaa", Optional.of("{\"a\":1}"));
        assertTrue(store.save(saved));
        assertEquals(saved, assertInstanceOf(Taken.Found.class, store.take("state-aaaaaaaa", T0.plusSeconds(1))).state());
    }

    @Test
    void aStateWorksOnce() {
        store.save(state("state-bbbbbbbb", Optional.empty()));
        assertInstanceOf(Taken.Found.class, store.take("state-bbbbbbbb", T0));
        assertInstanceOf(Taken.Unknown.class, store.take("state-bbbbbbbb", T0));
    }

    @Test
    void anExpiredStateIsExpiredByTheClockNotByATtl() {
        store.save(state("state-cccccccc", Optional.empty()));
        assertInstanceOf(Taken.Expired.class, store.take("state-cccccccc", T0.plus(Duration.ofMinutes(10))));
        assertInstanceOf(Taken.Unknown.class, store.take("state-cccccccc", T0), "and it is gone");
    }

    @Test
    void unknownStatesAndDuplicates() {
        assertInstanceOf(Taken.Unknown.class, store.take("never-issued", T0));
        assertTrue(store.save(state("state-dddddddd", Optional.empty())));
        assertFalse(store.save(state("state-dddddddd", Optional.empty())));
    }

    @Test
    void concurrentCallbacksWithOneStateLetExactlyOneThrough() throws Exception {
        store.save(state("state-eeeeeeee", Optional.empty()));
        ConcurrentLinkedQueue<Taken> results = new ConcurrentLinkedQueue<>();
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Thread.ofPlatform().start(() -> results.add(store.take("state-eeeeeeee", T0)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(1, results.stream().filter(Taken.Found.class::isInstance).count());
    }
}
