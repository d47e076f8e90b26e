package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.AnswerDnsMessage;
import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.application.port.out.DnsMessageExchange.Checked;
import dev.dnsdig.application.port.out.DnsMessageExchange.Exchanged;
import dev.dnsdig.application.port.out.DnsMessageExchange.WireQuery;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Implements {@link AnswerDnsMessage}: providers are asked one after another in configured order, each over its IPv4
 * servers and then its IPv6 ones, all within one deadline; a provider whose servers all failed lately is asked after
 * the others (still asked, should they fail too), so that a dead provider does not cost every query its timeouts.
 * Unlike {@link ResolutionService} this gives one answer, as a DNS client expects, rather than every provider's.
 */
public final class DnsMessageService implements AnswerDnsMessage {
    private final List<DnsProvider> providers;
    private final DnsMessageExchange exchange;
    private final Duration deadline;
    private final Clock clock;

    public DnsMessageService(List<DnsProvider> providers, DnsMessageExchange exchange, Duration deadline, Clock clock) {
        this.providers = List.copyOf(providers);
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (this.providers.isEmpty()) {
            throw new IllegalArgumentException("at least one provider is needed");
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive");
        }
    }

    @Override
    public Answer answer(byte[] message) {
        return switch (exchange.check(message)) {
            case Checked.Malformed malformed -> new Answer.Malformed(malformed.reason());
            case Checked.Query query -> answer(query.query());
        };
    }

    @Override
    public Answer answer(DomainName name, int type, boolean checkingDisabled, boolean dnssecOk) {
        return answer(exchange.query(name, type, checkingDisabled, dnssecOk));
    }

    private Answer answer(WireQuery query) {
        Instant until = clock.instant().plus(deadline);
        List<Asked> order = new ArrayList<>(providers.size());
        List<Asked> later = new ArrayList<>();
        for (DnsProvider provider : providers) {
            List<UpstreamServer> servers = new ArrayList<>(provider.servers(IpFamily.IPV4));
            servers.addAll(provider.servers(IpFamily.IPV6));
            (exchange.failing(servers) ? later : order).add(new Asked(provider.name(), servers));
        }
        order.addAll(later);
        List<String> failures = new ArrayList<>();
        for (Asked provider : order) {
            if (!clock.instant().isBefore(until)) {
                failures.add(provider.name() + ": not asked, the deadline had passed");
                continue;
            }
            switch (exchange.exchange(provider.name(), provider.servers(), query, until)) {
                case Exchanged.Answered answered -> {
                    // a bogus answer is final, not a reason to ask the next provider: a broken zone is broken at all
                    return new Answer.Answered(answered.message(), answered.response(), provider.name(),
                            answered.validation());
                }
                case Exchanged.Failed failed -> failures.add(provider.name() + ": " + failed.error());
            }
        }
        return new Answer.Unanswered(exchange.serverFailure(query), String.join("; ", failures));
    }

    private record Asked(String name, List<UpstreamServer> servers) {
    }
}
