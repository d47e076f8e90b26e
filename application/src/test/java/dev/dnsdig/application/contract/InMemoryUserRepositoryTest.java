package dev.dnsdig.application.contract;

import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.port.out.UserRepository;

/** The {@link UserRepositoryContract} run against the in-memory fake, so the fake other tests rely on is proven too. */
class InMemoryUserRepositoryTest extends UserRepositoryContract {
    @Override
    protected UserRepository newRepository() {
        return new InMemoryUserRepository();
    }
}
