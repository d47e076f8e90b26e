package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.LimitRequests;
import dev.dnsdig.application.port.out.RateLimitStore;
import dev.dnsdig.application.port.out.RateLimitStore.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Rate limiting by fixed windows: each request is one hit (a batch one per question) on its caller's counter for the current window. */
public final class RateLimitService implements LimitRequests {
    private final RateLimitStore store;
    private final Clock clock;

    public RateLimitService(RateLimitStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Decision check(Policy policy, String caller, int requests) {
        if (requests < 1) {
            throw new IllegalArgumentException("a check counts at least one request, not " + requests);
        }
        Instant now = clock.instant();
        Window window = Window.containing(now, policy.window());
        // one counter per policy and caller; the store sees a digest of the caller: a fixed length whatever the
        // request sent, and no e-mail address at rest
        long count = store.hit(policy.name() + ":" + Secrets.sha256Hex(caller), window, requests);
        return new Decision(policy, count <= policy.limit(), Math.max(0, policy.limit() - count),
                Duration.between(now, window.end()));
    }
}
