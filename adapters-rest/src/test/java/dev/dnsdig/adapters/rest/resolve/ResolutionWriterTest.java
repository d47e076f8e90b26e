package dev.dnsdig.adapters.rest.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.rest.resolve.ResolutionJson.ResolutionBody;
import dev.dnsdig.adapters.rest.support.JsonConfig;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.HeaderFlags;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.Resolution;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resolve answer written by hand through Jackson's generator is, byte for byte, what the mapper writes. */
class ResolutionWriterTest {
    private static final UpstreamServer V4 = new UpstreamServer("127.0.0.1", 5301);
    private static final UpstreamServer V6 = new UpstreamServer("::1", 5301);

    /** One record of every typed shape, with text that needs escaping and text beyond ASCII. */
    private static final List<ResourceRecord> EVERY_SHAPE = List.of(
            record("A", new RecordData.A("192.0.2.1")),
            record("AAAA", new RecordData.Aaaa("2001:db8::1")),
            record("CNAME", new RecordData.Cname("target.example.com.")),
            record("NS", new RecordData.Ns("ns1.example.com.")),
            record("PTR", new RecordData.Ptr("host.example.com.")),
            record("MX", new RecordData.Mx(10, "mail.example.com.")),
            record("TXT", new RecordData.Txt("v=spf1 \"quoted\" \\ back\u0001slash é ☃ \uD83D\uDE00",
                    List.of("v=spf1 \"quoted\" \\ back", "\u0001slash é ☃ \uD83D\uDE00"))),
            record("SOA", new RecordData.Soa("ns1.example.com.", "hostmaster.example.com.", 4_294_967_295L, 7200,
                    3600, 1_209_600, 300)),
            record("SRV", new RecordData.Srv(10, 60, 5060, "sip.example.com.")),
            record("CAA", new RecordData.Caa(128, "issue", "letsencrypt.org")),
            record("NAPTR", new RecordData.Naptr(100, 10, "S", "SIP+D2U", "!^.*$!sip:a@b!", "_sip._udp.example.com.")),
            record("DS", new RecordData.Ds(20326, 8, 2, "e06d44b80b8f1d39a95c0b0d7c65d08458e880409bbc6834")),
            record("DNSKEY", new RecordData.Dnskey(257, 3, 8, "AwEAAag=", 20326)),
            record("TLSA", new RecordData.Tlsa(3, 1, 1, "0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b566")),
            record("HTTPS", new RecordData.ServiceBinding(1, ".", List.of(new RecordData.ServiceBinding.Param("alpn",
                    "h2,h3"), new RecordData.ServiceBinding.Param("ipv4hint", "192.0.2.1")))),
            record("SVCB", new RecordData.ServiceBinding(0, "svc.example.com.", List.of())),
            record("TYPE65534", new RecordData.Other("\\# 2 abcd")));

    @Test
    void everyRecordShapeInAnswersAndAuthorityIsWrittenAsTheMapperWritesIt() throws Exception {
        Resolution resolution = resolution("www.example.com", RecordType.A, IpFamily.IPV4, List.of(
                answered("alpha", DnsStatus.NOERROR, EVERY_SHAPE, EVERY_SHAPE.subList(0, 3), false, Transport.UDP),
                answered("beta", DnsStatus.NOERROR, EVERY_SHAPE.subList(0, 1), List.of(), true, Transport.TCP)));
        assertSameAsMapper(resolution);
    }

    @Test
    void failuresAndDisagreementAreWrittenAsTheMapperWritesThem() throws Exception {
        for (ProviderResult.Failure failure : ProviderResult.Failure.values()) {
            Resolution resolution = resolution("bücher.example", RecordType.MX, IpFamily.IPV6, List.of(
                    answered("alpha", DnsStatus.NXDOMAIN, List.of(), EVERY_SHAPE.subList(7, 8), false, Transport.UDP),
                    answered("beta", DnsStatus.NOERROR, EVERY_SHAPE.subList(5, 6), List.of(), true, Transport.UDP),
                    new ProviderResult.Failed("gamma \"quoted\"", failure, "no answer within 2000 ms\n(tried twice)",
                            List.of(V4, V6), Duration.ofNanos(2_000_123_456L)),
                    new ProviderResult.Failed("delta", failure, "", List.of(), Duration.ZERO)));
            assertSameAsMapper(resolution);
        }
    }

    @Test
    void nobodyAnsweringAndNoProvidersAtAllAreWrittenAsTheMapperWritesThem() throws Exception {
        assertSameAsMapper(resolution("example.com", RecordType.TXT, IpFamily.IPV4, List.of(
                new ProviderResult.Failed("alpha", ProviderResult.Failure.TIMEOUT, "timed out", List.of(V4),
                        Duration.ofMillis(2000)))));
        assertSameAsMapper(resolution("example.com", RecordType.AAAA, IpFamily.IPV6, List.of()));
    }

    @Test
    void elapsedTimesOfEveryMagnitudeAreWrittenAsTheMapperWritesThem() throws Exception {
        // doubles are where two writers most easily differ: 0.0, 1.0E-2-ish fractions, large values, 10.0 vs 10
        List<Long> nanos = new ArrayList<>(List.of(0L, 1L, 4_999L, 5_000L, 10_000L, 123_456L, 10_000_000L,
                999_999_999L, 86_400_000_000_000L));
        for (long n : nanos) {
            Resolution resolution = new Resolution(new DomainName("example.com"), RecordType.A, IpFamily.IPV4,
                    List.of(answered("alpha", DnsStatus.NOERROR, EVERY_SHAPE.subList(0, 1), List.of(), false,
                            Transport.UDP, Duration.ofNanos(n))), Duration.ofNanos(n));
            assertSameAsMapper(resolution);
        }
    }

    private static void assertSameAsMapper(Resolution resolution) throws Exception {
        ResolutionBody body = ResolutionJson.of(resolution);
        String expected = new String(JsonConfig.MAPPER.writeValueAsBytes(body), StandardCharsets.UTF_8);
        String written = new String(ResolutionWriter.json(body), StandardCharsets.UTF_8);
        assertEquals(expected, written);
        assertTrue(written.startsWith("{\"name\":"), written); // both wrote something, and the answer's shape
    }

    private static Resolution resolution(String name, RecordType type, IpFamily family, List<ProviderResult> results) {
        return new Resolution(DomainName.of(name), type, family, results, Duration.ofNanos(12_345_678));
    }

    private static ProviderResult answered(String provider, DnsStatus status, List<ResourceRecord> answers,
                                           List<ResourceRecord> authority, boolean cached, Transport transport) {
        return answered(provider, status, answers, authority, cached, transport, Duration.ofNanos(1_234_567));
    }

    private static ProviderResult answered(String provider, DnsStatus status, List<ResourceRecord> answers,
                                           List<ResourceRecord> authority, boolean cached, Transport transport,
                                           Duration elapsed) {
        DnsResponse response = new DnsResponse(status, new HeaderFlags(true, false, true, true, false, true), answers,
                authority, transport == Transport.TCP ? V6 : V4, transport, elapsed);
        return new ProviderResult.Answered(provider, response, cached);
    }

    private static ResourceRecord record(String type, RecordData data) {
        return new ResourceRecord("www.example.com.", type, 3600, type + " presentation of " + data, data);
    }
}
