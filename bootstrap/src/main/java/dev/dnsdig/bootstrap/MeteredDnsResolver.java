package dev.dnsdig.bootstrap;

import dev.dnsdig.application.port.out.DnsResolver;
import dev.dnsdig.domain.dns.ProviderResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/** A {@link DnsResolver} that times every upstream query by provider and outcome; the core stays free of meters. */
final class MeteredDnsResolver implements DnsResolver {
    static final String UPSTREAM = "dnsdig.dns.upstream";
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};

    private final DnsResolver resolver;
    private final MeterRegistry registry;

    MeteredDnsResolver(DnsResolver resolver, MeterRegistry registry) {
        this.resolver = resolver;
        this.registry = registry;
    }

    @Override
    public ProviderResult query(UpstreamQuery query) {
        ProviderResult result = resolver.query(query);
        // an answer's DNS status (NOERROR, NXDOMAIN, SERVFAIL) or why no server answered (timeout, unreachable)
        String outcome = switch (result) {
            case ProviderResult.Answered answered -> answered.response().status().name();
            case ProviderResult.Failed failed -> failed.failure().name().toLowerCase(Locale.ROOT);
        };
        Timer.builder(UPSTREAM).description("DNS queries to upstream providers by outcome")
                .tags("provider", query.provider(), "outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry).record(result.elapsed());
        return result;
    }
}
