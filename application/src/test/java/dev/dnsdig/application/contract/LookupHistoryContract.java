package dev.dnsdig.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.port.out.LookupHistory;
import dev.dnsdig.application.port.out.LookupHistory.Latencies;
import dev.dnsdig.application.port.out.LookupHistory.Sample;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.RecordType;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of every {@link LookupHistory}: subclass once per adapter and return a fresh, empty store. Instants have
 * whole milliseconds, which is what a BSON date keeps.
 */
public abstract class LookupHistoryContract {
    private static final Instant T0 = Instant.parse("2026-02-03T04:05:06.789Z");
    private static final Instant LONG_AGO = T0.minus(Duration.ofDays(365));
    private static final UserId ANN = UserId.generate(T0);
    private static final UserId BOB = UserId.generate(T0.plusMillis(1));

    protected LookupHistory history;

    /** A fresh store with no lookups in it. */
    protected abstract LookupHistory newHistory();

    @BeforeEach
    void freshHistory() {
        history = newHistory();
    }

    private static Lookup lookup(UserId user, Instant at, String provider, Outcome outcome, Duration elapsed) {
        return new Lookup(LookupId.generate(at), user, at, new LookupResult(DomainName.of("www.example.com"),
                RecordType.AAAA, IpFamily.IPV6, provider, outcome, outcome == Outcome.ANSWERED ? "NOERROR" : "timeout",
                false, elapsed));
    }

    private static Lookup lookup(UserId user, Instant at) {
        return lookup(user, at, "google", Outcome.ANSWERED, Duration.ofMillis(12));
    }

    private List<Lookup> all(UserId owner) {
        return history.list(owner, LONG_AGO, Optional.empty(), 1_000).items();
    }

    @Test
    void aSavedLookupReadsBackWithEveryFieldIntact() {
        Lookup lookup = new Lookup(LookupId.generate(T0), ANN, T0, new LookupResult(DomainName.of("bücher.example"),
                RecordType.CAA, IpFamily.IPV4, "quad9 ✓", Outcome.FAILED, "bad-response", true,
                Duration.ofNanos(12_345_678_901L)));

        history.saveAll(List.of(lookup));

        assertEquals(List.of(lookup), all(ANN));
        assertEquals(new Latencies(List.of(new Sample("quad9 ✓", Outcome.FAILED, Duration.ofNanos(12_345_678_901L))), false),
                history.latencies(T0, T0.plusMillis(1), 10));
    }

    @Test
    void anEmptyBatchIsNothing() {
        history.saveAll(List.of());
        assertEquals(List.of(), all(ANN));
    }

    @Test
    void theListingHasOnlyTheOwnersLookupsNewestFirst() {
        Lookup first = lookup(ANN, T0);
        Lookup bobs = lookup(BOB, T0.plusSeconds(1));
        Lookup second = lookup(ANN, T0.plusSeconds(2));
        Lookup third = lookup(ANN, T0.plusSeconds(3));
        history.saveAll(List.of(second, bobs, third));
        history.saveAll(List.of(first));

        assertEquals(new Page<>(List.of(third, second, first), false), history.list(ANN, LONG_AGO, Optional.empty(), 10));
        assertEquals(List.of(bobs), all(BOB));
        assertEquals(List.of(), all(UserId.generate(T0)));
    }

    @Test
    void theListingLeavesOutLookupsBeforeSince() {
        Lookup old = lookup(ANN, T0.minusMillis(1));
        Lookup edge = lookup(ANN, T0);
        Lookup recent = lookup(ANN, T0.plusSeconds(5));
        history.saveAll(List.of(old, edge, recent));

        assertEquals(new Page<>(List.of(recent, edge), false), history.list(ANN, T0, Optional.empty(), 10));
    }

    @Test
    void cursorPaginationWalksEveryLookupExactlyOnceWithEveryPageSize() {
        List<Lookup> saved = new ArrayList<>();
        // several in one millisecond: the ids, not the times, order them
        for (Instant at : List.of(T0, T0, T0, T0.plusMillis(1), T0.plusMillis(1), T0.plusSeconds(2), T0.plusSeconds(3))) {
            saved.add(lookup(ANN, at));
        }
        saved.add(lookup(BOB, T0.plusMillis(1)));
        history.saveAll(saved);
        List<Lookup> expected = saved.stream().filter(l -> l.ownedBy(ANN)).toList().reversed();

        for (int limit = 1; limit <= expected.size() + 1; limit++) {
            List<Lookup> seen = new ArrayList<>();
            Optional<LookupId> after = Optional.empty();
            Page<Lookup> page;
            int pages = 0;
            do {
                page = history.list(ANN, LONG_AGO, after, limit);
                assertTrue(++pages <= 100, "the walk ends");
                assertTrue(page.items().size() == limit || !page.more(), "only the last page is short");
                seen.addAll(page.items());
                after = page.items().isEmpty() ? Optional.empty() : Optional.of(page.items().getLast().id());
            } while (page.more());
            assertEquals(expected, seen, "limit " + limit);
            assertEquals(Math.max(1, (expected.size() + limit - 1) / limit), pages, "limit " + limit);
        }
    }

    @Test
    void aCursorIsAPositionSoAnyIdWorks() {
        Lookup a = lookup(ANN, T0);
        Lookup b = lookup(ANN, T0.plusSeconds(2));
        history.saveAll(List.of(a, b));

        assertEquals(new Page<>(List.of(a), false),
                history.list(ANN, LONG_AGO, Optional.of(LookupId.generate(T0.plusSeconds(1))), 10));
        assertEquals(new Page<>(List.of(), false), history.list(ANN, LONG_AGO, Optional.of(a.id()), 10));
    }

    @Test
    void latenciesAreThoseOfTheWindowOfEveryUserNewestFirst() {
        Lookup before = lookup(ANN, T0.minusMillis(1), "google", Outcome.ANSWERED, Duration.ofMillis(1));
        Lookup atStart = lookup(ANN, T0, "google", Outcome.ANSWERED, Duration.ofMillis(2));
        Lookup bobs = lookup(BOB, T0.plusSeconds(1), "quad9", Outcome.FAILED, Duration.ofSeconds(2));
        Lookup last = lookup(ANN, T0.plusSeconds(59), "quad9", Outcome.ANSWERED, Duration.ofMillis(4));
        Lookup atEnd = lookup(ANN, T0.plusSeconds(60), "google", Outcome.ANSWERED, Duration.ofMillis(5));
        history.saveAll(List.of(before, atStart, bobs, last, atEnd));

        assertEquals(new Latencies(List.of(new Sample("quad9", Outcome.ANSWERED, Duration.ofMillis(4)),
                new Sample("quad9", Outcome.FAILED, Duration.ofSeconds(2)),
                new Sample("google", Outcome.ANSWERED, Duration.ofMillis(2))), false),
                history.latencies(T0, T0.plusSeconds(60), 10));
        assertEquals(new Latencies(List.of(), false), history.latencies(T0.plusSeconds(61), T0.plusSeconds(62), 10));
    }

    @Test
    void latenciesStopAtTheMaximumAndSaySo() {
        history.saveAll(IntStream.range(0, 5).mapToObj(i -> lookup(ANN, T0.plusSeconds(i), "p" + i, Outcome.ANSWERED,
                Duration.ofMillis(i))).toList());

        Latencies three = history.latencies(T0, T0.plusSeconds(10), 3);
        assertTrue(three.truncated());
        assertEquals(List.of("p4", "p3", "p2"), three.samples().stream().map(Sample::provider).toList(), "the newest");
        assertFalse(history.latencies(T0, T0.plusSeconds(10), 5).truncated(), "exactly all");
    }

    @Test
    void deleteBeforeRemovesOnlyOlderLookups() {
        Lookup old = lookup(ANN, T0.minusMillis(1));
        Lookup edge = lookup(BOB, T0);
        Lookup recent = lookup(ANN, T0.plusSeconds(1));
        history.saveAll(List.of(old, edge, recent));

        history.deleteBefore(T0);

        assertEquals(List.of(recent), all(ANN));
        assertEquals(List.of(edge), all(BOB));
    }

    @Test
    void deleteAllOfRemovesEveryLookupOfThatOwnerOnly() {
        Lookup anns = lookup(ANN, T0);
        Lookup bobs = lookup(BOB, T0);
        history.saveAll(List.of(anns, bobs, lookup(ANN, T0.plusSeconds(1))));

        history.deleteAllOf(ANN);

        assertEquals(List.of(), all(ANN));
        assertEquals(List.of(bobs), all(BOB));
        history.deleteAllOf(UserId.generate(T0)); // nobody's: harmless
        assertEquals(List.of(bobs), all(BOB));
        assertEquals(1, history.latencies(LONG_AGO, T0.plus(Duration.ofDays(1)), 10).samples().size());
    }

    @Test
    void aLargeBatchIsStoredWhole() {
        List<Lookup> batch = IntStream.range(0, 1_000).mapToObj(i -> lookup(ANN, T0.plusMillis(i))).toList();
        history.saveAll(batch);

        assertEquals(1_000, history.latencies(T0, T0.plusSeconds(1), 2_000).samples().size());
        assertEquals(batch.reversed().subList(0, 100), history.list(ANN, LONG_AGO, Optional.empty(), 100).items());
    }
}
