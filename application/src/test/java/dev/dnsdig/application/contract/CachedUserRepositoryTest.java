package dev.dnsdig.application.contract;

import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.application.service.CachedUserRepository;
import java.time.Duration;

/** The cache in front of a repository keeps the repository contract, writes and races included. */
class CachedUserRepositoryTest extends UserRepositoryContract {
    @Override
    protected UserRepository newRepository() {
        return new CachedUserRepository(new InMemoryUserRepository(), Duration.ofSeconds(30), 1000);
    }
}
