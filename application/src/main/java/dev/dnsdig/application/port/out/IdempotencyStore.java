package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * Outgoing port remembering which todo an {@code Idempotency-Key} created, per user. The store guarantees that
 * of two concurrent claims of one key exactly one wins; a record is kept at least until its {@code expiresAt}.
 */
public interface IdempotencyStore extends UserOwnedData {

    /**
     * Records the key for the todo about to be created, unless the user has a live record for it already; an
     * expired record is replaced.
     */
    Claim claim(Entry entry, Instant now);

    /**
     * Marks the entry's todo as stored, so a repeat no longer needs to check; only while the key still holds this
     * entry (same todo), never a later claim of the key.
     */
    void complete(Entry entry);

    /**
     * The todo a key created, as it was in the first response. {@code completed} is false while that todo may
     * not be stored yet (the first request is still running, or it stopped between the two writes).
     */
    record Entry(UserId owner, IdempotencyKey key, Todo created, Instant expiresAt, boolean completed) {
        public Entry {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(created, "created");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    sealed interface Claim {
        /** The key was free: this request creates the todo. */
        record Claimed() implements Claim {
        }

        /** The key was used before; the earlier entry. */
        record Taken(Entry earlier) implements Claim {
        }
    }
}
