package dev.dnsdig.application.contract;

import dev.dnsdig.application.fakes.InMemoryLoginStateStore;
import dev.dnsdig.application.port.out.LoginStateStore;

/** The in-memory login state store keeps the contract. */
class InMemoryLoginStateStoreTest extends LoginStateStoreContract {
    @Override
    protected LoginStateStore newStore() {
        return new InMemoryLoginStateStore();
    }
}
