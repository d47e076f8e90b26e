package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.ManageTodos;
import dev.dnsdig.application.port.out.IdempotencyStore;
import dev.dnsdig.application.port.out.IdempotencyStore.Claim;
import dev.dnsdig.application.port.out.IdempotencyStore.Entry;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.TodoRepository;
import dev.dnsdig.application.port.out.TodoRepository.Cursor;
import dev.dnsdig.application.port.out.TodoRepository.DeleteResult;
import dev.dnsdig.application.port.out.TodoRepository.UpdateResult;
import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoChange;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/** Implements a user's todos: ownership, preconditions, idempotent creation, no lost updates. */
public final class TodoService implements ManageTodos {
    /** Read-modify-write attempts before giving up on a todo that keeps changing underneath. */
    private static final int ATTEMPTS = 10;

    private final TodoRepository todos;
    private final IdempotencyStore keys;
    private final Clock clock;

    public TodoService(TodoRepository todos, IdempotencyStore keys, Clock clock) {
        this.todos = todos;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public Created create(UserId owner, TodoContent content, Optional<IdempotencyKey> key) {
        Instant now = now();
        Todo todo = Todo.create(TodoId.generate(now), owner, content, now);
        if (key.isEmpty()) {
            todos.create(todo);
            return new Created.New(todo);
        }
        // the key is claimed first, with the todo it will create: a repeat then finds the answer, and a first
        // request that stopped between the two writes is finished by its repeat
        Entry entry = new Entry(owner, key.get(), todo, now.plus(KEY_RETENTION), false);
        return switch (keys.claim(entry, now)) {
            case Claim.Claimed claimed -> {
                todos.create(todo);
                keys.complete(entry);
                yield new Created.New(todo);
            }
            case Claim.Taken taken -> {
                Entry earlier = taken.earlier();
                if (!earlier.created().content().equals(content)) {
                    yield new Created.KeyReused();
                }
                if (!earlier.completed()) {
                    todos.create(earlier.created()); // a no-op when the first request got that far
                    keys.complete(earlier);
                }
                yield new Created.Replayed(earlier.created());
            }
        };
    }

    @Override
    public Page<Todo> list(UserId owner, Optional<Boolean> completed, Optional<Cursor> after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidValueException("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        return todos.list(owner, completed, after, limit);
    }

    @Override
    public Optional<Todo> get(UserId owner, TodoId id) {
        return todos.find(owner, id);
    }

    @Override
    public Change replace(UserId owner, TodoId id, TodoContent content, Precondition precondition) {
        return change(owner, id, precondition, current -> content);
    }

    @Override
    public Change patch(UserId owner, TodoId id, TodoChange change, Precondition precondition) {
        return change(owner, id, precondition, change::applyTo);
    }

    @Override
    public Change delete(UserId owner, TodoId id, Precondition precondition) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Todo> current = todos.find(owner, id);
            if (current.isEmpty()) {
                return new Change.NotFound();
            }
            if (!precondition.allows(current.get().version())) {
                return new Change.Stale(current.get());
            }
            // always at the version read, even without a precondition: what is reported is what was deleted
            DeleteResult result = todos.delete(owner, id, OptionalLong.of(current.get().version()));
            if (result == DeleteResult.DELETED) {
                return new Change.Changed(current.get());
            }
            if (result == DeleteResult.NOT_FOUND) {
                return new Change.NotFound();
            }
            // changed since it was read: the precondition is checked again against what is stored now
        }
        throw new TooManyConflicts("todo " + id + " kept changing during " + ATTEMPTS + " attempts");
    }

    /**
     * Optimistic read-modify-write: the change applies to the version read, and is stored only if that version
     * is still the stored one; otherwise it is read again and the precondition checked again, so no update is
     * ever lost and a stale precondition always fails.
     */
    private Change change(UserId owner, TodoId id, Precondition precondition, UnaryOperator<TodoContent> modification) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Todo> read = todos.find(owner, id);
            if (read.isEmpty()) {
                return new Change.NotFound();
            }
            Todo current = read.get();
            if (!precondition.allows(current.version())) {
                return new Change.Stale(current);
            }
            TodoContent content = modification.apply(current.content());
            if (content.equals(current.content())) {
                return new Change.Changed(current); // nothing to store: same version, same ETag
            }
            switch (todos.update(current.with(content, now()), current.version())) {
                case UpdateResult.Updated updated -> {
                    return new Change.Changed(updated.todo());
                }
                case UpdateResult.NotFound notFound -> {
                    return new Change.NotFound();
                }
                case UpdateResult.VersionConflict conflict -> {
                    // someone else stored first: read again
                }
            }
        }
        throw new TooManyConflicts("todo " + id + " kept changing during " + ATTEMPTS + " attempts");
    }

    /** Milliseconds are what every store keeps, so a todo reads back exactly as it was created. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
