package dev.dnsdig.domain.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

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

    /** NXDOMAIN or NODATA: the answer is that there is nothing. */
    public boolean negative() {
        return status == DnsStatus.NXDOMAIN || noData();
    }

    /**
     * RFC 2308 section 5: how long a negative answer holds, the smaller of the TTL of the SOA in the authority
     * section and that SOA's MINIMUM field; empty for a positive answer or one without SOA (which must not be kept).
     */
    public OptionalLong negativeTtl() {
        if (!negative()) {
            return OptionalLong.empty();
        }
        return authority.stream().filter(r -> r.typed() instanceof RecordData.Soa)
                .mapToLong(r -> Math.min(r.ttl(), ((RecordData.Soa) r.typed()).minimum())).min();
    }

    /**
     * How many seconds this answer stays true: the smallest TTL of the answer records, and for a negative answer also
     * its {@linkplain #negativeTtl() negative TTL}. Empty when it must not be kept at all: a status other than NOERROR
     * or NXDOMAIN (a SERVFAIL or REFUSED says something about the server at that moment, not about the name), a
     * negative answer without SOA (RFC 2308 section 5), or a truncated answer (incomplete).
     */
    public OptionalLong freshFor() {
        if (flags.truncated() || status != DnsStatus.NOERROR && status != DnsStatus.NXDOMAIN) {
            return OptionalLong.empty();
        }
        OptionalLong smallestAnswer = answers.stream().mapToLong(ResourceRecord::ttl).min();
        if (!negative()) {
            return smallestAnswer;
        }
        OptionalLong negativeTtl = negativeTtl();
        if (negativeTtl.isEmpty()) {
            return OptionalLong.empty();
        }
        // NXDOMAIN after a CNAME chain: the chain's records expire too
        return OptionalLong.of(Math.min(negativeTtl.getAsLong(), smallestAnswer.orElse(Long.MAX_VALUE)));
    }

    /** The same response with every record of both sections replaced by what {@code change} makes of it (TTLs counted down, say). */
    public DnsResponse mapRecords(UnaryOperator<ResourceRecord> change, Duration newElapsed) {
        return new DnsResponse(status, flags, map(answers, change), map(authority, change), server, transport, newElapsed);
    }

    /** A loop, not a stream: a cached answer is aged this way on every lookup. */
    private static List<ResourceRecord> map(List<ResourceRecord> records, UnaryOperator<ResourceRecord> change) {
        ResourceRecord[] changed = new ResourceRecord[records.size()];
        for (int i = 0; i < changed.length; i++) {
            changed[i] = change.apply(records.get(i));
        }
        return List.of(changed);
    }
}
