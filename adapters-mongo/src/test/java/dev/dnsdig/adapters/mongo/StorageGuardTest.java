package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.dnsdig.application.port.out.RateLimitStore;
import dev.dnsdig.application.port.out.RateLimitStore.Window;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import dev.dnsdig.domain.user.UserId;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StorageGuard}: what the real driver throws when the database is not there or stops answering counts as
 * unavailable, what a working database refuses does not; a guarded port turns the first into the port's
 * {@link StorageUnavailableException}, then fails at once while a probe asks the database every {@link StorageGuard#RETRY_EVERY};
 * and {@link MongoStorage} on an external database that stops and starts again goes down and comes back by itself.
 */
class StorageGuardTest {
    private static final Window WINDOW = Window.containing(Instant.parse("2026-03-01T10:00:00Z"), Duration.ofMinutes(1));

    @Test
    void noServerAtAllIsUnavailable() throws IOException {
        try (MongoClient client = MongoConnection.connect("mongodb://127.0.0.1:" + freePort())) {
            MongoException e = assertThrows(MongoException.class, () -> client.getDatabase("d").getCollection("c").find().first());
            assertTrue(StorageGuard.isUnavailable(e), e.toString());
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersIsUnavailable() throws Exception {
        // a socket that takes connections and reads but never replies: the driver's socket times out
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket socket = silent.accept();
                        Thread.ofVirtual().start(() -> drain(socket));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String uri = "mongodb://127.0.0.1:" + silent.getLocalPort() + "/?connectTimeoutMS=300&socketTimeoutMS=300"
                    + "&serverSelectionTimeoutMS=600";
            try (MongoClient client = MongoConnection.connect(uri)) {
                MongoException e = assertThrows(MongoException.class, () -> client.getDatabase("d").getCollection("c").find().first());
                assertTrue(StorageGuard.isUnavailable(e), e.toString());
            }
        }
    }

    @Test
    void aRefusalOfAWorkingServerIsNot() {
        MongoCollection<Document> collection = TestMongo.freshDatabase().getCollection("c");
        collection.insertOne(new Document("_id", 1));
        MongoException duplicate = assertThrows(MongoException.class, () -> collection.insertOne(new Document("_id", 1)));

        assertFalse(StorageGuard.isUnavailable(duplicate), duplicate.toString());
        assertFalse(StorageGuard.isUnavailable(new IllegalStateException("a bug")));
        // wrapped, as a failed handshake wraps the socket's failure
        assertTrue(StorageGuard.isUnavailable(new IllegalStateException("wrapped", new MongoTimeoutException("timed out"))));
    }

    /** A rate-limit store that does what the test tells it, counting the calls that reach it. */
    private static final class Scripted implements RateLimitStore {
        final AtomicInteger calls = new AtomicInteger();
        volatile RuntimeException failure;
        volatile Runnable during = () -> { };

        @Override
        public long hit(String key, Window window) {
            calls.incrementAndGet();
            during.run();
            if (failure != null) {
                throw failure;
            }
            return 7;
        }
    }

    private final AtomicLong now = new AtomicLong(1_000);
    /** What the probe's ping throws: null, it answers. */
    private volatile RuntimeException pingFailure = new MongoTimeoutException("no server");
    private final AtomicInteger pings = new AtomicInteger();
    /** The probe's tries, waiting to be run by the test, with their delays. */
    private final List<Runnable> probes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Duration> delays = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StorageGuard guard = new StorageGuard(() -> {
        pings.incrementAndGet();
        if (pingFailure != null) {
            throw pingFailure;
        }
    }, (delay, task) -> {
        delays.add(delay);
        probes.add(task);
    }, now::get);
    private final Scripted adapter = new Scripted();
    private final RateLimitStore store = guard.guard(RateLimitStore.class, adapter);

    /** Runs the one try of the probe that is waiting. */
    private void runProbe() {
        assertEquals(1, probes.size(), "one try of the probe waiting");
        probes.remove(0).run();
    }

    @Test
    void aGuardedPortFailsAtOnceWhileTheDatabaseIsDownAndAProbeFindsItBack() {

        assertEquals(7, store.hit("k", WINDOW));
        assertTrue(guard.available());
        assertEquals(List.of(), probes, "no probe while it answers");

        MongoTimeoutException timeout = new MongoTimeoutException("no server");
        adapter.failure = timeout;
        StorageUnavailableException first = assertThrows(StorageUnavailableException.class, () -> store.hit("k", WINDOW));
        assertSame(timeout, first.getCause());
        assertFalse(first.getMessage().contains("no server"), "the driver's message stays inside: " + first.getMessage());
        assertFalse(guard.available());
        assertEquals(2, adapter.calls.get());
        assertEquals(List.of(StorageGuard.RETRY_EVERY), delays, "the probe asks in a moment");

        // down: every operation is refused without asking the database, however long it lasts
        adapter.failure = null;
        for (int i = 0; i < 3; i++) {
            now.addAndGet(StorageGuard.RETRY_EVERY.toNanos());
            assertThrows(StorageUnavailableException.class, () -> store.hit("k", WINDOW));
        }
        assertEquals(2, adapter.calls.get());
        assertEquals(4, guard.unavailable());

        // the probe finds it still down: it asks again a moment later, and operations are still refused
        runProbe();
        assertEquals(1, pings.get());
        assertFalse(guard.available());
        assertThrows(StorageUnavailableException.class, () -> store.hit("k", WINDOW));
        assertEquals(List.of(StorageGuard.RETRY_EVERY, StorageGuard.RETRY_EVERY), delays);

        // the next try is answered: back, and everything goes through again; no more probing
        pingFailure = null;
        runProbe();
        assertTrue(guard.available());
        assertEquals(7, store.hit("k", WINDOW));
        assertEquals(7, store.hit("k", WINDOW, 3)); // a default method of the port, through the adapter
        assertEquals(6, adapter.calls.get());
        assertEquals(5, guard.unavailable());
        assertEquals(List.of(), probes);
        assertEquals(2, pings.get());

        // down again: a new probe
        adapter.failure = timeout;
        assertThrows(StorageUnavailableException.class, () -> store.hit("k", WINDOW));
        assertEquals(1, probes.size());
    }

    @Test
    void operationsUnderWayWhenItWentDownStartNoSecondProbe() {
        Scripted other = new Scripted();
        other.failure = new MongoTimeoutException("no server");
        RateLimitStore failing = guard.guard(RateLimitStore.class, other);
        // while this operation is on its way, another one finds the database gone; then this one fails too
        MongoTimeoutException timeout = new MongoTimeoutException("no server");
        adapter.during = () -> {
            assertThrows(StorageUnavailableException.class, () -> failing.hit("k", WINDOW));
            adapter.failure = timeout;
        };

        assertThrows(StorageUnavailableException.class, () -> store.hit("k", WINDOW));
        assertFalse(guard.available());
        assertEquals(1, probes.size());
    }

    @Test
    void aProbeThatFailsOtherwiseStillAsksAgain() {
        adapter.failure = new MongoTimeoutException("no server");
        assertThrows(StorageUnavailableException.class, () -> store.hit("k", WINDOW));
        pingFailure = new IllegalStateException("a bug, not an outage");
        runProbe();
        assertFalse(guard.available());
        pingFailure = null;
        runProbe();
        assertTrue(guard.available());
    }

    @Test
    void aRefusalIsAnAnswerAndPassesUnchanged() {
        IllegalArgumentException refused = new IllegalArgumentException("refused");
        adapter.failure = refused;
        assertSame(refused, assertThrows(IllegalArgumentException.class, () -> store.hit("k", WINDOW)));
        assertTrue(guard.available());
        assertEquals(List.of(), probes);
        assertEquals(0, guard.unavailable());
        // the Object methods are the adapter's, not operations
        assertEquals(adapter.toString(), store.toString());
        assertEquals(1, adapter.calls.get());
    }

    @Test
    void storageOnADatabaseThatStopsAndStartsAgainRecoversByItself(@TempDir Path dir) throws Exception {
        int port = freePort();
        MongoServer database = start(port);
        try (MongoStorage storage = MongoStorage.open(Optional.of("mongodb://127.0.0.1:" + port + "/guarded"), dir)) {
            UserId nobody = UserId.generate(Instant.now());
            assertEquals(Optional.empty(), storage.users().findById(nobody));

            database.shutdownNow();
            long start = System.nanoTime();
            assertThrows(StorageUnavailableException.class, () -> storage.users().findById(nobody));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // 0.3 s of server selection, twice at most; the bound leaves room for a loaded machine
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
            assertFalse(storage.available());
            assertThrows(StorageUnavailableException.class, () -> storage.todos().list(nobody, Optional.empty(),
                    Optional.empty(), 10));
            assertTrue(storage.unavailable() >= 2);

            database = start(port);
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!answers(storage, nobody) && System.nanoTime() - giveUp < 0) {
                Thread.sleep(20);
            }
            assertTrue(storage.available(), "not back 10 s after the database");
        } finally {
            database.shutdownNow();
        }
    }

    @Test
    void aStartWaitsForADatabaseThatIsNotListeningYet(@TempDir Path dir) throws Exception {
        int port = freePort();
        CompletableFuture<MongoServer> later = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return start(port);
        });
        try (MongoStorage storage = MongoStorage.open(Optional.of("mongodb://127.0.0.1:" + port + "/late"), dir)) {
            assertTrue(later.isDone(), "opened before the database was there");
            assertEquals(Optional.empty(), storage.users().findById(UserId.generate(Instant.now())));
        } finally {
            later.join().shutdownNow();
        }
    }

    @Test
    void aStartGivesUpOnADatabaseThatNeverAnswersAfterItsPatience() throws IOException {
        try (MongoClient client = MongoConnection.connect("mongodb://127.0.0.1:" + freePort())) {
            MongoException e = assertThrows(MongoException.class,
                    () -> MongoStorage.awaitAnswer(client.getDatabase("d"), Duration.ofMillis(600)));
            assertInstanceOf(MongoTimeoutException.class, e);
        }
    }

    private static boolean answers(MongoStorage storage, UserId id) {
        try {
            storage.users().findById(id);
            return true;
        } catch (StorageUnavailableException e) {
            return false;
        }
    }

    private static MongoServer start(int port) {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void drain(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException gone) {
            // the client gave up
        }
    }
}
