package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.application.fakes.InMemoryLookupHistory;
import dev.dnsdig.application.port.in.ListLookups;
import dev.dnsdig.application.port.in.ReportProviderStatistics;
import dev.dnsdig.application.port.in.ReportProviderStatistics.ProviderStatistics;
import dev.dnsdig.application.port.in.ReportProviderStatistics.Report;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.history.LatencySummary;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.domain.history.LookupResult.Outcome;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Tests of {@link LookupHistoryService}: own history within retention, and statistics over a window. */
class LookupHistoryServiceTest {
    private static final Instant NOW = Instant.parse("2026-05-06T12:00:00Z");
    private static final UserId ANN = UserId.generate(NOW);
    private static final UserId BOB = UserId.generate(NOW);

    private final InMemoryLookupHistory history = new InMemoryLookupHistory();
    private final LookupHistoryService service = new LookupHistoryService(history, new MutableClock(NOW));

    private Lookup saved(UserId user, Instant at, String provider, Outcome outcome, long millis) {
        Lookup lookup = new Lookup(LookupId.generate(at), user, at, new LookupResult(DomainName.of("example.com"),
                RecordType.A, IpFamily.IPV4, provider, outcome, outcome == Outcome.ANSWERED ? "NOERROR" : "timeout",
                false, Duration.ofMillis(millis)));
        history.saveAll(List.of(lookup));
        return lookup;
    }

    @Test
    void aUserSeesOwnLookupsWithinRetentionNewestFirst() {
        saved(ANN, NOW.minus(ListLookups.RETENTION).minusMillis(1), "p", Outcome.ANSWERED, 1);
        Lookup oldest = saved(ANN, NOW.minus(ListLookups.RETENTION), "p", Outcome.ANSWERED, 1);
        Lookup newest = saved(ANN, NOW.minusSeconds(1), "p", Outcome.ANSWERED, 1);
        saved(BOB, NOW, "p", Outcome.ANSWERED, 1);

        assertEquals(new Page<>(List.of(newest), true), service.list(ANN, Optional.empty(), 1));
        assertEquals(new Page<>(List.of(oldest), false), service.list(ANN, Optional.of(newest.id()), 1),
                "the lookup older than the retention is never listed, even while the store still has it");
        assertThrows(InvalidValueException.class, () -> service.list(ANN, Optional.empty(), 0));
        assertThrows(InvalidValueException.class, () -> service.list(ANN, Optional.empty(), ListLookups.MAX_PAGE + 1));
    }

    @Test
    void statisticsArePerProviderOverTheWindowWithNearestRankPercentiles() {
        saved(ANN, NOW.minus(Duration.ofHours(1)).minusMillis(1), "google", Outcome.ANSWERED, 9_999); // before the window
        IntStream.rangeClosed(1, 100).forEach(i -> saved(i % 2 == 0 ? ANN : BOB, NOW.minusSeconds(i), "google",
                Outcome.ANSWERED, i));
        saved(ANN, NOW.minusSeconds(5), "quad9", Outcome.FAILED, 2_000);
        saved(BOB, NOW.minusSeconds(6), "quad9", Outcome.ANSWERED, 20);

        Report report = service.statistics(Duration.ofHours(1));

        assertEquals(NOW, report.until());
        assertEquals(NOW.minus(Duration.ofHours(1)), report.from());
        assertTrue(report.complete());
        List<Duration> google = IntStream.rangeClosed(1, 100).mapToObj(i -> Duration.ofMillis(i)).toList();
        List<Duration> quad9 = new ArrayList<>(List.of(Duration.ofMillis(2_000), Duration.ofMillis(20)));
        assertEquals(List.of(new ProviderStatistics("google", 100, 0, LatencySummary.of(google)),
                new ProviderStatistics("quad9", 1, 1, LatencySummary.of(quad9))), report.providers());
        LatencySummary googleLatency = report.providers().getFirst().latency();
        assertEquals(Duration.ofMillis(50), googleLatency.p50());
        assertEquals(Duration.ofMillis(95), googleLatency.p95());
        assertEquals(Duration.ofMillis(99), googleLatency.p99());
        assertEquals(Duration.ofMillis(20), report.providers().get(1).latency().p50(), "rank ceil(0.5 * 2) = 1");
        assertEquals(Duration.ofMillis(2_000), report.providers().get(1).latency().p95(), "rank ceil(0.95 * 2) = 2");
    }

    @Test
    void anEmptyWindowHasNoProviders() {
        Report report = service.statistics(ReportProviderStatistics.MIN_WINDOW);
        assertEquals(List.of(), report.providers());
        assertTrue(report.complete());
    }

    @Test
    void theWindowIsFromOneMinuteToSevenDays() {
        assertEquals(NOW.minus(Duration.ofDays(7)), service.statistics(ReportProviderStatistics.MAX_WINDOW).from());
        assertThrows(InvalidValueException.class, () -> service.statistics(Duration.ofSeconds(59)));
        assertThrows(InvalidValueException.class, () -> service.statistics(Duration.ofDays(7).plusMillis(1)));
    }

    @Test
    void aWindowWithMoreLookupsThanAreReadSaysItIsIncomplete() {
        history.saveAll(IntStream.range(0, ReportProviderStatistics.MAX_SAMPLES + 1).mapToObj(i -> new Lookup(
                LookupId.generate(NOW.minusMillis(i + 1)), ANN, NOW.minusMillis(i + 1), new LookupResult(
                DomainName.of("example.com"), RecordType.A, IpFamily.IPV4, "p", Outcome.ANSWERED, "NOERROR", false,
                Duration.ofMillis(1)))).toList());

        Report report = service.statistics(Duration.ofHours(1));

        assertFalse(report.complete());
        assertEquals(ReportProviderStatistics.MAX_SAMPLES, report.providers().getFirst().latency().count());
    }
}
