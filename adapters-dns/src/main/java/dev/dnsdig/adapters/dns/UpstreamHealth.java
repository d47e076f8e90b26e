package dev.dnsdig.adapters.dns;

import dev.dnsdig.application.port.out.DependencyProbe;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.UpstreamServer;
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
 * The details also name each server that failed and has not answered since, asked last for a while
 * ({@link ServerHealth}, kept here so that both ports of the adapter share it).
 */
public final class UpstreamHealth implements DependencyProbe {
    private final List<String> providers;
    private final Duration memory;
    private final Clock clock;
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();
    private final ServerHealth servers;

    public UpstreamHealth(List<String> providers, Duration memory, Clock clock) {
        this.providers = List.copyOf(providers);
        this.memory = memory;
        this.clock = clock;
        this.servers = new ServerHealth(clock);
    }

    /** Which servers failed lately: the order in which a provider's servers are asked. */
    ServerHealth servers() {
        return servers;
    }

    /**
     * Whether the server's last try failed and it has not answered since, so that queries ask it after its provider's
     * other servers (but for a trial once in a while): for a meter.
     */
    public boolean failing(UpstreamServer server) {
        return servers.failing(server);
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
        details.putAll(servers.describe());
        return new Report("dns", providers.isEmpty() || failing < providers.size(), details);
    }

    private record Latest(boolean answered, Instant at, String error) {
    }
}
