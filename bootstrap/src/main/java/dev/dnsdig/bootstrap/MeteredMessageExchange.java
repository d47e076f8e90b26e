package dev.dnsdig.bootstrap;

import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.dns.Validation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DnsMessageExchange} (DNS-over-HTTPS and the JSON API) that times every upstream exchange by provider and
 * outcome, like {@link MeteredDnsResolver}, and counts what DNSSEC validation made of each answer. A bogus answer is
 * also logged (name, type, provider, reason): it is either an attack or a broken zone, and operators want to know which
 * names; at most one line a second, saying how many were left out, so that nobody can flood the log by asking.
 */
final class MeteredMessageExchange implements DnsMessageExchange {
    static final String VALIDATIONS = "dnsdig.dnssec.validations";
    private static final System.Logger LOG = System.getLogger(MeteredMessageExchange.class.getName());
    private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final DnsMessageExchange exchange;
    private final MeterRegistry registry;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    MeteredMessageExchange(DnsMessageExchange exchange, MeterRegistry registry) {
        this.exchange = exchange;
        this.registry = registry;
    }

    @Override
    public Checked check(byte[] message) {
        return exchange.check(message);
    }

    @Override
    public WireQuery query(dev.dnsdig.domain.dns.DomainName name, int type, boolean checkingDisabled, boolean dnssecOk) {
        return exchange.query(name, type, checkingDisabled, dnssecOk);
    }

    @Override
    public Exchanged exchange(String provider, List<UpstreamServer> servers, WireQuery query, Instant deadline) {
        long start = System.nanoTime();
        Exchanged exchanged = exchange.exchange(provider, servers, query, deadline);
        long elapsed = System.nanoTime() - start;
        String outcome = switch (exchanged) {
            case Exchanged.Answered answered -> answered.response().status().name();
            case Exchanged.Failed failed -> failed.failure().name().toLowerCase(Locale.ROOT);
        };
        Timer.builder(MeteredDnsResolver.UPSTREAM).description("DNS queries to upstream providers by outcome")
                .tags("provider", provider, "outcome", outcome)
                .serviceLevelObjectives(MeteredDnsResolver.BUCKETS)
                .register(registry).record(Duration.ofNanos(elapsed));
        if (exchanged instanceof Exchanged.Answered answered) {
            Validation validation = answered.validation();
            Counter.builder(VALIDATIONS).description("answers forwarded to DoH and JSON clients by DNSSEC validation result")
                    .tags("provider", provider, "result", validation.status().name().toLowerCase(Locale.ROOT))
                    .register(registry).increment();
            if (validation.bogus()) {
                logBogus(provider, query, validation);
            }
        }
        return exchanged;
    }

    private void logBogus(String provider, WireQuery query, Validation validation) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last < LOG_INTERVAL_NANOS || !lastLogged.compareAndSet(last, now)) {
            unlogged.incrementAndGet();
            return;
        }
        long left = unlogged.getAndSet(0);
        LOG.log(System.Logger.Level.WARNING, "DNSSEC validation failed (bogus) for " + query.name() + " type "
                + query.type() + " from provider " + provider + ": " + validation.reason()
                + (left > 0 ? " (" + left + " more bogus answers in the last second not logged)" : ""));
    }

    @Override
    public boolean failing(List<UpstreamServer> servers) {
        return exchange.failing(servers);
    }

    @Override
    public byte[] serverFailure(WireQuery query) {
        return exchange.serverFailure(query);
    }
}
