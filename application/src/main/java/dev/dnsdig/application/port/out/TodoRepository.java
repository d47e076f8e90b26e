package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Outgoing persistence port for todos. Every lookup is by owner <em>and</em> id, so one user's todo can never be
 * read, changed or deleted through another's request. Changes are optimistic on {@link Todo#version()}.
 */
public interface TodoRepository extends UserOwnedData {

    /** Stores a new todo unless one with its id exists already; true when this call stored it. */
    boolean create(Todo todo);

    Optional<Todo> find(UserId owner, TodoId id);

    /** The owner's todos, newest first (creation time, then id, both descending), after the cursor. */
    Page<Todo> list(UserId owner, Optional<Boolean> completed, Optional<Cursor> after, int limit);

    /**
     * Stores {@code changed} (same id and owner, the next version) if the stored todo is still at
     * {@code expectedVersion}.
     */
    UpdateResult update(Todo changed, long expectedVersion);

    /** Deletes the owner's todo, if {@code expectedVersion} is given only while it is still at that version. */
    DeleteResult delete(UserId owner, TodoId id, OptionalLong expectedVersion);

    /** Where a listing stopped: the last todo handed out. */
    record Cursor(Instant createdAt, TodoId id) {
        public Cursor {
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(id, "id");
        }

        public static Cursor after(Todo todo) {
            return new Cursor(todo.createdAt(), todo.id());
        }
    }

    sealed interface UpdateResult {
        record Updated(Todo todo) implements UpdateResult {
        }

        record NotFound() implements UpdateResult {
        }

        /** The stored todo has another version: someone changed it first. */
        record VersionConflict() implements UpdateResult {
        }
    }

    enum DeleteResult {
        DELETED, NOT_FOUND, VERSION_CONFLICT
    }
}
