package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the cache saves and when it lets go: reads by id are served from memory until a write or the TTL. */
class CachedUserRepositoryBehaviourTest {
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean unavailable;
    private final InMemoryUserRepository store = new InMemoryUserRepository();
    private final UserRepository counting = (UserRepository) java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {UserRepository.class}, (proxy, method, args) -> {
                if (method.getName().equals("findById")) {
                    reads.incrementAndGet();
                }
                if (unavailable) {
                    throw new StorageUnavailableException("down");
                }
                try {
                    return method.invoke(store, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final AtomicLong now = new AtomicLong();
    private final CachedUserRepository cache = new CachedUserRepository(counting, Duration.ofSeconds(1),
            Duration.ofMinutes(15), 100, now::get);

    private User alice() {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        return User.create(UserId.generate(t), new Email("alice@example.com"), new Username("alice"), Optional.empty(),
                Optional.empty(), List.of(), false, t);
    }

    @Test
    void repeatedReadsCostOneDatabaseRead() {
        User alice = alice();
        cache.create(alice);
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.of(alice), cache.findById(alice.id()));
        }
        assertEquals(1, reads.get());
    }

    @Test
    void aWriteThroughTheCacheIsSeenAtTheNextRead() {
        User alice = alice();
        cache.create(alice);
        cache.findById(alice.id());
        User blocked = alice.withBlockedAt(Optional.of(Instant.now()), Instant.now());
        cache.update(blocked);
        assertTrue(cache.findById(alice.id()).orElseThrow().blocked());
        cache.delete(alice.id());
        assertTrue(cache.findById(alice.id()).isEmpty());
    }

    @Test
    void someoneElsesWriteIsSeenOnceTheTtlHasPassed() {
        User alice = alice();
        store.create(alice);
        cache.findById(alice.id());
        store.update(alice.withBlockedAt(Optional.of(Instant.now()), Instant.now())); // another instance
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertTrue(!cache.findById(alice.id()).orElseThrow().blocked(), "still remembered within the TTL");
        now.addAndGet(Duration.ofMillis(2).toNanos());
        assertTrue(cache.findById(alice.id()).orElseThrow().blocked());
    }

    @Test
    void whileTheStoreIsUnavailableAUserReadLessThanTheBoundAgoIsTakenAsLastRead() {
        User alice = alice();
        store.create(alice);
        cache.findById(alice.id());
        UserId bob = alice().id();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        unavailable = true;

        assertEquals(Optional.of(alice), cache.findById(alice.id()), "past the TTL, and the store is down: as last read");
        assertEquals(2, reads.get(), "the store was asked first");
        assertThrows(StorageUnavailableException.class, () -> cache.findById(bob), "never read: nothing to serve");
        now.addAndGet(Duration.ofMinutes(15).toNanos());
        assertThrows(StorageUnavailableException.class, () -> cache.findById(alice.id()), "read too long ago");

        unavailable = false;
        assertEquals(Optional.of(alice), cache.findById(alice.id()));
    }

    @Test
    void withoutABoundNothingStaleIsServed() throws InterruptedException {
        User alice = alice();
        store.create(alice);
        CachedUserRepository strict = new CachedUserRepository(counting, Duration.ofSeconds(1), 100);
        strict.findById(alice.id());
        unavailable = true;
        assertEquals(Optional.of(alice), strict.findById(alice.id()), "within the TTL: from memory");
        Thread.sleep(1_100); // the public constructor reads the system's clock: past the TTL of a second
        assertThrows(StorageUnavailableException.class, () -> strict.findById(alice.id()));
    }
}
