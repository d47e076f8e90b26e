package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.dnsdig.adapters.dns.testing.ManualTicker;
import dev.dnsdig.application.fakes.Records;
import dev.dnsdig.application.fakes.ScriptedDnsResolver;
import dev.dnsdig.application.port.out.DnsResolver.UpstreamQuery;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The answer cache over a scripted upstream (which can say any TTL, status or failure on demand), on a manual clock. */
class CachingDnsResolverTest {
    private static final List<UpstreamServer> IPV4 = List.of(new UpstreamServer("192.0.2.1", 53));
    private static final List<UpstreamServer> IPV6 = List.of(new UpstreamServer("2001:db8::1", 53));
    private static final ResourceRecord SOA = Records.soa("example.com.", 3600, "ns.example.com.", "hostmaster.example.com.",
            1, 7200, 3600, 1209600, 60);
    /** What the scripted upstream says when a test writes its own responder. */
    private static final ProviderResult ANSWER = new ProviderResult.Answered("p", new DnsResponse(DnsStatus.NOERROR,
            ScriptedDnsResolver.RECURSIVE_FLAGS, List.of(Records.a("example.com.", 300, "192.0.2.1")), List.of(),
            IPV4.get(0), Transport.UDP, Duration.ofMillis(5)));

    private final ScriptedDnsResolver upstream = new ScriptedDnsResolver();
    private final ManualTicker ticker = new ManualTicker();
    private final CachingDnsResolver cache = new CachingDnsResolver(upstream, 1000, Duration.ofDays(1), ticker);
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    private static UpstreamQuery query(String provider, List<UpstreamServer> servers, String name, RecordType type) {
        return new UpstreamQuery(provider, servers, DomainName.of(name), type, Instant.now().plusSeconds(5));
    }

    private ProviderResult.Answered ask(String name, RecordType type) {
        return answered(cache.query(query("p", IPV4, name, type)));
    }

    private static ProviderResult.Answered answered(ProviderResult result) {
        return assertInstanceOf(ProviderResult.Answered.class, result, () -> "expected an answer, got " + result);
    }

    private static List<Long> ttls(List<ResourceRecord> records) {
        return records.stream().map(ResourceRecord::ttl).toList();
    }

    private CacheStats stats() {
        return cache.caffeine().synchronous().stats();
    }

    @Test
    void aPositiveAnswerIsServedFromTheCacheWithItsTtlsCountedDownUntilTheSmallestRunsOut() {
        upstream.answer("p", DnsStatus.NOERROR, List.of(Records.cname("www.example.com.", 3600, "web.example.com."),
                Records.a("web.example.com.", 300, "192.0.2.10")), List.of(Records.ns("example.com.", 10, "ns.example.com.")));
        ProviderResult.Answered first = ask("www.example.com", RecordType.A);
        assertFalse(first.cached());
        assertEquals(List.of(3600L, 300L), ttls(first.response().answers()));

        ticker.advance(Duration.ofMillis(100_700));
        ProviderResult.Answered second = ask("WWW.Example.com.", RecordType.A);
        assertTrue(second.cached(), "the same question, however it is spelt");
        assertEquals(List.of(3500L, 200L), ttls(second.response().answers()), "counted down by whole seconds");
        assertEquals(List.of(0L), ttls(second.response().authority()), "never below 0");
        assertEquals(first.response().answers().get(1).data(), second.response().answers().get(1).data());
        assertEquals(first.response().server(), second.response().server());
        assertEquals(1, upstream.queries().size());
        assertEquals(1, stats().hitCount());
        assertEquals(1, stats().missCount());

        ticker.advance(Duration.ofMillis(199_299));
        assertEquals(List.of(3301L, 1L), ttls(ask("www.example.com", RecordType.A).response().answers()));
        ticker.advance(Duration.ofMillis(1));
        assertFalse(ask("www.example.com", RecordType.A).cached(), "gone when the smallest TTL ran out");
        assertEquals(2, upstream.queries().size());
    }

    @Test
    void onlyAFreshKeptAnswerIsAtHandAndEachQuestionCountsOnceAsAHitOrAMiss() throws Exception {
        UpstreamQuery question = query("p", IPV4, "example.com", RecordType.A);
        CountDownLatch release = new CountDownLatch(1);
        upstream.respond("p", asked -> {
            await(release);
            return ANSWER;
        });
        assertTrue(cache.atHand(question).isEmpty(), "nothing kept yet");
        Future<ProviderResult> loading = callers.submit(() -> cache.query(question));
        waitUntil(() -> upstream.queries().size() == 1);
        assertTrue(cache.atHand(question).isEmpty(), "a load under way is not at hand: waiting for it is query's job");
        release.countDown();
        assertFalse(answered(loading.get(5, TimeUnit.SECONDS)).cached());
        assertEquals(0, stats().hitCount());
        assertEquals(1, stats().missCount(), "the look before the query was not counted");

        ticker.advance(Duration.ofSeconds(100));
        ProviderResult.Answered kept = answered(cache.atHand(question).orElseThrow());
        assertTrue(kept.cached());
        assertEquals(List.of(200L), ttls(kept.response().answers()), "counted down like an answer from query");
        assertEquals(1, stats().hitCount());
        assertEquals(1, upstream.queries().size());

        ticker.advance(Duration.ofSeconds(200));
        assertTrue(cache.atHand(question).isEmpty(), "expired");
        upstream.fail("p", RecordType.A, Failure.TIMEOUT, "192.0.2.1: no answer");
        cache.query(question);
        assertTrue(cache.atHand(question).isEmpty(), "a failure is never kept");
        assertEquals(2, stats().missCount());
        assertEquals(1, stats().hitCount());
    }

    @Test
    void nxdomainIsKeptForTheSoaMinimumAndItsSoaTtlCountsDownFromIt() {
        upstream.answer("p", DnsStatus.NXDOMAIN, List.of(), List.of(SOA));
        ProviderResult.Answered first = ask("nope.example.com", RecordType.A);
        assertEquals(List.of(60L), ttls(first.response().authority()),
                "RFC 2308 section 5: the SOA of a negative answer carries the negative TTL");

        ticker.advance(Duration.ofSeconds(59));
        ProviderResult.Answered second = ask("nope.example.com", RecordType.A);
        assertTrue(second.cached());
        assertEquals(DnsStatus.NXDOMAIN, second.response().status());
        assertEquals(List.of(1L), ttls(second.response().authority()));
        assertEquals(1, upstream.queries().size());

        ticker.advance(Duration.ofSeconds(1));
        assertFalse(ask("nope.example.com", RecordType.A).cached());
        assertEquals(2, upstream.queries().size());
    }

    @Test
    void nodataIsKeptForTheSoaTtlWhenThatIsTheSmaller() {
        upstream.answer("p", DnsStatus.NOERROR, List.of(),
                List.of(Records.soa("example.com.", 30, "ns.example.com.", "hostmaster.example.com.", 1, 7200, 3600, 1209600, 300)));
        ask("example.com", RecordType.MX);
        ticker.advance(Duration.ofSeconds(29));
        assertTrue(ask("example.com", RecordType.MX).cached());
        ticker.advance(Duration.ofSeconds(1));
        assertFalse(ask("example.com", RecordType.MX).cached());
    }

    @Test
    void negativeAnswersWithoutSoaAreNotKept() {
        upstream.answer("p", DnsStatus.NXDOMAIN);
        ask("nope.example.com", RecordType.A);
        assertFalse(ask("nope.example.com", RecordType.A).cached());
        assertEquals(2, upstream.queries().size());
    }

    @Test
    void failuresServfailRefusedAndTtlZeroAreNeverKept() {
        upstream.fail("p", RecordType.A, Failure.TIMEOUT, "192.0.2.1: no answer");
        upstream.answer("p", RecordType.AAAA, DnsStatus.SERVFAIL, List.of(), List.of(SOA));
        upstream.answer("p", RecordType.MX, DnsStatus.REFUSED);
        upstream.answer("p", RecordType.TXT, DnsStatus.NOERROR, Records.txt("example.com.", 0, "use once"));
        for (RecordType type : List.of(RecordType.A, RecordType.AAAA, RecordType.MX, RecordType.TXT)) {
            for (int i = 0; i < 2; i++) {
                ProviderResult result = cache.query(query("p", IPV4, "example.com", type));
                assertFalse(result instanceof ProviderResult.Answered a && a.cached(), type + ": " + result);
            }
            assertEquals(2, upstream.queries().stream().filter(q -> q.type() == type).count(), type.name());
        }
        assertInstanceOf(ProviderResult.Failed.class, cache.query(query("p", IPV4, "example.com", RecordType.A)));
    }

    @Test
    void theMaximumTtlCapsHowLongAnAnswerIsKeptAndTheTtlsItShows() {
        CachingDnsResolver capped = new CachingDnsResolver(upstream, 1000, Duration.ofSeconds(100), ticker);
        upstream.answer("p", DnsStatus.NOERROR, Records.a("example.com.", 86_400, "192.0.2.1"));
        UpstreamQuery question = query("p", IPV4, "example.com", RecordType.A);
        assertEquals(List.of(100L), ttls(answered(capped.query(question)).response().answers()));
        ticker.advance(Duration.ofSeconds(99));
        assertEquals(List.of(1L), ttls(answered(capped.query(question)).response().answers()));
        ticker.advance(Duration.ofSeconds(1));
        assertFalse(answered(capped.query(question)).cached());
        assertEquals(2, upstream.queries().size());
    }

    @Test
    void providersAddressFamiliesNamesAndTypesAreKeptApart() {
        upstream.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, Records.a("example.com.", 300, "192.0.2.1"));
        List<UpstreamQuery> distinct = List.of(query("p", IPV4, "example.com", RecordType.A),
                query("q", IPV4, "example.com", RecordType.A), query("p", IPV6, "example.com", RecordType.A),
                query("p", IPV4, "www.example.com", RecordType.A), query("p", IPV4, "example.com", RecordType.AAAA));
        for (UpstreamQuery question : distinct) {
            assertFalse(answered(cache.query(question)).cached(), question.toString());
        }
        for (UpstreamQuery question : distinct) {
            ProviderResult.Answered again = answered(cache.query(question));
            assertTrue(again.cached(), question.toString());
            assertEquals(question.provider(), again.provider());
            assertEquals(question.servers().get(0), again.response().server(), "each family's own server's answer");
        }
        assertEquals(distinct.size(), upstream.queries().size());
    }

    @Test
    void concurrentIdenticalQuestionsMakeOneUpstreamQuery() throws Exception {
        int callersCount = 50;
        CountDownLatch release = new CountDownLatch(1);
        upstream.respond("p", question -> {
            await(release);
            return ANSWER;
        });
        List<Future<ProviderResult>> results = new ArrayList<>();
        for (int i = 0; i < callersCount; i++) {
            results.add(callers.submit(() -> cache.query(query("p", IPV4, "example.com", RecordType.A))));
        }
        // the upstream answers only once every caller is waiting on the query in flight (a hit on the pending load)
        waitUntil(() -> stats().hitCount() == callersCount - 1);
        release.countDown();
        int fresh = 0;
        for (Future<ProviderResult> result : results) {
            ProviderResult.Answered answer = answered(result.get(5, TimeUnit.SECONDS));
            assertEquals("192.0.2.1", answer.response().answers().get(0).data());
            fresh += answer.cached() ? 0 : 1;
        }
        assertEquals(1, upstream.queries().size(), "one upstream query for " + callersCount + " callers");
        assertEquals(1, fresh, "the caller that asked gets it fresh; the others from the cache");
    }

    @Test
    void aWaiterGivesUpAtItsOwnDeadlineWhileTheQueryGoesOnForTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        upstream.respond("p", question -> {
            await(release);
            return ANSWER;
        });
        Future<ProviderResult> patient = callers.submit(() -> cache.query(query("p", IPV4, "example.com", RecordType.A)));
        waitUntil(() -> upstream.queries().size() == 1);
        long start = System.nanoTime();
        ProviderResult hurried = cache.query(new UpstreamQuery("p", IPV4, DomainName.of("example.com"), RecordType.A,
                Instant.now().plusMillis(50)));
        assertEquals(Failure.TIMEOUT, assertInstanceOf(ProviderResult.Failed.class, hurried).failure());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "gave up at its own deadline");

        release.countDown();
        assertFalse(answered(patient.get(5, TimeUnit.SECONDS)).cached());
        assertTrue(ask("example.com", RecordType.A).cached(), "the query it left went on and filled the cache");
        assertEquals(1, upstream.queries().size());
    }

    @Test
    void aWaiterWithMoreTimeAsksAgainWhenTheQueryItJoinedTimedOutEarlier() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        upstream.respond("p", question -> {
            if (calls.incrementAndGet() == 1) {
                await(release);
                return new ProviderResult.Failed("p", Failure.TIMEOUT, "deadline", question.servers(), Duration.ofMillis(50));
            }
            return ANSWER;
        });
        Future<ProviderResult> hurried = callers.submit(() -> cache.query(new UpstreamQuery("p", IPV4,
                DomainName.of("example.com"), RecordType.A, Instant.now().plusSeconds(3))));
        waitUntil(() -> upstream.queries().size() == 1);
        Future<ProviderResult> patient = callers.submit(() -> cache.query(new UpstreamQuery("p", IPV4,
                DomainName.of("example.com"), RecordType.A, Instant.now().plusSeconds(10))));
        waitUntil(() -> stats().hitCount() == 1);
        release.countDown();
        assertInstanceOf(ProviderResult.Failed.class, hurried.get(5, TimeUnit.SECONDS));
        assertEquals("192.0.2.1", answered(patient.get(5, TimeUnit.SECONDS)).response().answers().get(0).data());
        assertEquals(2, upstream.queries().size());
    }

    @Test
    void aLoadThatThrowsIsNotKeptAndDoesNotPoisonThoseWhoJoinedIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException broken = new IllegalStateException("adapter bug");
        upstream.respond("p", question -> {
            if (calls.incrementAndGet() == 1) {
                await(release);
                throw broken;
            }
            return ANSWER;
        });
        Future<ProviderResult> first = callers.submit(() -> cache.query(query("p", IPV4, "example.com", RecordType.A)));
        waitUntil(() -> upstream.queries().size() == 1);
        Future<ProviderResult> joined = callers.submit(() -> cache.query(query("p", IPV4, "example.com", RecordType.A)));
        waitUntil(() -> stats().hitCount() == 1);
        release.countDown();
        java.util.concurrent.ExecutionException thrown =
                assertThrows(java.util.concurrent.ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        assertSame(broken, thrown.getCause(), "the caller whose query broke sees it, as without a cache");
        assertEquals("192.0.2.1", answered(joined.get(5, TimeUnit.SECONDS)).response().answers().get(0).data());
        waitUntil(() -> cache.caffeine().asMap().isEmpty()); // Caffeine drops it just after waking those who waited
        assertFalse(ask("example.com", RecordType.A).cached(), "the broken load was not kept");
        assertTrue(ask("example.com", RecordType.A).cached());
    }

    @Test
    void theNumberOfAnswersKeptIsBounded() {
        CachingDnsResolver small = new CachingDnsResolver(upstream, 10, Duration.ofDays(1), ticker);
        upstream.answer("p", DnsStatus.NOERROR, Records.a("example.com.", 300, "192.0.2.1"));
        for (int i = 0; i < 100; i++) {
            small.query(query("p", IPV4, "host" + i + ".example.com", RecordType.A));
        }
        small.caffeine().synchronous().cleanUp();
        assertTrue(small.caffeine().synchronous().estimatedSize() <= 10, "kept " + small.caffeine().synchronous().estimatedSize());
        assertTrue(small.caffeine().synchronous().stats().evictionCount() >= 90);
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new CachingDnsResolver(upstream, 0, Duration.ofDays(1), ticker));
        assertThrows(IllegalArgumentException.class, () -> new CachingDnsResolver(upstream, 10, Duration.ofMillis(999), ticker));
        assertThrows(NullPointerException.class, () -> new CachingDnsResolver(null, 10, Duration.ofDays(1), ticker));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls a condition other threads make true (no fixed sleep: it returns as soon as it holds). */
    private static void waitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
