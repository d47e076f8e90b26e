package dev.dnsdig.application.service;

import static dev.dnsdig.application.fakes.Records.a;
import static dev.dnsdig.application.fakes.Records.aaaa;
import static dev.dnsdig.application.fakes.Records.mx;
import static dev.dnsdig.application.fakes.Records.soa;
import static dev.dnsdig.application.fakes.Records.txt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.ScriptedDnsResolver;
import dev.dnsdig.application.port.in.ResolveOverview;
import dev.dnsdig.application.port.in.ResolveQuery;
import dev.dnsdig.application.port.out.DnsResolver.UpstreamQuery;
import dev.dnsdig.domain.dns.Agreement;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.Resolution;
import dev.dnsdig.domain.dns.Resolution.Outcome;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests of {@link ResolutionService} against the scripted DNS resolver fake. */
class ResolutionServiceTest {
    private static final Duration DEADLINE = Duration.ofMillis(300);
    private static final DomainName NAME = DomainName.of("example.com");

    private final ScriptedDnsResolver resolver = new ScriptedDnsResolver();
    private final List<ResolutionService> services = new ArrayList<>();

    // System.Logger goes to java.util.logging here; capture the service's log instead of printing it
    private final Logger log = Logger.getLogger(ResolutionService.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
        log.setUseParentHandlers(false);
    }

    @AfterEach
    void closeServicesAndRestoreLog() {
        services.forEach(ResolutionService::close);
        log.removeHandler(capture);
        log.setUseParentHandlers(true);
    }

    private ResolutionService service(Duration deadline, DnsProvider... providers) {
        ResolutionService service = new ResolutionService(List.of(providers), resolver, deadline, Clock.systemUTC());
        services.add(service);
        return service;
    }

    private static DnsProvider provider(String name, String... servers) {
        return new DnsProvider(name, Arrays.stream(servers).map(UpstreamServer::parse).toList());
    }

    private static ResolveQuery query(RecordType type, IpFamily family) {
        return new ResolveQuery(NAME, type, family);
    }

    private static ProviderResult result(Resolution resolution, String provider) {
        return resolution.results().stream().filter(r -> r.provider().equals(provider)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + provider + " in " + resolution.results()));
    }

    private static ProviderResult.Failed failed(Resolution resolution, String provider) {
        return assertInstanceOf(ProviderResult.Failed.class, result(resolution, provider));
    }

    private static ProviderResult.Answered answered(Resolution resolution, String provider) {
        return assertInstanceOf(ProviderResult.Answered.class, result(resolution, provider));
    }

    private static List<String> providers(Resolution resolution) {
        return resolution.results().stream().map(ProviderResult::provider).toList();
    }

    // ---- concurrency and deadline ----

    @Test
    void asksAllProvidersConcurrently() {
        // every provider answers only once all three questions are in flight: asked one after another,
        // the first would wait in vain and fail, so three answers prove concurrency without timing anything
        resolver.respond(ScriptedDnsResolver.ANY_PROVIDER, query -> {
            try {
                return resolver.awaitQueries(3, Duration.ofSeconds(3))
                        ? new ProviderResult.Answered(query.provider(), new dev.dnsdig.domain.dns.DnsResponse(DnsStatus.NOERROR,
                                ScriptedDnsResolver.RECURSIVE_FLAGS, List.of(), List.of(), query.servers().get(0),
                                dev.dnsdig.domain.dns.Transport.UDP, Duration.ZERO))
                        : new ProviderResult.Failed(query.provider(), Failure.TIMEOUT, "asked alone", query.servers(), Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        ResolutionService service = service(Duration.ofSeconds(5),
                provider("one", "192.0.2.1"), provider("two", "192.0.2.2"), provider("three", "192.0.2.3"));

        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));

        assertEquals(3, resolution.answeredCount(), resolution.results()::toString);
        assertEquals(Set.of("one", "two", "three"),
                resolver.queries().stream().map(UpstreamQuery::provider).collect(Collectors.toSet()));
    }

    @Test
    void anAnswerAtHandIsTakenOnTheCallersThreadAndOnlyTheOtherProvidersAreAsked() {
        resolver.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.10"));
        ProviderResult kept = new ProviderResult.Answered("kept", new dev.dnsdig.domain.dns.DnsResponse(DnsStatus.NOERROR,
                ScriptedDnsResolver.RECURSIVE_FLAGS, List.of(a("example.com.", 42, "192.0.2.42")), List.of(),
                UpstreamServer.parse("192.0.2.1"), dev.dnsdig.domain.dns.Transport.UDP, Duration.ZERO), true);
        List<Thread> lookedOn = new CopyOnWriteArrayList<>();
        dev.dnsdig.application.port.out.DnsResolver caching = new dev.dnsdig.application.port.out.DnsResolver() {
            @Override
            public ProviderResult query(UpstreamQuery query) {
                return resolver.query(query);
            }

            @Override
            public java.util.Optional<ProviderResult> atHand(UpstreamQuery query) {
                lookedOn.add(Thread.currentThread());
                return query.provider().equals("kept") ? java.util.Optional.of(kept) : java.util.Optional.empty();
            }
        };
        ResolutionService service = new ResolutionService(List.of(provider("kept", "192.0.2.1"), provider("asked", "192.0.2.2")),
                caching, Duration.ofSeconds(1), Clock.systemUTC());
        services.add(service);

        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));

        assertSame(kept, result(resolution, "kept"));
        assertEquals("192.0.2.10", answered(resolution, "asked").response().answers().get(0).data());
        assertEquals(List.of("asked"), resolver.queries().stream().map(UpstreamQuery::provider).toList(),
                "only the provider without an answer at hand was asked");
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), lookedOn);
        assertEquals(List.of("kept", "asked"), providers(resolution));
    }

    @Test
    void keepsTheConfiguredProviderOrderWhateverTheOrderOfAnswers() {
        resolver.delay("first", Duration.ofMillis(150)).delay("second", Duration.ofMillis(50));
        ResolutionService service = service(Duration.ofSeconds(1),
                provider("first", "192.0.2.1"), provider("second", "192.0.2.2"), provider("third", "192.0.2.3"));

        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));

        assertEquals(List.of("first", "second", "third"), providers(resolution));
        assertEquals(Outcome.ANSWERED, resolution.outcome());
    }

    @Test
    void aProviderSlowerThanTheDeadlineTimesOutWhileTheOthersAnswer() {
        resolver.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.10"))
                .delay("slow", Duration.ofSeconds(5));
        ResolutionService service = service(DEADLINE,
                provider("fast", "192.0.2.1"), provider("slow", "192.0.2.2"), provider("quick", "192.0.2.3"));

        long start = System.nanoTime();
        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(Outcome.ANSWERED, resolution.outcome());
        assertEquals(2, resolution.answeredCount());
        assertEquals(Failure.TIMEOUT, failed(resolution, "slow").failure());
        assertEquals("192.0.2.10", answered(resolution, "fast").response().answers().get(0).data());
        answered(resolution, "quick");
        assertTrue(millis >= 250 && millis < 2000, "waited " + millis + " ms for a 300 ms deadline");
        assertTrue(resolution.elapsed().toMillis() >= 250, "elapsed " + resolution.elapsed());
    }

    @Test
    void anAdapterIgnoringTheDeadlineIsCutOffAtTheDeadlineAndCancelled() throws InterruptedException {
        resolver.hang("stuck");
        ResolutionService service = service(DEADLINE, provider("stuck", "192.0.2.1", "192.0.2.2"),
                provider("fine", "192.0.2.3"));

        long start = System.nanoTime();
        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        ProviderResult.Failed stuck = failed(resolution, "stuck");
        assertEquals(Failure.TIMEOUT, stuck.failure());
        assertEquals("no answer within the request deadline of 300 ms", stuck.error());
        assertEquals(List.of(UpstreamServer.parse("192.0.2.1"), UpstreamServer.parse("192.0.2.2")), stuck.servers());
        assertTrue(stuck.elapsed().toMillis() >= 250, "elapsed " + stuck.elapsed());
        answered(resolution, "fine");
        assertTrue(millis < 2000, "took " + millis + " ms");
        // the abandoned query is interrupted so that its virtual thread does not linger
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (resolver.interrupted().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(List.of("stuck"), resolver.interrupted());
    }

    @Test
    void everyProviderTimingOutIsAllTimedOut() {
        resolver.delay(ScriptedDnsResolver.ANY_PROVIDER, Duration.ofSeconds(5)).hang("broken");
        ResolutionService service = service(DEADLINE,
                provider("one", "192.0.2.1"), provider("two", "192.0.2.2"), provider("broken", "192.0.2.3"));

        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));

        assertEquals(Outcome.ALL_TIMED_OUT, resolution.outcome());
        assertEquals(3, resolution.results().size());
        resolution.results().forEach(r ->
                assertEquals(Failure.TIMEOUT, assertInstanceOf(ProviderResult.Failed.class, r).failure()));
        assertEquals(0, resolution.answeredCount());
        assertTrue(resolution.agreement().answerSets().isEmpty());
        assertFalse(resolution.agreement().allAgree());
    }

    @Test
    void mixedFailuresAreAllFailed() {
        resolver.fail("closed", Failure.UNREACHABLE, "port unreachable")
                .fail("garbled", Failure.BAD_RESPONSE, "malformed answer")
                .delay("slow", Duration.ofSeconds(5));
        ResolutionService service = service(DEADLINE,
                provider("closed", "192.0.2.1"), provider("garbled", "192.0.2.2"), provider("slow", "192.0.2.3"));

        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));

        assertEquals(Outcome.ALL_FAILED, resolution.outcome());
        assertEquals(Failure.UNREACHABLE, failed(resolution, "closed").failure());
        assertEquals("port unreachable", failed(resolution, "closed").error());
        assertEquals(Failure.BAD_RESPONSE, failed(resolution, "garbled").failure());
        assertEquals("malformed answer", failed(resolution, "garbled").error());
        assertEquals(Failure.TIMEOUT, failed(resolution, "slow").failure());
    }

    @Test
    void oneAnsweringProviderAmongFailuresIsAnswered() {
        resolver.fail("closed", Failure.UNREACHABLE, "port unreachable")
                .answer("ok", DnsStatus.NXDOMAIN);
        ResolutionService service = service(DEADLINE, provider("closed", "192.0.2.1"), provider("ok", "192.0.2.2"));

        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));

        assertEquals(Outcome.ANSWERED, resolution.outcome());
        assertEquals(DnsStatus.NXDOMAIN, answered(resolution, "ok").response().status());
    }

    // ---- address families ----

    @Test
    void asksOnlyProvidersWithServersOfTheFamilyAndOnlyThoseServers() {
        ResolutionService service = service(DEADLINE,
                provider("dual", "192.0.2.1", "[2001:db8::1]", "192.0.2.2", "[2001:db8::2]:5353"),
                provider("v4only", "192.0.2.3"),
                provider("v6only", "[2001:db8::3]"));

        Resolution resolution = service.resolve(query(RecordType.AAAA, IpFamily.IPV6));

        assertEquals(List.of("dual", "v6only"), providers(resolution));
        assertEquals(IpFamily.IPV6, resolution.family());
        assertTrue(resolver.queries("v4only").isEmpty());
        assertEquals(List.of(new UpstreamServer("2001:db8::1", 53), new UpstreamServer("2001:db8::2", 5353)),
                resolver.queries("dual").get(0).servers());
        assertEquals(List.of(new UpstreamServer("2001:db8::3", 53)), resolver.queries("v6only").get(0).servers());
        // the fake answers from the first server it was given
        assertEquals(new UpstreamServer("2001:db8::1", 53), answered(resolution, "dual").response().server());
    }

    @Test
    void overIpv4TheDualStackProviderGetsItsIpv4ServersOnly() {
        ResolutionService service = service(DEADLINE,
                provider("dual", "[2001:db8::1]", "192.0.2.1", "192.0.2.2"), provider("v6only", "[2001:db8::3]"));

        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));

        assertEquals(List.of("dual"), providers(resolution));
        assertEquals(1, resolver.queries().size());
        assertEquals(List.of(UpstreamServer.parse("192.0.2.1"), UpstreamServer.parse("192.0.2.2")),
                resolver.queries().get(0).servers());
        assertTrue(resolver.queries().get(0).servers().stream().allMatch(s -> s.family() == IpFamily.IPV4));
    }

    @Test
    void noProviderWithServersOfTheFamilyIsNoProviders() {
        ResolutionService service = service(DEADLINE, provider("v4a", "192.0.2.1"), provider("v4b", "192.0.2.2"));

        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV6));

        assertEquals(Outcome.NO_PROVIDERS, resolution.outcome());
        assertTrue(resolution.results().isEmpty());
        assertTrue(resolver.queries().isEmpty());
    }

    @Test
    void noProvidersAtAllIsNoProviders() {
        Resolution resolution = service(DEADLINE).resolve(query(RecordType.A, IpFamily.IPV4));

        assertEquals(Outcome.NO_PROVIDERS, resolution.outcome());
    }

    // ---- the question passed on ----

    @Test
    void passesNameTypeAndADeadlineFromTheClockToTheAdapter() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        ScriptedDnsResolver fake = new ScriptedDnsResolver(clock)
                .answer("p", DnsStatus.NOERROR, mx("example.com.", 60, 10, "mail.example.com."));
        ResolutionService service = new ResolutionService(List.of(provider("p", "192.0.2.1")), fake,
                Duration.ofMillis(400), clock);
        services.add(service);

        Resolution resolution = service.resolve(ResolveQuery.of("Example.COM.", "mx", IpFamily.IPV4));

        UpstreamQuery sent = fake.queries().get(0);
        assertEquals("p", sent.provider());
        assertEquals(DomainName.of("example.com"), sent.name());
        assertEquals(RecordType.MX, sent.type());
        assertEquals(now.plusMillis(400), sent.deadline());
        assertEquals(NAME, resolution.name());
        assertEquals(RecordType.MX, resolution.type());
        assertEquals("10 mail.example.com.", answered(resolution, "p").response().answers().get(0).data());
    }

    // ---- overview ----

    @Test
    void overviewResolvesTheEverydayTypesInOrderSharingOneDeadline() {
        for (String p : List.of("one", "two")) {
            resolver.answer(p, RecordType.A, DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.10"))
                    .answer(p, RecordType.AAAA, DnsStatus.NOERROR, aaaa("example.com.", 300, "2001:db8::10"))
                    .answer(p, RecordType.MX, DnsStatus.NOERROR, mx("example.com.", 300, 10, "mail.example.com."))
                    .answer(p, RecordType.TXT, DnsStatus.NOERROR, txt("example.com.", 300, "v=spf1 -all"))
                    .answer(p, RecordType.SOA, DnsStatus.NOERROR,
                            soa("example.com.", 300, "ns1.example.com.", "hostmaster.example.com."));
        }
        ResolutionService service = service(DEADLINE, provider("one", "192.0.2.1"), provider("two", "192.0.2.2"));

        List<Resolution> overview = service.overview(NAME, IpFamily.IPV4);

        assertEquals(List.of(RecordType.A, RecordType.AAAA, RecordType.MX, RecordType.TXT, RecordType.SOA),
                overview.stream().map(Resolution::type).toList());
        assertEquals(ResolveOverview.TYPES, overview.stream().map(Resolution::type).toList());
        for (Resolution resolution : overview) {
            assertEquals(NAME, resolution.name());
            assertEquals(IpFamily.IPV4, resolution.family());
            assertEquals(List.of("one", "two"), providers(resolution));
            assertTrue(resolution.agreement().allAgree(), resolution.type() + ": " + resolution.agreement());
            assertEquals(resolution.type().name(), answered(resolution, "one").response().answers().get(0).type());
        }
        assertEquals(10, resolver.queries().size());
        assertEquals(1, resolver.queries().stream().map(UpstreamQuery::deadline).distinct().count(),
                "every question of the overview shares one deadline");
    }

    @Test
    void overviewWaitsForTheSharedDeadlineOnceNotOncePerType() {
        resolver.hang("stuck");
        ResolutionService service = service(DEADLINE, provider("stuck", "192.0.2.1"));

        long start = System.nanoTime();
        List<Resolution> overview = service.overview(NAME, IpFamily.IPV4);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(5, overview.size());
        overview.forEach(r -> assertEquals(Outcome.ALL_TIMED_OUT, r.outcome()));
        // five deadlines one after another would be 1500 ms
        assertTrue(millis < 1000, "overview took " + millis + " ms for a 300 ms deadline");
    }

    @Test
    void overviewOverIpv6WithoutIpv6ProvidersIsNoProvidersForEveryType() {
        List<Resolution> overview = service(DEADLINE, provider("v4", "192.0.2.1")).overview(NAME, IpFamily.IPV6);

        assertEquals(5, overview.size());
        overview.forEach(r -> assertEquals(Outcome.NO_PROVIDERS, r.outcome()));
    }

    // ---- misbehaving adapters ----

    @Test
    void anAdapterThatThrowsFailsOnlyThatProviderAsBadResponse() {
        IllegalStateException boom = new IllegalStateException("boom");
        resolver.throwing("buggy", boom)
                .answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, a("example.com.", 60, "192.0.2.10"));
        ResolutionService service = service(DEADLINE, provider("buggy", "192.0.2.1"), provider("good", "192.0.2.2"));

        Resolution resolution = service.resolve(query(RecordType.A, IpFamily.IPV4));

        // the broken promise is logged for operators, with the adapter's exception
        assertEquals(1, logged.size());
        assertEquals(Level.SEVERE, logged.get(0).getLevel());
        assertTrue(logged.get(0).getMessage().contains("buggy"), logged.get(0).getMessage());
        assertSame(boom, logged.get(0).getThrown());

        ProviderResult.Failed buggy = failed(resolution, "buggy");
        assertEquals(Failure.BAD_RESPONSE, buggy.failure());
        assertEquals("internal error while querying", buggy.error());
        assertEquals(List.of(UpstreamServer.parse("192.0.2.1")), buggy.servers());
        answered(resolution, "good");
        assertEquals(Outcome.ANSWERED, resolution.outcome());
    }

    @Test
    void onlyThrowingAdaptersAreAllFailed() {
        resolver.throwing(ScriptedDnsResolver.ANY_PROVIDER, new RuntimeException("boom"));
        ResolutionService service = service(DEADLINE, provider("one", "192.0.2.1"), provider("two", "192.0.2.2"));

        assertEquals(Outcome.ALL_FAILED, service.resolve(query(RecordType.A, IpFamily.IPV4)).outcome());
    }

    // ---- agreement ----

    @Test
    void providersWithTheSameRecordsAgreeWhateverTheTtlAndOrder() {
        resolver.answer("one", DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.1"), a("example.com.", 300, "192.0.2.2"))
                .answer("two", DnsStatus.NOERROR, a("example.com.", 17, "192.0.2.2"), a("example.com.", 17, "192.0.2.1"))
                .fail("down", Failure.UNREACHABLE, "port unreachable");
        ResolutionService service = service(DEADLINE,
                provider("one", "192.0.2.1"), provider("two", "192.0.2.2"), provider("down", "192.0.2.3"));

        Agreement agreement = service.resolve(query(RecordType.A, IpFamily.IPV4)).agreement();

        assertTrue(agreement.allAgree());
        assertEquals(1, agreement.answerSets().size());
        assertEquals(List.of("one", "two"), agreement.answerSets().get(0).providers());
        assertEquals(List.of("A 192.0.2.1", "A 192.0.2.2"), agreement.answerSets().get(0).records());
    }

    @Test
    void providersWithDifferentAnswersDisagree() {
        resolver.answer("one", DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.1"))
                .answer("two", DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.99"))
                .answer("three", DnsStatus.NOERROR, a("example.com.", 60, "192.0.2.1"))
                .answer("four", DnsStatus.NXDOMAIN);
        ResolutionService service = service(DEADLINE, provider("one", "192.0.2.1"), provider("two", "192.0.2.2"),
                provider("three", "192.0.2.3"), provider("four", "192.0.2.4"));

        Agreement agreement = service.resolve(query(RecordType.A, IpFamily.IPV4)).agreement();

        assertFalse(agreement.allAgree());
        assertEquals(List.of(List.of("one", "three"), List.of("two"), List.of("four")),
                agreement.answerSets().stream().map(Agreement.AnswerSet::providers).toList());
        assertEquals(DnsStatus.NXDOMAIN, agreement.answerSets().get(2).status());
        assertEquals(List.of("A 192.0.2.99"), agreement.answerSets().get(1).records());
    }

    // ---- construction, interruption, shutdown ----

    @Test
    void rejectsADeadlineThatIsNotPositive() {
        List<DnsProvider> providers = List.of(provider("p", "192.0.2.1"));
        Clock clock = Clock.systemUTC();
        assertThrows(IllegalArgumentException.class,
                () -> new ResolutionService(providers, resolver, Duration.ZERO, clock));
        assertThrows(IllegalArgumentException.class,
                () -> new ResolutionService(providers, resolver, Duration.ofMillis(-1), clock));
        assertThrows(NullPointerException.class, () -> new ResolutionService(providers, resolver, null, clock));
        assertThrows(NullPointerException.class, () -> new ResolutionService(providers, null, DEADLINE, clock));
        assertThrows(NullPointerException.class, () -> new ResolutionService(providers, resolver, DEADLINE, null));
        assertThrows(NullPointerException.class, () -> new ResolutionService(null, resolver, DEADLINE, clock));
    }

    @Test
    void copiesTheProviderList() {
        List<DnsProvider> providers = new ArrayList<>(List.of(provider("p", "192.0.2.1")));
        ResolutionService service = new ResolutionService(providers, resolver, DEADLINE, Clock.systemUTC());
        services.add(service);
        providers.add(provider("late", "192.0.2.2"));

        assertEquals(List.of("p"), providers(service.resolve(query(RecordType.A, IpFamily.IPV4))));
    }

    @Test
    void aCallerInterruptedWhileWaitingGetsTimeoutsAndKeepsItsInterruptFlag() throws Exception {
        resolver.delay("slow", Duration.ofSeconds(5));
        ResolutionService service = service(Duration.ofSeconds(10), provider("slow", "192.0.2.1"));
        AtomicReference<Resolution> resolution = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();

        Thread caller = Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt();
            resolution.set(service.resolve(query(RecordType.A, IpFamily.IPV4)));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        assertTrue(caller.join(Duration.ofSeconds(3)), "an interrupted caller must not wait for the deadline");

        ProviderResult.Failed slow = failed(resolution.get(), "slow");
        assertEquals(Failure.TIMEOUT, slow.failure());
        assertEquals("interrupted while waiting for an answer", slow.error());
        assertTrue(stillInterrupted.get());
    }

    @Test
    void closingInterruptsQueriesInFlightAndRejectsNewWork() throws Exception {
        resolver.hang("stuck");
        ResolutionService service = service(Duration.ofSeconds(10), provider("stuck", "192.0.2.1"));
        CompletableFuture<Resolution> pending =
                CompletableFuture.supplyAsync(() -> service.resolve(query(RecordType.A, IpFamily.IPV4)));
        assertTrue(resolver.awaitQueries(1, Duration.ofSeconds(2)));

        service.close();

        Resolution resolution = pending.get(3, TimeUnit.SECONDS);
        assertEquals(Failure.TIMEOUT, failed(resolution, "stuck").failure());
        assertEquals(List.of("stuck"), resolver.interrupted());
        assertThrows(RejectedExecutionException.class, () -> service.resolve(query(RecordType.A, IpFamily.IPV4)));
    }
}
