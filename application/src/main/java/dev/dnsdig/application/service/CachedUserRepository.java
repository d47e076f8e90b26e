package dev.dnsdig.application.service;

import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Remembers users read by id for a short time, so that authenticating a request costs no database round trip.
 * Every write made through it takes effect at the next request; a write made by another instance sharing the
 * database is seen within the time to live. Only lookups by id are cached: they are the per-request ones.
 *
 * <p>While the store is unavailable, a user read from it within {@code staleIfUnavailable} is taken as last read,
 * so that signed-in people keep what needs no database (lookups) through an outage. That is as current as anything
 * can be known then: no block, deletion or permission change can be stored while the store is down, and a change
 * made through this instance has already dropped its entry. The bound is for an outage of this instance alone: the
 * access-token lifetime, after which the token it authenticates has expired anyway.
 */
public final class CachedUserRepository implements UserRepository {
    private final UserRepository delegate;
    private final long ttlNanos;
    private final long staleNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<UserId, Entry> byId = new ConcurrentHashMap<>();
    // bumped around every write: a read that overlapped a write is not cached, as it may have seen the old user
    private final AtomicLong writes = new AtomicLong();

    private record Entry(Optional<User> user, long readAt) {
    }

    /** Never serving a user older than the TTL, not even while the store is unavailable. */
    public CachedUserRepository(UserRepository delegate, Duration ttl, int maxEntries) {
        this(delegate, ttl, Duration.ZERO, maxEntries);
    }

    public CachedUserRepository(UserRepository delegate, Duration ttl, Duration staleIfUnavailable, int maxEntries) {
        this(delegate, ttl, staleIfUnavailable, maxEntries, System::nanoTime);
    }

    CachedUserRepository(UserRepository delegate, Duration ttl, Duration staleIfUnavailable, int maxEntries,
                         LongSupplier nanoTime) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
        this.staleNanos = staleIfUnavailable.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<User> findById(UserId id) {
        long now = nanoTime.getAsLong();
        Entry cached = byId.get(id);
        if (cached != null && now - cached.readAt() < ttlNanos) {
            return cached.user();
        }
        long before = writes.get();
        Optional<User> user;
        try {
            user = delegate.findById(id);
        } catch (StorageUnavailableException e) {
            if (cached != null && now - cached.readAt() < staleNanos && byId.get(id) == cached) {
                return cached.user();
            }
            throw e;
        }
        if (writes.get() == before) {
            if (byId.size() >= maxEntries) {
                byId.clear(); // crude but bounded: a burst of distinct users only costs re-reads
            }
            byId.put(id, new Entry(user, now));
        }
        return user;
    }

    @Override
    public CreateResult create(User user) {
        return write(user.id(), () -> delegate.create(user));
    }

    @Override
    public UpdateResult update(User user) {
        return write(user.id(), () -> delegate.update(user));
    }

    @Override
    public boolean delete(UserId id) {
        return write(id, () -> delegate.delete(id));
    }

    private <T> T write(UserId id, java.util.function.Supplier<T> change) {
        writes.incrementAndGet();
        byId.remove(id);
        try {
            return change.get();
        } finally {
            byId.remove(id);
            writes.incrementAndGet();
        }
    }

    @Override
    public Optional<User> findByEmail(Email email) {
        return delegate.findByEmail(email);
    }

    @Override
    public Optional<User> findByIdentity(ExternalIdentity identity) {
        return delegate.findByIdentity(identity);
    }

    @Override
    public Page<User> list(UserFilter filter, Optional<UserId> after, int limit) {
        return delegate.list(filter, after, limit);
    }
}
