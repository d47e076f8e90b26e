package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.ListLookups;
import dev.dnsdig.application.port.in.RecordLookups;
import dev.dnsdig.application.port.out.LookupHistory;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.domain.user.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Implements recording lookups without slowing or failing them: {@link #record} only offers the records to a bounded
 * queue (never waiting: a full queue drops them and counts them in {@link #dropped()}); one thread of its own takes
 * them out in batches of up to {@code batchSize} and writes each batch with one call to the store. A failed write
 * loses that batch (counted in {@link #failed()}) and the writer goes on; so while the store is unavailable, what is
 * recorded is lost and counted, and no lookup waits for it. {@link #close()} stops taking new records
 * and returns once everything queued before it is written. The writer also deletes lookups past
 * {@link ListLookups#RETENTION} once an hour, so retention does not depend on a store's TTL.
 */
public final class LookupRecorder implements RecordLookups, AutoCloseable {
    /** Enough for a few seconds of a busy server's lookups while the store is slow. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /** One insert of this many documents costs about as much as a few single ones. */
    public static final int DEFAULT_BATCH = 500;
    /** How long the writer lets records gather before a write that would be smaller than a batch. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final Duration FORGET_FOR = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(LookupRecorder.class.getName());
    private final LookupHistory history;
    private final Clock clock;
    /**
     * Lock-free, bounded by {@link #queued}: a lookup never waits for the writer. With a blocking queue's lock, which the
     * writer held while it took a batch out, request threads queued behind it, and each had to wait for its turn on
     * the virtual-thread scheduler to pass the lock on: under load some lookups took seconds.
     */
    private final Queue<Lookup> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final int batchSize;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    /** Accepted records not written because their account was deleted meanwhile. */
    private final AtomicLong discarded = new AtomicLong();
    /** Notified after every write, for {@link #awaitWritten}. */
    private final Object progress = new Object();
    private final Thread writer;
    private volatile boolean closed;
    private Instant lastPurge = Instant.MIN;
    /** Whether the last write failed for want of the store (the writer thread's alone). */
    private boolean storeDown;
    /** Deleted accounts and when: their records are not written any more (see {@link #forget}). */
    private final Map<UserId, Instant> forgotten = new ConcurrentHashMap<>();
    /** Held while a batch is being written, so that {@link #forget} can wait for one already under way. */
    private final Object saving = new Object();

    public LookupRecorder(LookupHistory history, Clock clock) {
        this(history, clock, DEFAULT_CAPACITY, DEFAULT_BATCH);
    }

    public LookupRecorder(LookupHistory history, Clock clock, int capacity, int batchSize) {
        if (capacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("capacity and batch size are at least 1");
        }
        this.history = history;
        this.clock = clock;
        this.capacity = capacity;
        this.batchSize = batchSize;
        // a platform thread: it blocks in the store's driver, and must not keep the JVM alive by itself
        this.writer = Thread.ofPlatform().name("dnsdig-lookup-recorder").daemon(true).start(this::write);
    }

    @Override
    public void record(UserId user, List<LookupResult> results) {
        if (!forgotten.isEmpty() && forgotten.containsKey(user)) {
            return; // the account is gone (or going): its lookups are not kept
        }
        Instant now = clock.instant();
        for (LookupResult result : results) {
            if (closed || !offer(new Lookup(LookupId.generate(now), user, now, result))) {
                dropped.incrementAndGet();
            } else {
                accepted.incrementAndGet();
            }
        }
    }

    private boolean offer(Lookup lookup) {
        int before;
        do {
            before = queued.get();
            if (before >= capacity) {
                return false;
            }
        } while (!queued.compareAndSet(before, before + 1)); // never counts past the bound, not even for a moment
        if (closed) {
            // close() came between record's look and here; the writer reads closed before queued, so either it sees
            // this record counted and writes it, or this sees closed: it is never accepted and then left behind
            queued.decrementAndGet();
            return false;
        }
        queue.add(lookup);
        if (before == 0) {
            LockSupport.unpark(writer); // it may wait on an empty queue
        }
        return true;
    }

    /** Records dropped because the queue was full (or the recorder closed). */
    public long dropped() {
        return dropped.get();
    }

    /** Records lost because the store refused or failed a batch. */
    public long failed() {
        return failed.get();
    }

    /** Records written to the store. */
    public long written() {
        return written.get();
    }

    /** Records waiting to be written. */
    public int queued() {
        return queued.get();
    }

    /**
     * Waits until every record accepted before this call is written (or lost to a failed write): what was recorded
     * is readable after it. False when {@code timeout} passed first.
     */
    public boolean awaitWritten(Duration timeout) throws InterruptedException {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (written.get() + failed.get() + discarded.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return true;
    }

    private void write() {
        List<Lookup> batch = new ArrayList<>(batchSize);
        while (true) {
            if (Thread.interrupted()) {
                // nobody but close() should stop us; still, an interrupt must not lose what is queued
                drainAndSave(batch);
                Thread.currentThread().interrupt();
                return;
            }
            boolean closing = closed; // read before queued: see offer
            if (queued.get() == 0) {
                if (closing) {
                    return; // closed and nothing left: everything queued before close() is written
                }
                LockSupport.park(this); // until a record arrives (see offer) or close()
                continue;
            }
            if (!closed && queued.get() < batchSize) {
                // let a batch gather: every write is a commit of the store, which costs far more than a record
                // (one write per lookup took a third of a loaded server's CPU); records are read back after
                // awaitWritten, or seconds later by people
                LockSupport.parkNanos(LINGER_NANOS);
            }
            take(batch);
            save(batch);
            purgeHourly();
        }
    }

    /** Moves up to a batch of queued records into {@code batch}; how many. */
    private int take(List<Lookup> batch) {
        int taken = 0;
        Lookup lookup;
        while (batch.size() < batchSize && (lookup = queue.poll()) != null) {
            queued.decrementAndGet();
            batch.add(lookup);
            taken++;
        }
        return taken;
    }

    private void drainAndSave(List<Lookup> batch) {
        while (take(batch) > 0) {
            save(batch);
        }
    }

    /**
     * The account is being deleted: none of its records is written from now on, neither those still queued nor
     * those of its lookups still under way, and a batch being written when this is called is finished when it
     * returns. Called before the account's history is deleted, so that nothing of it is written afterwards.
     */
    public void forget(UserId owner) {
        Instant now = clock.instant();
        // a deleted account's lookups end within the deadline of a request; an hour is far beyond that
        forgotten.values().removeIf(since -> since.isBefore(now.minus(FORGET_FOR)));
        forgotten.put(owner, now);
        synchronized (saving) {
            // nothing to do: a batch written under this lock before it was free may hold the owner's records,
            // and is in the store now, where the history's deletion that follows finds it
        }
    }

    private void save(List<Lookup> batch) {
        synchronized (saving) {
            int before = batch.size();
            if (!forgotten.isEmpty() && batch.removeIf(lookup -> forgotten.containsKey(lookup.user()))) {
                discarded.addAndGet(before - batch.size());
                if (batch.isEmpty()) {
                    synchronized (progress) {
                        progress.notifyAll();
                    }
                }
            }
            saveNow(batch);
        }
    }

    private void saveNow(List<Lookup> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            history.saveAll(List.copyOf(batch));
            written.addAndGet(batch.size());
            if (storeDown) {
                storeDown = false;
                LOG.log(System.Logger.Level.INFO, "the store takes lookup records again");
            }
        } catch (StorageUnavailableException e) {
            failed.addAndGet(batch.size());
            // said once, not for every batch while it lasts: the failed counter tells how many
            if (!storeDown) {
                storeDown = true;
                LOG.log(System.Logger.Level.WARNING, "the store is unavailable: lookup records are lost until it is back");
            }
        } catch (RuntimeException e) {
            failed.addAndGet(batch.size());
            LOG.log(System.Logger.Level.WARNING, "lost " + batch.size() + " lookup records: " + e);
        } finally {
            batch.clear();
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void purgeHourly() {
        Instant now = clock.instant();
        if (lastPurge.isAfter(now.minus(PURGE_EVERY))) {
            return;
        }
        lastPurge = now;
        try {
            history.deleteBefore(now.minus(ListLookups.RETENTION));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete old lookup records: " + e);
        }
    }

    /** Stops taking records and waits (up to a minute) until everything queued is written. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer); // it may wait on an empty queue
        try {
            writer.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
