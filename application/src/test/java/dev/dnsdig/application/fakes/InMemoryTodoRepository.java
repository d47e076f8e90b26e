package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.TodoRepository;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** In-memory {@link TodoRepository}. */
public final class InMemoryTodoRepository implements TodoRepository {
    /** Newest first: creation time, then id, both descending, as the Mongo adapter sorts. */
    private static final Comparator<Todo> NEWEST_FIRST = Comparator.comparing(Todo::createdAt)
            .thenComparing(t -> t.id().value()).reversed();

    private final Map<TodoId, Todo> todos = new HashMap<>();

    @Override
    public synchronized boolean create(Todo todo) {
        return todos.putIfAbsent(todo.id(), todo) == null;
    }

    @Override
    public synchronized Optional<Todo> find(UserId owner, TodoId id) {
        return Optional.ofNullable(todos.get(id)).filter(t -> t.ownedBy(owner));
    }

    @Override
    public synchronized Page<Todo> list(UserId owner, Optional<Boolean> completed, Optional<Cursor> after, int limit) {
        List<Todo> matching = todos.values().stream()
                .filter(t -> t.ownedBy(owner))
                .filter(t -> completed.map(c -> t.content().completed() == c).orElse(true))
                .filter(t -> after.map(c -> NEWEST_FIRST.compare(t, marker(c, owner)) > 0).orElse(true))
                .sorted(NEWEST_FIRST)
                .limit(limit + 1L)
                .toList();
        return new Page<>(matching.stream().limit(limit).toList(), matching.size() > limit);
    }

    /** A todo standing where the cursor points, for comparing. */
    private static Todo marker(Cursor cursor, UserId owner) {
        return new Todo(cursor.id(), owner, dev.dnsdig.domain.todo.TodoContent.titled("cursor"), cursor.createdAt(),
                cursor.createdAt(), 0);
    }

    @Override
    public synchronized UpdateResult update(Todo changed, long expectedVersion) {
        Todo stored = todos.get(changed.id());
        if (stored == null || !stored.ownedBy(changed.owner())) {
            return new UpdateResult.NotFound();
        }
        if (stored.version() != expectedVersion) {
            return new UpdateResult.VersionConflict();
        }
        todos.put(changed.id(), changed);
        return new UpdateResult.Updated(changed);
    }

    @Override
    public synchronized DeleteResult delete(UserId owner, TodoId id, OptionalLong expectedVersion) {
        Todo stored = todos.get(id);
        if (stored == null || !stored.ownedBy(owner)) {
            return DeleteResult.NOT_FOUND;
        }
        if (expectedVersion.isPresent() && stored.version() != expectedVersion.getAsLong()) {
            return DeleteResult.VERSION_CONFLICT;
        }
        todos.remove(id);
        return DeleteResult.DELETED;
    }

    @Override
    public synchronized void deleteAllOf(UserId owner) {
        todos.values().removeIf(t -> t.ownedBy(owner));
    }
}
