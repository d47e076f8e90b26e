package dev.dnsdig.application.contract;

import dev.dnsdig.application.fakes.InMemoryApplicationRepository;
import dev.dnsdig.application.port.out.ApplicationRepository;

/** The {@link ApplicationRepositoryContract} run against the in-memory fake, so the fake other tests rely on is proven too. */
class InMemoryApplicationRepositoryTest extends ApplicationRepositoryContract {
    @Override
    protected ApplicationRepository newRepository() {
        return new InMemoryApplicationRepository();
    }
}
