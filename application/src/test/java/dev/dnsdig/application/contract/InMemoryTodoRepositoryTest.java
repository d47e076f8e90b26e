package dev.dnsdig.application.contract;

import dev.dnsdig.application.fakes.InMemoryTodoRepository;
import dev.dnsdig.application.port.out.TodoRepository;

/** The {@link TodoRepositoryContract} run against the in-memory fake, so the fake other tests rely on is proven too. */
class InMemoryTodoRepositoryTest extends TodoRepositoryContract {
    @Override
    protected TodoRepository newRepository() {
        return new InMemoryTodoRepository();
    }
}
