package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.IdempotencyStore;
import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** In-memory {@link IdempotencyStore}. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Slot(UserId owner, IdempotencyKey key) {
    }

    private final Map<Slot, Entry> entries = new HashMap<>();

    @Override
    public synchronized Claim claim(Entry entry, Instant now) {
        Slot slot = new Slot(entry.owner(), entry.key());
        Entry earlier = entries.get(slot);
        if (earlier != null && earlier.expiresAt().isAfter(now)) {
            return new Claim.Taken(earlier);
        }
        entries.put(slot, entry);
        return new Claim.Claimed();
    }

    @Override
    public synchronized void complete(Entry entry) {
        entries.computeIfPresent(new Slot(entry.owner(), entry.key()), (slot, e) -> e.created().id().equals(entry.created().id())
                ? new Entry(e.owner(), e.key(), e.created(), e.expiresAt(), true) : e);
    }

    @Override
    public synchronized void deleteAllOf(UserId owner) {
        entries.keySet().removeIf(slot -> slot.owner().equals(owner));
    }
}
