package dev.dnsdig.domain.dns;

import java.time.Duration;
import java.util.List;

/** Small builders for responses and provider results. */
final class Fixtures {
    static final UpstreamServer SERVER = UpstreamServer.parse("192.0.2.53");
    static final HeaderFlags FLAGS = new HeaderFlags(false, false, true, true, false, false);

    private Fixtures() {
    }

    static ResourceRecord a(String address, long ttl) {
        return new ResourceRecord("example.com.", "A", ttl, address, new RecordData.A(address));
    }

    static ResourceRecord cname(String target, long ttl) {
        return new ResourceRecord("www.example.com.", "CNAME", ttl, target, new RecordData.Cname(target));
    }

    /** An SOA record for example.com. with the given record TTL and MINIMUM field. */
    static ResourceRecord soa(long ttl, long minimum) {
        return new ResourceRecord("example.com.", "SOA", ttl, "ns.example.com. hostmaster.example.com. 1 7200 3600 1209600 "
                + minimum, new RecordData.Soa("ns.example.com.", "hostmaster@example.com", 1, 7200, 3600, 1209600, minimum));
    }

    /** A negative (or any) answer with {@code authority} records. */
    static DnsResponse withAuthority(DnsStatus status, List<ResourceRecord> answers, ResourceRecord... authority) {
        return new DnsResponse(status, FLAGS, answers, List.of(authority), SERVER, Transport.UDP, Duration.ofMillis(12));
    }

    static DnsResponse response(DnsStatus status, ResourceRecord... answers) {
        return new DnsResponse(status, FLAGS, List.of(answers), List.of(), SERVER, Transport.UDP, Duration.ofMillis(12));
    }

    static ProviderResult answered(String provider, DnsStatus status, ResourceRecord... answers) {
        return new ProviderResult.Answered(provider, response(status, answers));
    }

    static ProviderResult failed(String provider, ProviderResult.Failure failure) {
        return new ProviderResult.Failed(provider, failure, SERVER + ": " + failure, List.of(SERVER),
                Duration.ofMillis(2000));
    }
}
