package dev.dnsdig.application.contract;

import dev.dnsdig.application.fakes.InMemoryIdempotencyStore;
import dev.dnsdig.application.port.out.IdempotencyStore;

/** The {@link IdempotencyStoreContract} run against the in-memory fake, so the fake other tests rely on is proven too. */
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {
    @Override
    protected IdempotencyStore newStore() {
        return new InMemoryIdempotencyStore();
    }
}
