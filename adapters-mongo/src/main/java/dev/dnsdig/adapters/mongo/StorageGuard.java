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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Outgoing persistence port adapter helper between the ports and the MongoDB adapters: a driver exception that means
 * the database cannot be reached leaves as the port's {@link StorageUnavailableException}, so the core never sees a
 * Mongo type; and once one was seen, every operation fails at once while a probe (a ping) asks the database every
 * {@link #RETRY_EVERY} whether it is back. No request waits out the driver's server selection during an outage: when
 * requests took turns to find out, the one whose turn it was waited twice 0.3 s (the driver retries once) on top of
 * its own work, and a login (with its password hash) then answered its 503 only after a second.
 *
 * <p>Every port method passes through it (a proxy per port), so a new repository method is guarded without anyone
 * remembering to.
 */
final class StorageGuard {
    /** How often the probe asks a database that is down whether it is back. */
    static final Duration RETRY_EVERY = Duration.ofMillis(250);
    private static final System.Logger LOG = System.getLogger(StorageGuard.class.getName());
    private static final String DOWN = "the database is unavailable";
    /** The label MongoDB puts on a write error that a retry may get past (no primary now, a network error). */
    private static final String RETRYABLE_WRITE_ERROR = "RetryableWriteError";

    /** Runs a task after a delay: the probe's next try. */
    @FunctionalInterface
    interface Later {
        void run(Duration delay, Runnable task);
    }

    private final Runnable ping;
    private final Later later;
    private final LongSupplier nanoTime;
    private final AtomicBoolean down = new AtomicBoolean();
    private final LongAdder unavailable = new LongAdder();
    private volatile long downSince;

    /**
     * @param ping  asks the database for an answer; throws what the driver throws when there is none
     * @param later runs the probe's next try after a delay
     */
    StorageGuard(Runnable ping, Later later) {
        this(ping, later, System::nanoTime);
    }

    StorageGuard(Runnable ping, Later later, LongSupplier nanoTime) {
        this.ping = ping;
        this.later = later;
        this.nanoTime = nanoTime;
    }

    /** {@code adapter} behind this guard, as {@code port}. */
    <T> T guard(Class<T> port, T adapter) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (proxy, method, args) -> method.getDeclaringClass() == Object.class
                        ? method.invoke(adapter, args) : call(adapter, method, args)));
    }

    /** False from an operation that failed for want of the database until the probe finds it back. */
    boolean available() {
        return !down.get();
    }

    /** Operations that failed because the database was unavailable, at once or after the driver gave up. */
    long unavailable() {
        return unavailable.sum();
    }

    private Object call(Object adapter, Method method, Object[] args) throws Throwable {
        if (down.get()) {
            unavailable.increment();
            throw new StorageUnavailableException(DOWN + "; asked again every " + RETRY_EVERY.toMillis() + " ms");
        }
        try {
            return method.invoke(adapter, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (isUnavailable(cause)) {
                unavailable.increment();
                failed(cause);
                throw new StorageUnavailableException(DOWN + " (" + cause.getClass().getSimpleName() + ")", cause);
            }
            throw cause;
        }
    }

    private void failed(Throwable cause) {
        if (!down.get()) {
            downSince = nanoTime.getAsLong(); // before down is set: whoever sees it down sees since when
        }
        if (down.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, DOWN + " (" + cause.getClass().getSimpleName() + "): requests that"
                    + " need it answer 503 until it is back; asking it every " + RETRY_EVERY.toMillis() + " ms");
            later.run(RETRY_EVERY, this::probe);
        }
    }

    /** One try of the probe: back when the database answers, else the next try in a moment. */
    void probe() {
        try {
            ping.run();
        } catch (RuntimeException e) {
            if (!isUnavailable(e)) {
                LOG.log(System.Logger.Level.WARNING, "the database probe failed unexpectedly; asking again", e);
            }
            later.run(RETRY_EVERY, this::probe);
            return;
        }
        down.set(false);
        LOG.log(System.Logger.Level.INFO, "the database answers again, after "
                + TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - downSince) + " ms");
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
