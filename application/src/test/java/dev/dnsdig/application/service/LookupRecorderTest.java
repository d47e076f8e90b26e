package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.application.fakes.InMemoryLookupHistory;
import dev.dnsdig.application.port.in.ListLookups;
import dev.dnsdig.application.port.out.LookupHistory;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link LookupRecorder}: batches written on its own thread, a bounded queue that drops and counts instead of
 * blocking, failures that lose one batch only, and a close that writes everything queued. Latches, no sleeps: a store
 * that blocks until the test lets it go.
 */
class LookupRecorderTest {
    private static final Instant T0 = Instant.parse("2026-05-06T07:08:09.010Z");
    private static final UserId ANN = UserId.generate(T0);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(T0);
    private final Gate store = new Gate();

    private static List<LookupResult> results(int n) {
        return IntStream.range(0, n).mapToObj(i -> new LookupResult(DomainName.of("n" + i + ".example"), RecordType.A,
                IpFamily.IPV4, "p", LookupResult.Outcome.ANSWERED, "NOERROR", false, Duration.ofMillis(i))).toList();
    }

    /** A store that records each batch and the thread that wrote it, and holds the first write until released. */
    private static final class Gate implements LookupHistory {
        final InMemoryLookupHistory stored = new InMemoryLookupHistory();
        final List<List<Lookup>> batches = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final List<Instant> purges = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean failNext;
        /** How many writes from now on fail as a store that cannot be reached. */
        final java.util.concurrent.atomic.AtomicInteger unavailable = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void saveAll(List<Lookup> lookups) {
            entered.countDown();
            try {
                if (!release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("never released");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            threads.add(Thread.currentThread().getName());
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("the store is down");
            }
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StorageUnavailableException("the store is unavailable");
            }
            batches.add(List.copyOf(lookups));
            stored.saveAll(lookups);
        }

        @Override
        public Page<Lookup> list(UserId owner, Instant since, Optional<LookupId> after, int limit) {
            return stored.list(owner, since, after, limit);
        }

        @Override
        public Latencies latencies(Instant from, Instant until, int max) {
            return stored.latencies(from, until, max);
        }

        @Override
        public void deleteBefore(Instant cutoff) {
            purges.add(cutoff);
        }

        @Override
        public void deleteAllOf(UserId owner) {
            stored.deleteAllOf(owner);
        }

        void awaitEntered() throws InterruptedException {
            assertTrue(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the writer never wrote");
        }
    }

    @Test
    void recordsAreWrittenInBatchesOnTheRecordersOwnThread() throws Exception {
        LookupRecorder recorder = new LookupRecorder(store, clock, 100, 4);
        recorder.record(ANN, results(1));
        store.awaitEntered(); // the writer holds the first record; the next ten wait in the queue
        recorder.record(ANN, results(10));
        assertEquals(10, recorder.queued());

        store.release.countDown();
        recorder.close();

        assertEquals(List.of(1, 4, 4, 2), store.batches.stream().map(List::size).toList());
        assertEquals(11, recorder.written());
        assertEquals(0, recorder.queued());
        assertEquals(0, recorder.dropped());
        store.threads.forEach(name -> assertEquals("dnsdig-lookup-recorder", name));
        assertNotEquals("dnsdig-lookup-recorder", Thread.currentThread().getName());
        List<Lookup> saved = store.stored.all();
        assertEquals(11, saved.size());
        saved.forEach(lookup -> {
            assertEquals(ANN, lookup.user());
            assertEquals(T0, lookup.at());
        });
        assertEquals(results(1).getFirst(), saved.getFirst().result());
    }

    @Test
    void nothingOfAForgottenAccountIsWrittenOnceItsHistoryIsDeleted() throws Exception {
        UserId bob = UserId.generate(T0.plusMillis(1));
        LookupRecorder recorder = new LookupRecorder(store, clock, 100, 4);
        recorder.record(ANN, results(1));
        store.awaitEntered(); // the writer holds a batch with one of Ann's records
        recorder.record(ANN, results(3));
        recorder.record(bob, results(2));

        // the account's deletion: the recorder first, then the history (as AccountService is wired)
        var deletion = java.util.concurrent.CompletableFuture.runAsync(() -> {
            recorder.forget(ANN);
            store.deleteAllOf(ANN);
        });
        Thread.sleep(200);
        assertFalse(deletion.isDone(), "forget waits for the batch being written");
        store.release.countDown();
        deletion.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        recorder.record(ANN, results(2)); // a lookup of hers that was still under way
        recorder.record(bob, results(1));
        recorder.close();

        List<Lookup> saved = store.stored.all();
        assertEquals(List.of(), saved.stream().filter(lookup -> lookup.user().equals(ANN)).toList());
        assertEquals(3, saved.stream().filter(lookup -> lookup.user().equals(bob)).count());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingTheCaller() throws Exception {
        LookupRecorder recorder = new LookupRecorder(store, clock, 3, 1);
        recorder.record(ANN, results(1));
        store.awaitEntered();

        // the store is stuck: the caller still returns at once
        assertTimeoutPreemptively(PATIENCE, () -> recorder.record(ANN, results(5)));
        assertEquals(2, recorder.dropped());
        assertEquals(3, recorder.queued());
        assertTimeoutPreemptively(PATIENCE, () -> recorder.record(ANN, results(2)));
        assertEquals(4, recorder.dropped());

        store.release.countDown();
        recorder.close();
        assertEquals(4, recorder.written());
        assertEquals(4, store.stored.all().size());
    }

    @Test
    void manyThreadsRecordingAtOnceLoseNothingTheBoundKeepsAndPassTheBoundNever() throws Exception {
        LookupRecorder recorder = new LookupRecorder(store, clock, 5_000, 500);
        store.release.countDown(); // a store that writes at once
        AtomicInteger mostQueued = new AtomicInteger();
        int total = recordConcurrently(32, 1_000, () -> {
            recorder.record(ANN, results(1));
            mostQueued.accumulateAndGet(recorder.queued(), Math::max);
        }, () -> {});
        recorder.close();

        assertTrue(mostQueued.get() <= 5_000, "queued " + mostQueued.get());
        assertEquals(total, recorder.written() + recorder.dropped());
        List<Lookup> saved = store.stored.all();
        assertEquals(recorder.written(), saved.size());
        assertEquals(saved.size(), saved.stream().map(Lookup::id).distinct().count(), "each record written once");
        assertTrue(store.batches.stream().allMatch(batch -> batch.size() <= 500));
        assertEquals(0, recorder.queued());
    }

    @Test
    void recordsRacingCloseAreEitherWrittenOrCountedDroppedNeverAcceptedAndLeftBehind() throws Exception {
        store.release.countDown();
        for (int round = 0; round < 20; round++) {
            LookupRecorder recorder = new LookupRecorder(store, clock, 1_000, 50);
            long pause = round % 3; // close early, midway or late in the callers' run
            int total = recordConcurrently(8, 300, () -> recorder.record(ANN, results(1)), () -> {
                Thread.sleep(pause);
                recorder.close();
            });
            assertEquals(total, recorder.written() + recorder.dropped(), "round " + round);
            assertEquals(0, recorder.queued(), "round " + round);
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs {@code each} steps on each of {@code threads} virtual threads, all let go at once, and {@code meanwhile}
     * on this thread after letting them go; returns once all are done, with how many steps there were. */
    private static int recordConcurrently(int threads, int each, Step step, Step meanwhile) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                callers.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        step.run();
                    }
                    return null;
                });
            }
            start.countDown();
            meanwhile.run();
        }
        return threads * each;
    }

    @Test
    void aFailedWriteLosesThatBatchOnlyAndIsCounted() throws Exception {
        store.failNext = true;
        LookupRecorder recorder = new LookupRecorder(store, clock, 100, 2);
        recorder.record(ANN, results(1));
        store.awaitEntered();
        recorder.record(ANN, results(3));
        store.release.countDown();
        recorder.close();

        assertEquals(1, recorder.failed());
        assertEquals(3, recorder.written());
        assertEquals(List.of(2, 1), store.batches.stream().map(List::size).toList());
    }

    @Test
    void whileTheStoreIsUnavailableRecordsAreLostAndCountedAndAfterItWritesAgain() throws Exception {
        store.unavailable.set(2);
        store.release.countDown();
        LookupRecorder recorder = new LookupRecorder(store, clock, 100, 1);
        for (int i = 0; i < 3; i++) {
            recorder.record(ANN, results(1));
            assertTrue(recorder.awaitWritten(PATIENCE));
        }
        recorder.close();

        assertEquals(2, recorder.failed());
        assertEquals(1, recorder.written());
        assertEquals(1, store.stored.all().size());
    }

    @Test
    void closeWritesEverythingQueuedAndLaterRecordsAreDropped() throws Exception {
        LookupRecorder recorder = new LookupRecorder(store, clock, 1_000, 50);
        recorder.record(ANN, results(1));
        store.awaitEntered();
        recorder.record(ANN, results(500));
        store.release.countDown();

        recorder.close();

        assertEquals(501, store.stored.all().size(), "nothing queued is lost");
        assertEquals(0, recorder.queued());
        recorder.record(ANN, results(2));
        assertEquals(2, recorder.dropped());
        assertEquals(501, store.stored.all().size());
    }

    @Test
    void awaitWrittenReturnsOnceEverythingRecordedIsWritten() throws Exception {
        LookupRecorder recorder = new LookupRecorder(store, clock, 100, 10);
        recorder.record(ANN, results(1));
        store.awaitEntered();
        recorder.record(ANN, results(3));
        assertEquals(false, recorder.awaitWritten(Duration.ofMillis(50)), "the store holds the first write");

        store.release.countDown();
        assertTrue(recorder.awaitWritten(PATIENCE));
        assertEquals(4, store.stored.all().size());
        recorder.close();
    }

    @Test
    void closingAnIdleRecorderReturns() {
        LookupRecorder recorder = new LookupRecorder(store, clock);
        assertTimeoutPreemptively(PATIENCE, recorder::close);
        assertEquals(List.of(), store.batches);
    }

    @Test
    void lookupsPastRetentionArePurgedAtMostHourly() throws Exception {
        LookupRecorder recorder = new LookupRecorder(store, clock, 100, 1);
        recorder.record(ANN, results(1));
        store.awaitEntered();
        recorder.record(ANN, results(1)); // a second batch in the same hour
        store.release.countDown();
        recorder.close();
        assertEquals(2, recorder.written());
        assertEquals(List.of(T0.minus(ListLookups.RETENTION)), store.purges);

        clock.advance(Duration.ofHours(1));
        Gate later = new Gate();
        later.release.countDown();
        LookupRecorder next = new LookupRecorder(later, clock, 100, 1);
        next.record(ANN, results(1));
        later.awaitEntered(); // the batch was taken before close: it is not the last one, so the purge follows it
        next.close();
        assertEquals(List.of(T0.plus(Duration.ofHours(1)).minus(ListLookups.RETENTION)), later.purges);
    }
}
