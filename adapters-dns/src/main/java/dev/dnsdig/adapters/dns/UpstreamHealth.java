package dev.dnsdig.adapters.dns;

import dev.dnsdig.application.port.out.DependencyProbe;
import dev.dnsdig.domain.dns.ProviderResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readiness of the DNS upstreams, judged from real traffic so that a probe never sends a packet of its own:
 * DOWN while every provider's latest result (younger than {@code memory}) is a failure. Old results are
 * forgotten, so an instance taken out of rotation comes back and tries again instead of staying out for good.
 */
public final class UpstreamHealth implements DependencyProbe {
    private final List<String> providers;
    private final Duration memory;
    private final Clock clock;
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    public UpstreamHealth(List<String> providers, Duration memory, Clock clock) {
        this.providers = List.copyOf(providers);
        this.memory = memory;
        this.clock = clock;
    }

    void record(String provider, ProviderResult result) {
        latest.put(provider, new Latest(result instanceof ProviderResult.Answered, clock.instant(),
                result instanceof ProviderResult.Failed failed ? failed.error() : ""));
    }

    @Override
    public Report probe() {
        Instant now = clock.instant();
        Map<String, String> details = new LinkedHashMap<>();
        int failing = 0;
        for (String provider : providers) {
            Latest last = latest.get(provider);
            if (last == null || last.at().plus(memory).isBefore(now)) {
                details.put(provider, "no recent queries");
            } else if (last.answered()) {
                details.put(provider, "answering");
            } else {
                failing++;
                details.put(provider, "failing: " + last.error());
            }
        }
        return new Report("dns", providers.isEmpty() || failing < providers.size(), details);
    }

    private record Latest(boolean answered, Instant at, String error) {
    }
}
