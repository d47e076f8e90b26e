package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Outgoing port for DNS: ask one provider's servers, in order, until one answers or the deadline passes. */
public interface DnsResolver {

    /** Never throws for network trouble: a failure is a {@link ProviderResult.Failed}. */
    ProviderResult query(UpstreamQuery query);

    /**
     * The result if it is at hand without waiting (a cached answer), else empty: then {@link #query} must ask. Lets a
     * caller skip handing a question to a thread of its own when the answer is already there. By default never.
     */
    default Optional<ProviderResult> atHand(UpstreamQuery query) {
        return Optional.empty();
    }

    /** One question for one provider, over the given servers (all of one address family). */
    record UpstreamQuery(String provider, List<UpstreamServer> servers, DomainName name, RecordType type,
                         Instant deadline) {
        public UpstreamQuery {
            Objects.requireNonNull(provider, "provider");
            servers = List.copyOf(servers);
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(deadline, "deadline");
        }
    }
}
