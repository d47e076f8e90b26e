package dev.dnsdig.bootstrap;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Formats a record on the caller's thread and hands the line to one writer thread, which writes batches through a
 * buffer and flushes whenever it has caught up. A request never waits for the log (JUL's ConsoleHandler takes a lock and
 * flushes per record, which cost a third of the throughput with one access line per request); when the queue is full
 * lines are dropped and counted, and the count is logged once there is room again.
 */
final class AsyncLogHandler extends Handler {
    static final int CAPACITY = 65_536;
    private static final int BATCH = 1024;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final BlockingQueue<String> lines;
    private final Writer out;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong handed = new AtomicLong();
    /** Lines the writer has written into its buffer; only the writer changes it. */
    private volatile long written;
    private final Thread writer;
    private volatile boolean closed;

    AsyncLogHandler(OutputStream stream, int capacity) {
        this.lines = new ArrayBlockingQueue<>(capacity);
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        this.writer = Thread.ofPlatform().daemon().name("dnsdig-log").start(this::write);
    }

    @Override
    public void publish(LogRecord record) {
        if (closed || !isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        if (lines.offer(line)) {
            handed.incrementAndGet();
        } else {
            dropped.incrementAndGet();
        }
    }

    private void write() {
        List<String> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                if (lines.drainTo(batch, BATCH) == 0) {
                    if (closed) {
                        break;
                    }
                    out.flush(); // caught up: what was logged is visible now
                    // polls rather than waits on the queue: a waiting consumer makes every offer signal it, a
                    // futex wake-up per request; a few milliseconds of delay in the log costs nothing
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                for (String line : batch) {
                    out.write(line);
                }
                written += batch.size();
                batch.clear();
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    out.write("{\"level\":\"WARNING\",\"logger\":\"dnsdig.log\",\"message\":\"" + lost
                            + " log lines dropped: the log could not keep up\"}" + System.lineSeparator());
                }
            }
            out.flush();
        } catch (IOException e) {
            reportError("cannot write the log", e, ErrorManager.WRITE_FAILURE);
        }
    }

    /** Waits until every line handed over so far is written. */
    @Override
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long target = handed.get();
        while (written < target && System.nanoTime() < deadline && writer.isAlive()) {
            Thread.onSpinWait();
            Thread.yield();
        }
        try {
            synchronized (this) {
                out.flush();
            }
        } catch (IOException e) {
            reportError("cannot flush the log", e, ErrorManager.FLUSH_FAILURE);
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long dropped() {
        return dropped.get();
    }
}
