package dev.dnsdig.bootstrap;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** A warning for events that come in floods: logged at the first, then at most once every ten seconds. */
final class ThrottledWarning {
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(10);
    private final System.Logger log;
    private final AtomicLong due = new AtomicLong(System.nanoTime());

    ThrottledWarning(System.Logger log) {
        this.log = log;
    }

    /** Logs the message unless one was logged less than ten seconds ago; builds it only then. */
    void now(Supplier<String> message) {
        long now = System.nanoTime();
        long next = due.get();
        if (now - next >= 0 && due.compareAndSet(next, now + INTERVAL)) {
            log.log(System.Logger.Level.WARNING, message.get());
        }
    }
}
