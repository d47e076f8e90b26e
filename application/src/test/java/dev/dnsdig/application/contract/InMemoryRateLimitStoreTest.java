package dev.dnsdig.application.contract;

import dev.dnsdig.application.port.out.RateLimitStore;
import dev.dnsdig.application.service.InMemoryRateLimitStore;

/** The in-memory rate-limit store keeps the contract. */
class InMemoryRateLimitStoreTest extends RateLimitStoreContract {
    @Override
    protected RateLimitStore newStore() {
        return new InMemoryRateLimitStore();
    }
}
