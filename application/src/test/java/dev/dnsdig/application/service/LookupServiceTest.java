package dev.dnsdig.application.service;

import static dev.dnsdig.application.fakes.Records.a;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.ScriptedDnsResolver;
import dev.dnsdig.application.port.in.ResolveQuery;
import dev.dnsdig.application.port.in.ResolveReverse.ReverseResolution;
import dev.dnsdig.application.port.out.DnsResolver.UpstreamQuery;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.Expectation;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.Propagation;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.ReverseName;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LookupService} over the real {@link ResolutionService} and the scripted DNS fake. */
class LookupServiceTest {
    private final ScriptedDnsResolver dns = new ScriptedDnsResolver();
    private final ResolutionService resolution = new ResolutionService(List.of(
            new DnsProvider("alpha", List.of(UpstreamServer.parse("192.0.2.1"), UpstreamServer.parse("2001:db8::1"))),
            new DnsProvider("beta", List.of(UpstreamServer.parse("192.0.2.2"))),
            new DnsProvider("gamma", List.of(UpstreamServer.parse("192.0.2.3")))),
            dns, Duration.ofMillis(500), Clock.systemUTC());
    private final LookupService lookups = new LookupService(resolution);

    @AfterEach
    void close() {
        resolution.close();
    }

    private static ResourceRecord ptr(String owner, String target) {
        return new ResourceRecord(owner, "PTR", 3600, target, new RecordData.Ptr(target));
    }

    @Test
    void aReverseLookupAsksEveryProviderForThePtrOfTheReverseName() {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, ptr("1.2.0.192.in-addr.arpa.", "host.example."));
        ReverseResolution reverse = lookups.resolveReverse(ReverseName.of("192.0.2.1"), IpFamily.IPV4);
        assertEquals("192.0.2.1", reverse.reverse().address());
        assertEquals("1.2.0.192.in-addr.arpa.", reverse.resolution().name().fqdn());
        assertEquals(RecordType.PTR, reverse.resolution().type());
        assertEquals(3, reverse.resolution().answeredCount());
        assertTrue(reverse.resolution().agreement().allAgree());
        for (UpstreamQuery query : dns.queries()) {
            assertEquals(RecordType.PTR, query.type());
            assertEquals("1.2.0.192.in-addr.arpa.", query.name().fqdn());
        }
    }

    @Test
    void anIpv6AddressIsLookedUpUnderIp6ArpaAndOverIpv6OnlyWhereAsked() {
        ReverseResolution reverse = lookups.resolveReverse(ReverseName.of("2001:db8::1"), IpFamily.IPV6);
        assertTrue(reverse.resolution().name().fqdn().endsWith(".8.b.d.0.1.0.0.2.ip6.arpa."));
        assertEquals(List.of("alpha"), dns.queries().stream().map(UpstreamQuery::provider).toList(),
                "only alpha has an IPv6 server");
    }

    @Test
    void propagationSaysWhoMatchesTheExpectationWhoDoesNotAndWhoFailed() {
        dns.answer("alpha", DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.10"));
        dns.answer("beta", DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.99"));
        dns.fail("gamma", ProviderResult.Failure.UNREACHABLE, "port unreachable");
        Propagation propagation = lookups.checkPropagation(ResolveQuery.of("example.com", "A", IpFamily.IPV4),
                Optional.of(Expectation.parse(RecordType.A, List.of("192.0.2.10"))));
        assertEquals(List.of("alpha"), propagation.matching());
        assertEquals(List.of("beta"), propagation.notMatching());
        assertEquals(List.of("gamma"), propagation.failed());
        assertFalse(propagation.propagated());
        assertFalse(propagation.resolution().agreement().allAgree());
    }

    @Test
    void propagationWithoutExpectationIsAgreement() {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.10"));
        Propagation propagation = lookups.checkPropagation(ResolveQuery.of("example.com", "A", IpFamily.IPV4),
                Optional.empty());
        assertTrue(propagation.propagated());
        assertEquals(List.of(), propagation.notMatching());
    }

    @Test
    void anExpectationOfAnotherTypeIsABug() {
        assertThrows(IllegalArgumentException.class, () -> lookups.checkPropagation(
                ResolveQuery.of("example.com", "AAAA", IpFamily.IPV4),
                Optional.of(Expectation.parse(RecordType.A, List.of("192.0.2.10")))));
        assertEquals(List.of(), dns.queries(), "nothing asked");
    }
}
