package dev.dnsdig.adapters.mongo;

import com.mongodb.client.MongoClient;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Outgoing persistence port adapter infrastructure: an in-process Mongo-wire server (mongo-java-server) on
 * 127.0.0.1 and an ephemeral port, so the default run needs no database of its own.
 *
 * <p>With a data directory the documents live in one H2 MVStore file, {@value #DATA_FILE}. H2 on its own writes
 * to that file about once a second, so a crash would lose writes the driver had already seen acknowledged; here
 * every command that changed something is committed to the file before its reply goes out. That survives the
 * process dying (the bytes are in the operating system's cache; {@code DurabilityJarIT} kills the server under
 * load and finds every acknowledged write); a power cut can lose about the last second, as the file is forced to
 * disk once a second rather than per write. Measured here (bench/todos.sh (d) and (e), on a shared 2-core machine):
 * ~1,000 acknowledged inserts/s with 64 writers, against ~3,700 without the commit; a file of ~10-20 MB after a few
 * thousand documents written at 25/s (bursts grow it more: every chunk written in the last few seconds is kept;
 * H2 reuses their space afterwards).
 */
public final class EmbeddedMongo implements AutoCloseable {
    public static final String DATA_FILE = "dnsdig.mv";

    private final MongoServer server;
    private final Optional<Path> dataFile;
    private final String connectionString;
    private final MongoClient client;
    private boolean closed;

    private EmbeddedMongo(MongoBackend backend, Optional<Path> dataFile) {
        this.server = new MongoServer(backend);
        this.dataFile = dataFile;
        try {
            // loopback only: this server has no authentication
            server.bind("127.0.0.1", 0);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        InetSocketAddress address = server.getLocalAddress();
        this.connectionString = "mongodb://127.0.0.1:" + address.getPort();
        this.client = MongoConnection.connectInProcess(connectionString);
    }

    /** Starts a server keeping its data in {@code dataDir}/{@value #DATA_FILE}, made if missing. */
    public static EmbeddedMongo start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        Path file = dataDir.resolve(DATA_FILE).toAbsolutePath();
        CommittingH2Backend backend;
        try {
            backend = new CommittingH2Backend(file.toString());
        } catch (RuntimeException e) {
            // H2 locks the file, so two servers never share one store; callers get a plain JDK type and the reason
            throw new IllegalStateException("cannot open " + file + " (in use by another server, or damaged): "
                    + e.getMessage(), e);
        }
        return new EmbeddedMongo(backend, Optional.of(file));
    }

    /** Starts a server that keeps everything in memory and forgets it on close: for tests and demos. */
    public static EmbeddedMongo inMemory() {
        return new EmbeddedMongo(new MemoryBackend(), Optional.empty());
    }

    /** Where to connect, e.g. {@code mongodb://127.0.0.1:40123}. */
    public String connectionString() {
        return connectionString;
    }

    /** A client connected to this server, made with {@link MongoConnection}; closed by {@link #close()}. */
    public MongoClient client() {
        return client;
    }

    /** The H2 file; empty for an in-memory server. */
    public Optional<Path> dataFile() {
        return dataFile;
    }

    /** Closes the client, then the server, which writes whatever H2 still holds to the file and releases it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close();
        } finally {
            // shutdownNow drops remaining connections, waits for the event loops, then closes the backend (MVStore.close)
            server.shutdownNow();
        }
    }

    /**
     * H2 that commits after every command that may have changed something, before the reply is sent. Each commit
     * writes a new chunk; H2 may reuse a chunk's space only after its retention time, so that time is cut from 45 s
     * to a few seconds to keep the file small, and made safe by forcing the file to disk every second (H2 assumes
     * nothing older than the retention time still sits in a write cache).
     *
     * <p>Without H2's background writer: with it, H2 hands every store to two threads of its own (serializing,
     * writing), three thread switches per acknowledged write under one lock, which on a busy machine cost more than
     * the write (measured: 10-60 % more writes per second without); and a store it started itself could still be on
     * its way to the file when a command found nothing left to commit. Without it every store runs in the thread that
     * commits. Its other task, rewriting sparsely used chunks so that their space can be reused, is done here once a
     * second, a little at a time.
     */
    private static final class CommittingH2Backend extends H2Backend {
        private static final int RETENTION_MILLIS = 5_000;
        /** mongo-java-server's prefix of the maps holding collections (and their unique indexes). */
        private static final String DATA_MAPS = "databases.";
        private static final int PAGE_CACHE_MB = 2;
        private static final long MAINTAIN_MILLIS = 1_000;
        /** Chunks are rewritten while less than this share of them (in %) is live data, as H2's writer does under load. */
        private static final int COMPACT_BELOW_FILL_RATE = 80;
        /** At most this many bytes are rewritten per round, so that the writes it competes with hardly notice. */
        private static final int COMPACT_BYTES = 1 << 20;
        /** Commands that never change data, in lower case. */
        private static final Set<String> READS = Set.of("find", "getmore", "count", "distinct", "listcollections",
                "listindexes", "listdatabases", "killcursors", "endsessions", "ping", "ismaster", "hello", "buildinfo",
                "serverstatus", "dbstats", "collstats", "connectionstatus", "whatsmyuri", "getlasterror", "getlog",
                "hostinfo", "getcmdlineopts", "getfreemonitoringstatus", "replsetgetstatus", "getparameter", "validate");

        private final ScheduledExecutorService maintenance;

        CommittingH2Backend(String fileName) {
            // small pages: a commit rewrites every leaf page it touched, so less is written per acknowledged write.
            // A small page cache: H2 sizes it by an estimate that counts a stored document as a few hundred bytes
            // whatever its size, so its default 16 MB held ~50 MB of lookup-history documents that each young
            // collection copied again (40-60 ms pauses every second under authenticated lookups; 5-10 ms with 2)
            super(withBsonValues(new MVStore.Builder().fileName(fileName).pageSplitSize(4096).cacheSize(PAGE_CACHE_MB)
                    .autoCommitDisabled().open()));
            getMvStore().setRetentionTime(RETENTION_MILLIS);
            maintenance = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("dnsdig-h2-maintenance").factory());
            maintenance.scheduleWithFixedDelay(this::maintain, MAINTAIN_MILLIS, MAINTAIN_MILLIS, TimeUnit.MILLISECONDS);
        }

        /**
         * Opens the store's collection maps with {@link BsonValueType} before mongo-java-server opens them by name
         * (which then finds them open): it would open them with H2's default type.
         */
        private static MVStore withBsonValues(MVStore store) {
            for (String name : store.getMapNames()) {
                if (name.startsWith(DATA_MAPS)) {
                    openWithBsonValues(store, name);
                }
            }
            return store;
        }

        private static void openWithBsonValues(MVStore store, String name) {
            store.openMap(name, new MVMap.Builder<Object, Object>().valueType(new BsonValueType()));
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String databaseName) {
            return new H2Database(databaseName, getMvStore(), getCursorRegistry()) {
                @Override
                protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
                    // a collection made since start: its map opened as the others were (during the database's own
                    // construction, only maps that exist already are opened, and withBsonValues opened those)
                    openWithBsonValues(getMvStore(), DATA_MAPS + getFullCollectionNamespace(collectionName));
                    return super.openOrCreateCollection(collectionName, options);
                }
            };
        }

        @Override
        public Document handleMessage(MongoMessage message) {
            // OP_MSG: every command of a current driver comes this way (OP_QUERY only for its handshake)
            try {
                return super.handleMessage(message);
            } finally {
                // also after a failed command: an unordered insert may have stored part of its batch
                if (mayWrite(message.getDocument())) {
                    makeDurable();
                }
            }
        }

        /**
         * Everything this command changed is in the file once this returns. {@code commit()} takes MVStore's store
         * lock, and every store runs to its end under that lock (there is no background writer), so it either stores
         * our change or finds that an earlier store, already finished, took it.
         */
        private void makeDurable() {
            MVStore store = getMvStore();
            if (!store.isClosed()) {
                store.commit(); // closing: close() commits what is left
            }
        }

        /**
         * Whether a command can change data: anything but the reads and status commands a client sends. Unknown
         * commands count as writes, so a new kind of write is durable before anyone lists it here.
         */
        static boolean mayWrite(Document command) {
            if (command.isEmpty()) {
                return false;
            }
            String name = command.keySet().iterator().next().toLowerCase(Locale.ROOT);
            if ("aggregate".equals(name)) {
                // $out and $merge write their results into a collection
                return command.get("pipeline") instanceof List<?> stages && stages.stream()
                        .anyMatch(stage -> stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge")));
            }
            return !READS.contains(name);
        }

        /** Forces the file to disk, and rewrites a little of the sparsest chunks while there are many. */
        private void maintain() {
            MVStore store = getMvStore();
            try {
                if (!store.isClosed()) {
                    store.sync();
                    if (store.compact(COMPACT_BELOW_FILL_RATE, COMPACT_BYTES)) {
                        store.commit(); // the rewritten pages, so that the old chunks can go
                    }
                }
            } catch (RuntimeException e) {
                // a failing disk shows up on the next write; the schedule must not die with this one attempt
            }
        }

        @Override
        public void close() {
            // not shutdownNow: an interrupt during the file I/O of a round would close H2's file channel under it
            // (FileChannel is interruptible); shutdown cancels the later rounds and lets a running one finish
            maintenance.shutdown();
            try {
                maintenance.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!getMvStore().isClosed()) {
                // on disk for good before the file is released; no compaction here: it took seconds on big files
                commit();
                getMvStore().sync();
            }
            super.close();
        }
    }
}
