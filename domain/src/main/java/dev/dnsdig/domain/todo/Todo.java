package dev.dnsdig.domain.todo;

import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * A user's todo. Only its owner ever sees it; {@code version} counts stored changes (it is the ETag) and
 * guards against lost updates.
 */
public record Todo(TodoId id, UserId owner, TodoContent content, Instant createdAt, Instant updatedAt, long version) {
    public Todo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new todo, version 0. */
    public static Todo create(TodoId id, UserId owner, TodoContent content, Instant now) {
        return new Todo(id, owner, content, now, now, 0);
    }

    /** The same todo with new content, as it will be stored: next version, updated now. */
    public Todo with(TodoContent newContent, Instant now) {
        return new Todo(id, owner, newContent, createdAt, now, version + 1);
    }

    public boolean ownedBy(UserId user) {
        return owner.equals(user);
    }
}
