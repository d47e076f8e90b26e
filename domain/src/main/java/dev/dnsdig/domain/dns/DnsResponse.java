package dev.dnsdig.domain.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What one upstream server answered: status, header flags, answer (CNAME chain included) and authority sections. */
public record DnsResponse(DnsStatus status, HeaderFlags flags, List<ResourceRecord> answers,
                          List<ResourceRecord> authority, UpstreamServer server, Transport transport,
                          Duration elapsed) {
    public DnsResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(flags, "flags");
        answers = List.copyOf(answers);
        authority = List.copyOf(authority);
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** NOERROR with no answer records: the name exists but has no records of the asked type (NODATA). */
    public boolean noData() {
        return status == DnsStatus.NOERROR && answers.isEmpty();
    }
}
