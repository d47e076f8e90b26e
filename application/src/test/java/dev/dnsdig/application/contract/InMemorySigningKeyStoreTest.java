package dev.dnsdig.application.contract;

import dev.dnsdig.application.fakes.InMemorySigningKeyStore;
import dev.dnsdig.application.port.out.SigningKeyStore;

/** The {@link SigningKeyStoreContract} run against the in-memory fake, so the fake other tests rely on is proven too. */
class InMemorySigningKeyStoreTest extends SigningKeyStoreContract {
    @Override
    protected SigningKeyStore newStore() {
        return new InMemorySigningKeyStore();
    }
}
