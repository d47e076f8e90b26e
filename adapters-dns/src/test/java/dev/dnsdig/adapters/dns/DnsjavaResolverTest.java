package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.application.port.out.DnsResolver.UpstreamQuery;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dnsjava adapter against a real Knot server on loopback, and against servers that misbehave. */
class DnsjavaResolverTest {
    private static KnotServer knot;
    private final DnsjavaResolver resolver =
            new DnsjavaResolver(Duration.ofMillis(500), new UpstreamHealth(List.of("knot"), Duration.ofSeconds(30), Clock.systemUTC()));

    @BeforeAll
    static void startKnot() {
        knot = KnotServer.start();
    }

    @AfterAll
    static void stopKnot() {
        knot.close();
    }

    private DnsResponse answer(String name, RecordType type) {
        return answer(name, type, knot.ipv4());
    }

    private DnsResponse answer(String name, RecordType type, UpstreamServer... servers) {
        ProviderResult result = resolver.query(query(name, type, Duration.ofSeconds(3), servers));
        return assertInstanceOf(ProviderResult.Answered.class, result, () -> "expected an answer, got " + result).response();
    }

    private static UpstreamQuery query(String name, RecordType type, Duration deadline, UpstreamServer... servers) {
        return new UpstreamQuery("knot", List.of(servers), DomainName.of(name), type, Instant.now().plus(deadline));
    }

    private static <T extends RecordData> List<T> typed(DnsResponse response, Class<T> type) {
        return response.answers().stream().map(ResourceRecord::typed).filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aRecordsComeWithFlagsServerTransportAndPresentationData() {
        DnsResponse response = answer("www.dnsdig.test", RecordType.A);
        assertEquals(DnsStatus.NOERROR, response.status());
        assertTrue(response.flags().authoritative());
        assertTrue(response.flags().recursionDesired());
        assertFalse(response.flags().truncated());
        assertEquals(knot.ipv4(), response.server());
        assertEquals(Transport.UDP, response.transport());
        assertEquals(List.of("192.0.2.10", "192.0.2.11"),
                typed(response, RecordData.A.class).stream().map(RecordData.A::address).sorted().toList());
        ResourceRecord first = response.answers().get(0);
        assertEquals("www.dnsdig.test.", first.name());
        assertEquals("A", first.type());
        assertEquals(300, first.ttl());
        assertEquals(((RecordData.A) first.typed()).address(), first.data());
    }

    @Test
    void aaaaIsInCanonicalCompressedForm() {
        DnsResponse response = answer("www.dnsdig.test", RecordType.AAAA);
        assertEquals(List.of(new RecordData.Aaaa("2001:db8::10")), typed(response, RecordData.Aaaa.class));
        assertEquals("2001:db8::10", ((RecordData.Aaaa) response.answers().get(0).typed()).address());
    }

    @Test
    void cnameChainIsPartOfTheAnswer() {
        DnsResponse response = answer("alias.dnsdig.test", RecordType.A);
        assertEquals(List.of("CNAME", "CNAME", "A", "A"), response.answers().stream().map(ResourceRecord::type).toList());
        assertEquals(List.of(new RecordData.Cname("alias2.dnsdig.test."), new RecordData.Cname("www.dnsdig.test.")),
                typed(response, RecordData.Cname.class));
    }

    @Test
    void mxHasPreferenceAndExchange() {
        assertEquals(List.of(new RecordData.Mx(10, "mail.dnsdig.test."), new RecordData.Mx(20, "backup.mail.dnsdig.test.")),
                typed(answer("dnsdig.test", RecordType.MX), RecordData.Mx.class).stream()
                        .sorted(java.util.Comparator.comparingInt(RecordData.Mx::preference)).toList());
    }

    @Test
    void soaGivesTheResponsibleMailboxAsEmail() {
        RecordData.Soa soa = typed(answer("dnsdig.test", RecordType.SOA), RecordData.Soa.class).get(0);
        assertEquals(new RecordData.Soa("ns1.dnsdig.test.", "john.doe@dnsdig.test", 2026112101L, 3600, 900, 604800, 60), soa);
    }

    @Test
    void txtKeepsItsSeparateStringsAndTheJoinedText() {
        DnsResponse response = answer("multi.dnsdig.test", RecordType.TXT);
        RecordData.Txt txt = typed(response, RecordData.Txt.class).get(0);
        assertEquals(List.of("first string ", "second string"), txt.strings());
        assertEquals("first string second string", txt.text());
        assertEquals("\"first string \" \"second string\"", response.answers().get(0).data());
    }

    @Test
    void srvCaaNaptrTlsaPtrNsAndDsAreTyped() {
        assertEquals(List.of(new RecordData.Srv(10, 60, 5060, "sip.dnsdig.test.")),
                typed(answer("_sip._tcp.dnsdig.test", RecordType.SRV), RecordData.Srv.class));
        List<RecordData.Caa> caa = typed(answer("dnsdig.test", RecordType.CAA), RecordData.Caa.class);
        assertTrue(caa.contains(new RecordData.Caa(0, "issue", "letsencrypt.org")), caa::toString);
        assertTrue(caa.stream().anyMatch(c -> c.critical() && c.tag().equals("iodef")), caa::toString);
        RecordData.Naptr naptr = typed(answer("naptr.dnsdig.test", RecordType.NAPTR), RecordData.Naptr.class).get(0);
        assertEquals(new RecordData.Naptr(100, 10, "U", "E2U+sip", "!^.*$!sip:info@dnsdig.test!", "."), naptr);
        RecordData.Tlsa tlsa = typed(answer("_443._tcp.www.dnsdig.test", RecordType.TLSA), RecordData.Tlsa.class).get(0);
        assertEquals(3, tlsa.usage());
        assertEquals(64, tlsa.associationData().length());
        assertEquals(List.of(new RecordData.Ptr("www.dnsdig.test.")),
                typed(answer("ptr.dnsdig.test", RecordType.PTR), RecordData.Ptr.class));
        assertEquals(List.of(new RecordData.Ns("ns1.dnsdig.test.")), typed(answer("dnsdig.test", RecordType.NS), RecordData.Ns.class));
        RecordData.Ds ds = typed(answer("sub.dnsdig.test", RecordType.DS), RecordData.Ds.class).get(0);
        assertEquals(List.of(12345, 13, 2), List.of(ds.keyTag(), ds.algorithm(), ds.digestType()));
    }

    @Test
    void httpsAndSvcbCarryTheirParameters() {
        RecordData.ServiceBinding https = typed(answer("svc.dnsdig.test", RecordType.HTTPS), RecordData.ServiceBinding.class).get(0);
        assertEquals(1, https.priority());
        assertEquals(".", https.target());
        assertEquals(List.of(new RecordData.ServiceBinding.Param("alpn", "h2,h3"), new RecordData.ServiceBinding.Param("port", "8443")),
                https.params());
        RecordData.ServiceBinding svcb = typed(answer("_dns.svc.dnsdig.test", RecordType.SVCB), RecordData.ServiceBinding.class).get(0);
        assertEquals("svc.dnsdig.test.", svcb.target());
        assertFalse(svcb.aliasMode());
    }

    @Test
    void dnskeysOfTheSignedZoneHaveKeyTags() {
        List<RecordData.Dnskey> keys = typed(answer("signed.test", RecordType.DNSKEY), RecordData.Dnskey.class);
        assertEquals(2, keys.size());
        assertTrue(keys.stream().anyMatch(RecordData.Dnskey::secureEntryPoint));
        assertTrue(keys.stream().allMatch(k -> k.algorithm() == 13 && k.keyTag() > 0 && !k.publicKey().isEmpty()));
    }

    @Test
    void nxdomainIsAnAnswerWithTheZoneSoaInAuthority() {
        DnsResponse response = answer("nope.dnsdig.test", RecordType.A);
        assertEquals(DnsStatus.NXDOMAIN, response.status());
        assertTrue(response.answers().isEmpty());
        assertEquals("SOA", response.authority().get(0).type());
    }

    @Test
    void nodataIsNoerrorWithoutAnswers() {
        DnsResponse response = answer("www.dnsdig.test", RecordType.MX);
        assertTrue(response.noData());
        assertEquals("SOA", response.authority().get(0).type());
    }

    @Test
    void aZoneTheServerDoesNotServeIsRefusedWhichIsNoAnswer() {
        ProviderResult.Failed failed = assertInstanceOf(ProviderResult.Failed.class,
                resolver.query(query("example.com", RecordType.A, Duration.ofSeconds(3), knot.ipv4(), knot.ipv6())));
        assertEquals(Failure.REFUSED, failed.failure());
        assertEquals(List.of(knot.ipv4(), knot.ipv6()), failed.servers(), "the next server was asked too");
        assertEquals(knot.ipv6() + ": refused the query (REFUSED: not a zone it serves, or not to us)", failed.error());
    }

    @Test
    void truncatedUdpAnswerIsRetriedOverTcp() {
        DnsResponse response = answer("big.dnsdig.test", RecordType.TXT);
        assertEquals(Transport.TCP, response.transport());
        assertEquals(40, response.answers().size());
        assertFalse(response.flags().truncated());
    }

    @Test
    void ipv6ServersAreReallyAskedOverIpv6() {
        DnsResponse response = answer("whoami.test", RecordType.AAAA, knot.ipv6());
        assertEquals(knot.ipv6(), response.server());
        // Knot's whoami module answers with the source address of the query
        assertEquals(List.of(new RecordData.Aaaa("::1")), typed(response, RecordData.Aaaa.class));
        assertEquals(List.of(new RecordData.A("127.0.0.1")),
                typed(answer("whoami.test", RecordType.A, knot.ipv4()), RecordData.A.class));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (FaultyDnsServer silent = FaultyDnsServer.silent("127.0.0.1")) {
            long start = System.nanoTime();
            ProviderResult result = resolver.query(query("www.dnsdig.test", RecordType.A, Duration.ofSeconds(3), silent.server()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            ProviderResult.Failed failed = assertInstanceOf(ProviderResult.Failed.class, result);
            assertEquals(Failure.TIMEOUT, failed.failure());
            assertTrue(failed.error().contains("no answer within 500 ms"), failed.error());
            assertEquals(List.of(silent.server()), failed.servers());
            assertTrue(took.toMillis() >= 450 && took.toMillis() < 2500, "took " + took);
            assertTrue(silent.received() >= 1);
        }
    }

    @Test
    void aClosedPortIsUnreachable() {
        UpstreamServer closed = new UpstreamServer("127.0.0.1", KnotServer.freePort());
        ProviderResult.Failed failed = assertInstanceOf(ProviderResult.Failed.class,
                resolver.query(query("www.dnsdig.test", RecordType.A, Duration.ofSeconds(3), closed)));
        assertEquals(Failure.UNREACHABLE, failed.failure(), failed.error());
    }

    @Test
    void garbageIsABadResponse() throws Exception {
        try (FaultyDnsServer garbage = FaultyDnsServer.garbage("127.0.0.1")) {
            ProviderResult.Failed failed = assertInstanceOf(ProviderResult.Failed.class,
                    resolver.query(query("www.dnsdig.test", RecordType.A, Duration.ofSeconds(3), garbage.server())));
            assertEquals(Failure.BAD_RESPONSE, failed.failure(), failed.error());
        }
    }

    @Test
    void anAnswerToAnotherQuestionIsABadResponseNotAnAnswer() throws Exception {
        try (FaultyDnsServer spoof = FaultyDnsServer.wrongQuestion("127.0.0.1")) {
            ProviderResult.Failed failed = assertInstanceOf(ProviderResult.Failed.class,
                    resolver.query(query("www.dnsdig.test", RecordType.A, Duration.ofSeconds(3), spoof.server())));
            assertEquals(Failure.BAD_RESPONSE, failed.failure(), failed.error());
            assertTrue(failed.error().contains("another question"), failed.error());
        }
    }

    @Test
    void theNextServerIsTriedWhenOneFails() throws Exception {
        try (FaultyDnsServer silent = FaultyDnsServer.silent("127.0.0.1")) {
            DnsResponse response = answer("www.dnsdig.test", RecordType.A, silent.server(), knot.ipv4());
            assertEquals(knot.ipv4(), response.server());
            assertEquals(1, silent.received());
        }
    }

    @Test
    void aDeadServerCostsOneTimeoutNotOnePerQueryAndIsTriedAgainAfterItsBackOff() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        UpstreamHealth health = new UpstreamHealth(List.of("knot"), Duration.ofSeconds(30), clock);
        DnsjavaResolver remembering = new DnsjavaResolver(Duration.ofSeconds(1), health);
        try (FaultyDnsServer primary = FaultyDnsServer.relay("127.0.0.1", knot.ipv4())) {
            primary.mute(true); // it died: receives, never answers
            UpstreamServer[] servers = {primary.server(), knot.ipv4()};
            long start = System.nanoTime();
            assertEquals(knot.ipv4(), answered(remembering, servers).server(), "failed over");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 950, "the one timeout it costs");
            assertEquals(1, primary.received());
            assertTrue(health.failing(primary.server()));
            assertTrue(health.probe().details().get(primary.server().toString())
                    .startsWith("asked last for 5 s more after 1 failure: " + primary.server() + ": no answer within 1000 ms"),
                    health.probe().details().toString());

            for (int i = 0; i < 5; i++) {
                long again = System.nanoTime();
                assertEquals(knot.ipv4(), answered(remembering, servers).server());
                Duration took = Duration.ofNanos(System.nanoTime() - again);
                assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "straight to the healthy server, no timeout: " + took);
            }
            assertEquals(1, primary.received(), "the dead server is not asked while its back-off lasts");

            clock.advance(ServerHealth.FIRST_BACKOFF);
            assertEquals(knot.ipv4(), answered(remembering, servers).server());
            assertEquals(2, primary.received(), "one query tried it again after its back-off");
            assertEquals(knot.ipv4(), answered(remembering, servers).server());
            assertEquals(2, primary.received(), "it failed its trial: skipped again, for longer");

            primary.mute(false); // back
            clock.advance(ServerHealth.backOff(2));
            assertEquals(primary.server(), answered(remembering, servers).server(), "its trial: it answers");
            assertEquals(primary.server(), answered(remembering, servers).server(), "first in line again");
            assertEquals(4, primary.received());
            assertFalse(health.failing(primary.server()));
            assertFalse(health.probe().details().containsKey(primary.server().toString()));
        }
    }

    private static DnsResponse answered(DnsjavaResolver resolver, UpstreamServer... servers) {
        ProviderResult result = resolver.query(query("www.dnsdig.test", RecordType.A, Duration.ofSeconds(5), servers));
        return assertInstanceOf(ProviderResult.Answered.class, result, () -> "expected an answer, got " + result).response();
    }

    @Test
    void aPassedDeadlineAsksNobody() throws Exception {
        try (FaultyDnsServer silent = FaultyDnsServer.silent("127.0.0.1")) {
            ProviderResult.Failed failed = assertInstanceOf(ProviderResult.Failed.class,
                    resolver.query(query("www.dnsdig.test", RecordType.A, Duration.ofMillis(-1), silent.server())));
            assertEquals(Failure.TIMEOUT, failed.failure());
            assertTrue(failed.servers().isEmpty());
            Thread.sleep(50);
            assertEquals(0, silent.received());
        }
    }

    @Test
    void theDeadlineCutsThePerQueryTimeoutShort() throws Exception {
        // a 5 s per-query timeout against a 300 ms deadline: the deadline wins, by a margin no loaded machine blurs
        DnsjavaResolver patient = new DnsjavaResolver(Duration.ofSeconds(5),
                new UpstreamHealth(List.of("knot"), Duration.ofSeconds(30), Clock.systemUTC()));
        try (FaultyDnsServer silent = FaultyDnsServer.silent("127.0.0.1")) {
            long start = System.nanoTime();
            ProviderResult.Failed failed = assertInstanceOf(ProviderResult.Failed.class,
                    patient.query(query("www.dnsdig.test", RecordType.A, Duration.ofMillis(300), silent.server(), knot.ipv4())));
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(Failure.TIMEOUT, failed.failure());
            assertEquals(List.of(silent.server()), failed.servers(), "no time was left for the second server");
            assertTrue(tookMillis >= 250 && tookMillis < 2500, "took " + tookMillis + " ms");
        }
    }
}
