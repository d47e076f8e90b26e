package dev.dnsdig.adapters.dns;

import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.application.port.out.DnsResolver;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * The {@link DnsResolver} port on dnsjava: a question of ours, asked of a provider's servers by {@link Upstream},
 * its answer decoded into typed records.
 */
public final class DnsjavaResolver implements DnsResolver {
    private final Upstream upstream;
    private final UpstreamHealth health;
    private final Duration perQueryTimeout;

    public DnsjavaResolver(Duration perQueryTimeout, UpstreamHealth health) {
        this.upstream = new Upstream(perQueryTimeout, Objects.requireNonNull(health, "health").servers());
        this.perQueryTimeout = perQueryTimeout;
        this.health = health;
    }

    /** DNS messages forwarded as clients sent them, over this resolver's sockets and into its health records. */
    public DnsMessageExchange messageExchange() {
        return new DnsjavaMessageExchange(upstream, health, Optional.empty());
    }

    /** The same, with answers validated by DNSSEC from {@code anchors} ({@link Optional#empty()}: no validation). */
    public DnsMessageExchange messageExchange(Optional<TrustAnchors> anchors) {
        return new DnsjavaMessageExchange(upstream, health,
                anchors.map(trusted -> new DnssecValidator(upstream, trusted, perQueryTimeout)));
    }

    @Override
    public ProviderResult query(UpstreamQuery query) {
        long start = System.nanoTime();
        ProviderResult result = ask(query, start);
        health.record(query.provider(), result);
        return result;
    }

    private ProviderResult ask(UpstreamQuery query, long start) {
        Message question;
        try {
            Record record = Record.newRecord(Name.fromString(query.name().fqdn()), query.type().code(), DClass.IN);
            question = Message.newQuery(record);
        } catch (TextParseException e) {
            return new ProviderResult.Failed(query.provider(), Failure.BAD_RESPONSE,
                    "name not usable in a query: " + e.getMessage(), List.of(), Duration.ofNanos(System.nanoTime() - start));
        }
        return switch (upstream.ask(query.servers(), question, query.deadline())) {
            case Upstream.Asked.Answer answer -> new ProviderResult.Answered(query.provider(), answer.response());
            case Upstream.Asked.NoAnswer none -> new ProviderResult.Failed(query.provider(), none.failure(), none.error(),
                    none.tried(), Duration.ofNanos(System.nanoTime() - start));
        };
    }
}
