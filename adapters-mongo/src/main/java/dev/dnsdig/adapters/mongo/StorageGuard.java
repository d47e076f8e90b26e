package dev.dnsdig.adapters.mongo;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoStalePrimaryException;
import com.mongodb.MongoTimeoutException;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Outgoing persistence port adapter helper between the ports and the MongoDB adapters: a driver exception that means
 * the database cannot be reached leaves as the port's {@link StorageUnavailableException}, so the core never sees a
 * Mongo type; and once one was seen, operations fail at once rather than each waiting out the driver's server
 * selection, while one operation every {@link #RETRY_EVERY} still goes to the database to find out when it is back.
 * Any answer from it, even a refusal (a duplicate key), means it is back.
 *
 * <p>Every port method passes through it (a proxy per port), so a new repository method is guarded without anyone
 * remembering to.
 */
final class StorageGuard {
    /** How often an operation is let through to a database that is down, to see whether it is back. */
    static final Duration RETRY_EVERY = Duration.ofMillis(250);
    private static final System.Logger LOG = System.getLogger(StorageGuard.class.getName());
    private static final String DOWN = "the database is unavailable";
    /** The label MongoDB puts on a write error that a retry may get past (no primary now, a network error). */
    private static final String RETRYABLE_WRITE_ERROR = "RetryableWriteError";

    private final LongSupplier nanoTime;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong nextTrial = new AtomicLong();
    private final LongAdder unavailable = new LongAdder();
    private volatile long downSince;

    StorageGuard() {
        this(System::nanoTime);
    }

    StorageGuard(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** {@code adapter} behind this guard, as {@code port}. */
    <T> T guard(Class<T> port, T adapter) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (proxy, method, args) -> method.getDeclaringClass() == Object.class
                        ? method.invoke(adapter, args) : call(adapter, method, args)));
    }

    /** Whether the database answered the last operation (or no operation has failed yet). */
    boolean available() {
        return !down.get();
    }

    /** Operations that failed because the database was unavailable, at once or after the driver gave up. */
    long unavailable() {
        return unavailable.sum();
    }

    private Object call(Object adapter, Method method, Object[] args) throws Throwable {
        long admitted = admit();
        try {
            Object result = method.invoke(adapter, args);
            answered(admitted);
            return result;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (isUnavailable(cause)) {
                unavailable.increment();
                failed(cause);
                throw new StorageUnavailableException(DOWN + " (" + cause.getClass().getSimpleName() + ")", cause);
            }
            answered(admitted);
            throw cause;
        }
    }

    /**
     * Lets the operation go to the database unless it is down and another one tried it less than a moment ago;
     * returns when it was let through.
     */
    private long admit() {
        long now = nanoTime.getAsLong();
        if (!down.get()) {
            return now;
        }
        long next = nextTrial.get();
        if (now - next >= 0 && nextTrial.compareAndSet(next, now + RETRY_EVERY.toNanos())) {
            return now;
        }
        unavailable.increment();
        throw new StorageUnavailableException(DOWN + "; it is tried again every " + RETRY_EVERY.toMillis() + " ms");
    }

    private void failed(Throwable cause) {
        long now = nanoTime.getAsLong();
        nextTrial.set(now + RETRY_EVERY.toNanos());
        if (!down.get()) {
            downSince = now; // before down is set: whoever sees it down sees since when
        }
        if (down.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, DOWN + " (" + cause.getClass().getSimpleName() + "): requests that"
                    + " need it answer 503 until it is back; trying it every " + RETRY_EVERY.toMillis() + " ms");
        }
    }

    /**
     * The database answered an operation let through at {@code admitted}. One sent before it was found down proves
     * nothing: it may have been answered just before the database went.
     */
    private void answered(long admitted) {
        if (down.get() && admitted - downSince >= 0 && down.compareAndSet(true, false)) {
            LOG.log(System.Logger.Level.INFO, "the database answers again, after "
                    + TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - downSince) + " ms");
        }
    }

    /**
     * Whether {@code e} (or what it wraps) says the database did not answer in time, the connection broke, or no
     * server can take the operation now (a replica set electing a primary), so that a retry may well work; rather
     * than that the request or our code was wrong.
     */
    static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoTimeoutException || t instanceof MongoSocketException
                    || t instanceof MongoExecutionTimeoutException || t instanceof MongoOperationTimeoutException
                    || t instanceof MongoInterruptedException || t instanceof MongoConnectionPoolClearedException
                    || t instanceof MongoServerUnavailableException || t instanceof MongoNotPrimaryException
                    || t instanceof MongoNodeIsRecoveringException || t instanceof MongoStalePrimaryException
                    || t instanceof MongoException mongo && (mongo.hasErrorLabel(RETRYABLE_WRITE_ERROR)
                    || mongo.hasErrorLabel(MongoException.SYSTEM_OVERLOADED_ERROR_LABEL))) {
                return true;
            }
        }
        return false;
    }
}
