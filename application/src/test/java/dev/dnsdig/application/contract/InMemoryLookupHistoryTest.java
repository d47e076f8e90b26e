package dev.dnsdig.application.contract;

import dev.dnsdig.application.fakes.InMemoryLookupHistory;
import dev.dnsdig.application.port.out.LookupHistory;

/** The {@link LookupHistoryContract} run against the in-memory fake, so the fake other tests rely on is proven too. */
class InMemoryLookupHistoryTest extends LookupHistoryContract {
    @Override
    protected LookupHistory newHistory() {
        return new InMemoryLookupHistory();
    }
}
