package dev.dnsdig.application.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tests of the {@link ScriptedDnsResolver} fake and the {@link Records} helper, which other modules rely on. */
class ScriptedDnsResolverTest {
    private static final UpstreamServer FIRST = UpstreamServer.parse("192.0.2.1");
    private static final UpstreamServer SECOND = UpstreamServer.parse("192.0.2.2");

    private final ScriptedDnsResolver resolver = new ScriptedDnsResolver();

    private static UpstreamQuery query(String provider, RecordType type, Duration deadline) {
        return new UpstreamQuery(provider, List.of(FIRST, SECOND), DomainName.of("example.com"), type,
                Instant.now().plus(deadline));
    }

    private static UpstreamQuery query(String provider, RecordType type) {
        return query(provider, type, Duration.ofSeconds(5));
    }

    private static DnsResponse response(ProviderResult result) {
        return assertInstanceOf(ProviderResult.Answered.class, result).response();
    }

    private static ProviderResult.Failed failed(ProviderResult result) {
        return assertInstanceOf(ProviderResult.Failed.class, result);
    }

    @Test
    void answersWithTheScriptedRecordsFromTheFirstServerOverUdp() {
        ResourceRecord record = Records.a("example.com", 300, "192.0.2.10");
        resolver.answer("cloudflare", DnsStatus.NOERROR, record);

        DnsResponse response = response(resolver.query(query("cloudflare", RecordType.A)));

        assertEquals(DnsStatus.NOERROR, response.status());
        assertEquals(List.of(record), response.answers());
        assertEquals(List.of(), response.authority());
        assertEquals(FIRST, response.server());
        assertEquals(Transport.UDP, response.transport());
        assertEquals(ScriptedDnsResolver.RECURSIVE_FLAGS, response.flags());
    }

    @Test
    void answersWithAnAuthoritySection() {
        ResourceRecord soa = Records.soa("example.com", 300, "ns1.example.com", "hostmaster.example.com");
        resolver.answer("p", DnsStatus.NXDOMAIN, List.of(), List.of(soa));

        DnsResponse response = response(resolver.query(query("p", RecordType.A)));

        assertEquals(DnsStatus.NXDOMAIN, response.status());
        assertTrue(response.answers().isEmpty());
        assertEquals(List.of(soa), response.authority());
    }

    @Test
    void unscriptedProvidersAnswerNoData() {
        assertTrue(response(resolver.query(query("anyone", RecordType.MX))).noData());
    }

    @Test
    void failsWithTheScriptedKindAndMessage() {
        resolver.fail("google", Failure.UNREACHABLE, "port unreachable");

        ProviderResult.Failed failed = failed(resolver.query(query("google", RecordType.A)));

        assertEquals("google", failed.provider());
        assertEquals(Failure.UNREACHABLE, failed.failure());
        assertEquals("port unreachable", failed.error());
        assertEquals(List.of(FIRST, SECOND), failed.servers());
    }

    @Test
    void theMostSpecificScriptWins() {
        resolver.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.SERVFAIL)
                .answer(ScriptedDnsResolver.ANY_PROVIDER, RecordType.TXT, DnsStatus.REFUSED)
                .answer("p", DnsStatus.NXDOMAIN)
                .fail("p", RecordType.MX, Failure.BAD_RESPONSE, "mangled");

        assertEquals(Failure.BAD_RESPONSE, failed(resolver.query(query("p", RecordType.MX))).failure());
        assertEquals(DnsStatus.NXDOMAIN, response(resolver.query(query("p", RecordType.TXT))).status());
        assertEquals(DnsStatus.REFUSED, response(resolver.query(query("other", RecordType.TXT))).status());
        assertEquals(DnsStatus.SERVFAIL, response(resolver.query(query("other", RecordType.A))).status());
    }

    @Test
    void aLaterScriptReplacesAnEarlierOne() {
        resolver.fail("p", Failure.TIMEOUT, "slow").answer("p", DnsStatus.NOERROR);

        assertInstanceOf(ProviderResult.Answered.class, resolver.query(query("p", RecordType.A)));
    }

    @Test
    void delaysThenGivesTheScriptedOutcomeWithTheMeasuredElapsedTime() {
        resolver.delay("slow", Duration.ofMillis(100)).fail("slow", Failure.UNREACHABLE, "network unreachable");

        long start = System.nanoTime();
        ProviderResult.Failed failed = failed(resolver.query(query("slow", RecordType.A)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(Failure.UNREACHABLE, failed.failure());
        assertTrue(millis >= 100, "returned after " + millis + " ms");
        assertTrue(failed.elapsed().toMillis() >= 100, "elapsed " + failed.elapsed());
    }

    @Test
    void aDelayCanApplyToOneTypeOnly() {
        resolver.delay("p", RecordType.SOA, Duration.ofSeconds(5));

        assertInstanceOf(ProviderResult.Answered.class, resolver.query(query("p", RecordType.A, Duration.ofMillis(100))));
        assertEquals(Failure.TIMEOUT, failed(resolver.query(query("p", RecordType.SOA, Duration.ofMillis(100)))).failure());
    }

    @Test
    void aDelayPastTheDeadlineTimesOutAtTheDeadline() {
        resolver.delay("slow", Duration.ofSeconds(10)).answer("slow", DnsStatus.NOERROR);

        long start = System.nanoTime();
        ProviderResult.Failed failed = failed(resolver.query(query("slow", RecordType.A, Duration.ofMillis(150))));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(Failure.TIMEOUT, failed.failure());
        assertEquals(List.of(FIRST, SECOND), failed.servers());
        assertTrue(millis >= 100 && millis < 1000, "timed out after " + millis + " ms");
    }

    @Test
    void aDeadlineAlreadyPassedTimesOutWithoutAskingAnyServer() {
        ProviderResult.Failed failed = failed(resolver.query(query("p", RecordType.A, Duration.ofMillis(-1))));

        assertEquals(Failure.TIMEOUT, failed.failure());
        assertTrue(failed.servers().isEmpty());
        assertEquals(1, resolver.queries().size());
    }

    @Test
    void aDelayedQueryEndsWhenInterrupted() throws Exception {
        resolver.delay("slow", Duration.ofSeconds(10));
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ProviderResult> future = executor.submit(() -> resolver.query(query("slow", RecordType.A, Duration.ofSeconds(20))));
            assertTrue(resolver.awaitQueries(1, Duration.ofSeconds(2)));
            future.cancel(true);
        }
        assertEquals(List.of("slow"), resolver.interrupted());
    }

    @Test
    void aHangingProviderIgnoresTheDeadlineUntilInterrupted() throws Exception {
        resolver.hang("stuck");
        ProviderResult[] result = new ProviderResult[1];
        Thread thread = Thread.ofVirtual().start(() -> result[0] = resolver.query(query("stuck", RecordType.A, Duration.ofMillis(50))));

        assertFalse(thread.join(Duration.ofMillis(300)), "a hanging provider must not return at the deadline");
        thread.interrupt();
        assertTrue(thread.join(Duration.ofSeconds(2)));
        assertEquals(Failure.TIMEOUT, failed(result[0]).failure());
        assertEquals(List.of("stuck"), resolver.interrupted());
    }

    @Test
    void throwsWhenScriptedToBreakThePortsPromise() {
        IllegalStateException boom = new IllegalStateException("boom");
        resolver.throwing("buggy", boom);

        assertSame(boom, assertThrows(IllegalStateException.class, () -> resolver.query(query("buggy", RecordType.A))));
    }

    @Test
    void respondLetsATestBuildAnyResult() {
        resolver.respond("custom", q -> new ProviderResult.Failed(q.provider(), Failure.BAD_RESPONSE,
                "asked for " + q.type(), List.of(), Duration.ofMillis(7)));

        ProviderResult.Failed failed = failed(resolver.query(query("custom", RecordType.CAA)));

        assertEquals("asked for CAA", failed.error());
        assertEquals(Duration.ofMillis(7), failed.elapsed(), "a responder's own elapsed time is kept");
    }

    @Test
    void aQueryWithoutServersCannotBeAnswered() {
        UpstreamQuery query = new UpstreamQuery("p", List.of(), DomainName.of("example.com"), RecordType.A,
                Instant.now().plusSeconds(5));

        assertEquals(Failure.UNREACHABLE, failed(resolver.query(query)).failure());
    }

    @Test
    void recordsQueriesPerProviderAndForgetsEverythingOnReset() throws InterruptedException {
        resolver.fail("a", Failure.TIMEOUT, "x");
        UpstreamQuery first = query("a", RecordType.A);
        resolver.query(first);
        resolver.query(query("b", RecordType.MX));

        assertEquals(2, resolver.queries().size());
        assertEquals(List.of(first), resolver.queries("a"));
        assertTrue(resolver.awaitQueries(2, Duration.ZERO));
        assertFalse(resolver.awaitQueries(3, Duration.ofMillis(20)));

        resolver.reset();

        assertTrue(resolver.queries().isEmpty());
        assertInstanceOf(ProviderResult.Answered.class, resolver.query(query("a", RecordType.A)));
    }

    @Test
    void isSafeToUseFromManyThreads() {
        resolver.delay(ScriptedDnsResolver.ANY_PROVIDER, Duration.ofMillis(20));
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<ProviderResult>> futures = java.util.stream.IntStream.range(0, 200)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> resolver.query(query("p" + (i % 7), RecordType.A)), executor))
                    .toList();
            futures.forEach(f -> assertInstanceOf(ProviderResult.Answered.class, f.join()));
        }
        assertEquals(200, resolver.queries().size());
    }

    @Test
    void rejectsANegativeDelay() {
        assertThrows(IllegalArgumentException.class, () -> resolver.delay("p", Duration.ofMillis(-1)));
    }

    // ---- Records ----

    @Test
    void buildsRecordsWithPresentationTextAndTypedData() {
        ResourceRecord a = Records.a("example.com", 300, "192.0.2.1");
        assertEquals(new ResourceRecord("example.com.", "A", 300, "192.0.2.1", new RecordData.A("192.0.2.1")), a);

        ResourceRecord aaaa = Records.aaaa("example.com.", 60, "2001:DB8:0:0::1");
        assertEquals("2001:db8::1", aaaa.data());
        assertEquals("AAAA", aaaa.type());

        ResourceRecord mx = Records.mx("example.com.", 300, 10, "mail.example.com");
        assertEquals("10 mail.example.com.", mx.data());
        assertEquals(new RecordData.Mx(10, "mail.example.com."), mx.typed());

        ResourceRecord txt = Records.txt("example.com.", 300, "v=spf1 ", "say \"hi\"");
        assertEquals("\"v=spf1 \" \"say \\\"hi\\\"\"", txt.data());
        assertEquals("v=spf1 say \"hi\"", ((RecordData.Txt) txt.typed()).text());

        ResourceRecord soa = Records.soa("example.com.", 300, "ns1.example.com.", "hostmaster.example.com.");
        assertEquals("ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300", soa.data());
        assertEquals("hostmaster@example.com", ((RecordData.Soa) soa.typed()).responsibleMailbox());

        assertEquals("www.example.com.", Records.cname("example.com.", 300, "www.example.com").data());
        assertEquals("ns1.example.com.", Records.ns("example.com.", 300, "ns1.example.com").data());
        assertEquals("0 issue \"letsencrypt.org\"", Records.caa("example.com.", 300, 0, "issue", "letsencrypt.org").data());
        assertEquals("CAA 0 issue \"letsencrypt.org\"",
                Records.caa("example.com.", 300, 0, "issue", "letsencrypt.org").identity());
    }
}
