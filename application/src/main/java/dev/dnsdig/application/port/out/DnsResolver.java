package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Outgoing port for DNS: ask one provider's servers, in order, until one answers or the deadline passes. */
public interface DnsResolver {

    /** Never throws for network trouble: a failure is a {@link ProviderResult.Failed}. */
    ProviderResult query(UpstreamQuery query);

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
