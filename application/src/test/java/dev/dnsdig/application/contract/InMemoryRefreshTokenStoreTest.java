package dev.dnsdig.application.contract;

import dev.dnsdig.application.fakes.InMemoryRefreshTokenStore;
import dev.dnsdig.application.port.out.RefreshTokenStore;

/** The {@link RefreshTokenStoreContract} run against the in-memory fake, so the fake other tests rely on is proven too. */
class InMemoryRefreshTokenStoreTest extends RefreshTokenStoreContract {
    @Override
    protected RefreshTokenStore newStore() {
        return new InMemoryRefreshTokenStore();
    }
}
