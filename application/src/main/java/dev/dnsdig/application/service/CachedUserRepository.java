package dev.dnsdig.application.service;

import dev.dnsdig.application.port.out.Page;
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
 */
public final class CachedUserRepository implements UserRepository {
    private final UserRepository delegate;
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<UserId, Entry> byId = new ConcurrentHashMap<>();
    // bumped around every write: a read that overlapped a write is not cached, as it may have seen the old user
    private final AtomicLong writes = new AtomicLong();

    private record Entry(Optional<User> user, long expiresAt) {
    }

    public CachedUserRepository(UserRepository delegate, Duration ttl, int maxEntries) {
        this(delegate, ttl, maxEntries, System::nanoTime);
    }

    CachedUserRepository(UserRepository delegate, Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<User> findById(UserId id) {
        long now = nanoTime.getAsLong();
        Entry cached = byId.get(id);
        if (cached != null && cached.expiresAt() - now > 0) {
            return cached.user();
        }
        long before = writes.get();
        Optional<User> user = delegate.findById(id);
        if (writes.get() == before) {
            if (byId.size() >= maxEntries) {
                byId.clear(); // crude but bounded: a burst of distinct users only costs re-reads
            }
            byId.put(id, new Entry(user, now + ttlNanos));
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
