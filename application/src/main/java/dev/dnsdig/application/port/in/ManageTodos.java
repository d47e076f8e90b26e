package dev.dnsdig.application.port.in;

import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.TodoRepository.Cursor;
import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoChange;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Use case: a user's own todos. Someone else's todo is reported exactly like one that does not exist. Changes
 * may carry a precondition (the versions the client last saw, from {@code If-Match}); a todo at any other version
 * is left alone and reported as {@link Change.Stale}.
 */
public interface ManageTodos {
    int MAX_PAGE = 100;
    /** How long an idempotency key is remembered. */
    Duration KEY_RETENTION = Duration.ofHours(24);

    Created create(UserId owner, TodoContent content, Optional<IdempotencyKey> key);

    Page<Todo> list(UserId owner, Optional<Boolean> completed, Optional<Cursor> after, int limit);

    Optional<Todo> get(UserId owner, TodoId id);

    Change replace(UserId owner, TodoId id, TodoContent content, Precondition precondition);

    Change patch(UserId owner, TodoId id, TodoChange change, Precondition precondition);

    Change delete(UserId owner, TodoId id, Precondition precondition);

    /** A todo changed by others on every attempt to change it: the caller may retry later (409 over HTTP). */
    final class TooManyConflicts extends IllegalStateException {
        public TooManyConflicts(String message) {
            super(message);
        }
    }

    /** Which stored versions a change may apply to: any, or only these. */
    record Precondition(Optional<Set<Long>> versions) {
        public Precondition {
            versions = versions.map(Set::copyOf);
        }

        public static Precondition none() {
            return new Precondition(Optional.empty());
        }

        public static Precondition versions(Set<Long> versions) {
            return new Precondition(Optional.of(versions));
        }

        public boolean allows(long version) {
            return versions.map(v -> v.contains(version)).orElse(true);
        }

        public boolean given() {
            return versions.isPresent();
        }
    }

    /** How a create went: a new todo, the first answer for a repeated key, or a key reused for other content. */
    sealed interface Created {
        record New(Todo todo) implements Created {
        }

        /** The same key and content as before: the todo as the first request created it. */
        record Replayed(Todo todo) implements Created {
        }

        /** The key was used for different content. */
        record KeyReused() implements Created {
        }
    }

    /** How a change or delete went. {@code Changed} carries the stored todo (the deleted one for a delete). */
    sealed interface Change {
        record Changed(Todo todo) implements Change {
        }

        record NotFound() implements Change {
        }

        /** The precondition failed: the todo is at {@code current}'s version now. */
        record Stale(Todo current) implements Change {
        }
    }
}
