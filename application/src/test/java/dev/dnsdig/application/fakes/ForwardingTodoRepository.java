package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.TodoRepository;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.util.Optional;
import java.util.OptionalLong;

/** A {@link TodoRepository} handing every call to another; tests override what they need to, e.g. to force races. */
public class ForwardingTodoRepository implements TodoRepository {
    protected final TodoRepository delegate;

    public ForwardingTodoRepository(TodoRepository delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean create(Todo todo) {
        return delegate.create(todo);
    }

    @Override
    public Optional<Todo> find(UserId owner, TodoId id) {
        return delegate.find(owner, id);
    }

    @Override
    public Page<Todo> list(UserId owner, Optional<Boolean> completed, Optional<Cursor> after, int limit) {
        return delegate.list(owner, completed, after, limit);
    }

    @Override
    public UpdateResult update(Todo changed, long expectedVersion) {
        return delegate.update(changed, expectedVersion);
    }

    @Override
    public DeleteResult delete(UserId owner, TodoId id, OptionalLong expectedVersion) {
        return delegate.delete(owner, id, expectedVersion);
    }

    @Override
    public void deleteAllOf(UserId owner) {
        delegate.deleteAllOf(owner);
    }
}
