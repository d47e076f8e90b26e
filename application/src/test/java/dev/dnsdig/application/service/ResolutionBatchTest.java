package dev.dnsdig.application.service;

import static dev.dnsdig.application.fakes.Records.a;
import static dev.dnsdig.application.fakes.Records.mx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.ScriptedDnsResolver;
import dev.dnsdig.application.port.in.ResolveBatch;
import dev.dnsdig.application.port.in.ResolveBatch.BatchQuery;
import dev.dnsdig.application.port.in.ResolveBatch.BatchResult;
import dev.dnsdig.application.port.in.ResolveBatch.Question;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.Resolution;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ResolutionService#resolveBatch}: per-question rejections, order, bounded concurrency, one deadline. */
class ResolutionBatchTest {
    private static final Duration DEADLINE = Duration.ofMillis(400);
    private final ScriptedDnsResolver dns = new ScriptedDnsResolver();
    private final List<ResolutionService> services = new ArrayList<>();

    private ResolutionService service(String... providers) {
        ResolutionService service = new ResolutionService(java.util.Arrays.stream(providers)
                .map(name -> new DnsProvider(name, List.of(UpstreamServer.parse("192.0.2.1")))).toList(),
                dns, DEADLINE, Clock.systemUTC());
        services.add(service);
        return service;
    }

    @AfterEach
    void close() {
        services.forEach(ResolutionService::close);
    }

    private static BatchQuery batch(Question... questions) {
        return new BatchQuery(List.of(questions), IpFamily.IPV4);
    }

    @Test
    void oneResultPerQuestionInOrderAndABrokenQuestionIsRejectedAlone() {
        dns.answer("alpha", RecordType.A, DnsStatus.NOERROR, a("example.com.", 300, "192.0.2.10"));
        dns.answer("alpha", RecordType.MX, DnsStatus.NOERROR, mx("example.com.", 300, 10, "mail.example.com."));
        List<BatchResult> results = service("alpha", "beta").resolveBatch(batch(new Question("example.com", "A"),
                new Question("bad..name", "A"), new Question("example.com", "mx"), new Question("example.com", "BOGUS"),
                new Question(null, "A")));
        assertEquals(5, results.size());
        Resolution first = assertInstanceOf(BatchResult.Resolved.class, results.get(0)).resolution();
        assertEquals(RecordType.A, first.type());
        assertEquals(2, first.answeredCount(), "every provider asked");
        assertEquals("name", assertInstanceOf(BatchResult.Rejected.class, results.get(1)).field());
        assertEquals(RecordType.MX, assertInstanceOf(BatchResult.Resolved.class, results.get(2)).resolution().type());
        BatchResult.Rejected type = assertInstanceOf(BatchResult.Rejected.class, results.get(3));
        assertEquals("type", type.field());
        assertTrue(type.message().contains("BOGUS"), type.message());
        assertEquals(new Question("", "A"), results.get(4).question(), "a missing name is the empty one");
        assertEquals("name", assertInstanceOf(BatchResult.Rejected.class, results.get(4)).field());
        assertEquals(4, dns.queries().size(), "two valid questions, two providers; the broken ones never asked");
    }

    @Test
    void atMostEightQuestionsAreAskedAtOnce() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // the first eight wait until all eight are in flight: with fewer at once they would wait in vain and time out
        CountDownLatch eight = new CountDownLatch(ResolveBatch.CONCURRENCY);
        dns.respond("alpha", query -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                eight.countDown();
                eight.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                return new ProviderResult.Answered("alpha", new DnsResponse(DnsStatus.NOERROR,
                        ScriptedDnsResolver.RECURSIVE_FLAGS, List.of(), List.of(), query.servers().get(0), Transport.UDP,
                        Duration.ofMillis(1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        });
        List<BatchResult> results = service("alpha").resolveBatch(new BatchQuery(IntStream.range(0, 40)
                .mapToObj(i -> new Question("host" + i + ".example.com", "A")).toList(), IpFamily.IPV4));
        assertEquals(ResolveBatch.CONCURRENCY, most.get());
        assertEquals(40, results.stream().filter(r -> r instanceof BatchResult.Resolved resolved
                && resolved.resolution().answeredCount() == 1).count(), "all answered, none waited in vain");
        for (int i = 0; i < 40; i++) {
            assertEquals("host" + i + ".example.com.",
                    ((BatchResult.Resolved) results.get(i)).resolution().name().fqdn(), "in the order asked");
        }
    }

    @Test
    void questionsStillWaitingForATurnAtTheDeadlineAreNotAskedAndTimeOut() {
        dns.delay("alpha", Duration.ofSeconds(30)); // honours the deadline: times out at it
        long start = System.nanoTime();
        List<BatchResult> results = service("alpha").resolveBatch(new BatchQuery(IntStream.range(0, 40)
                .mapToObj(i -> new Question("slow" + i + ".example.com", "A")).toList(), IpFamily.IPV4));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "one deadline for the whole batch: " + took);
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        for (BatchResult result : results) {
            Resolution resolution = assertInstanceOf(BatchResult.Resolved.class, result).resolution();
            assertEquals(Resolution.Outcome.ALL_TIMED_OUT, resolution.outcome());
            errors.add(((ProviderResult.Failed) resolution.results().get(0)).error());
        }
        long notAsked = errors.stream().filter(e -> e.startsWith("not asked")).count();
        // 40 questions: the fake keeps the wall-clock deadline, which may pass a moment before the monotonic one, so a
        // few may still get a turn in that moment; most wait in vain
        assertTrue(notAsked >= 16, errors::toString);
        assertTrue(notAsked + dns.queries().size() <= 40, "no question asked twice, none both asked and not: "
                + notAsked + " not asked, " + dns.queries().size() + " asked");
    }

    @Test
    void aBatchHoldsOneToAHundredQuestions() {
        assertEquals("queries", assertThrows(InvalidValueException.class, () -> batch()).field());
        List<Question> many = Collections.nCopies(ResolveBatch.MAX_QUESTIONS + 1, new Question("example.com", "A"));
        InvalidValueException tooMany = assertThrows(InvalidValueException.class,
                () -> new BatchQuery(many, IpFamily.IPV4));
        assertTrue(tooMany.getMessage().contains("100"), tooMany.getMessage());
        assertEquals(100, new BatchQuery(many.subList(0, 100), IpFamily.IPV4).questions().size());
    }
}
