// Raw insert rate of the embedded store, for bench/todos.sh, and what its durability costs: the same embedded
// Mongo-wire server and H2 file the server uses by default (EmbeddedMongo: every write committed to the file before
// it is acknowledged) against the same H2 store without that commit (H2's own default: its background writer stores
// about once a second, so a crash loses up to a second of acknowledged writes). Same driver settings, the todo
// repository's indexes, todo-shaped documents, insertOne by W threads. No HTTP, no JSON, no auth.
//
//   java -cp bootstrap/target/dnsdig.jar bench/StoreInserts.java DATA_DIR WARMUP_S DURATION_S WRITERS
//
// Each store gets the warmup, then is measured in two turns of DURATION_S/2 alternating with the other (durable,
// background, durable, background), so load from elsewhere on the machine falls on both alike. Prints two lines:
//   STORE inserts=N duration_s=S rps=R p50_ms=.. p99_ms=..      (every write committed before its acknowledgement)
//   STORE_H2 inserts=N duration_s=S rps=R p50_ms=.. p99_ms=..   (H2's background writer only)
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.dnsdig.adapters.mongo.EmbeddedMongo;
import dev.dnsdig.adapters.mongo.MongoConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVStore;

public class StoreInserts {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int duration = Integer.parseInt(args[2]);
        int writers = Integer.parseInt(args[3]);
        double turn = duration / 2.0;
        Files.createDirectories(dir.resolve("background"));
        try (EmbeddedMongo durable = EmbeddedMongo.start(dir.resolve("durable"));
             BackgroundH2 background = new BackgroundH2(dir.resolve("background").resolve(EmbeddedMongo.DATA_FILE))) {
            Measurement committed = new Measurement("STORE", todos(durable.client()));
            Measurement unsynced = new Measurement("STORE_H2", todos(background.client));
            run(committed.todos, writers, warmup, null);
            run(unsynced.todos, writers, warmup, null);
            for (int i = 0; i < 2; i++) {
                committed.measure(writers, turn);
                unsynced.measure(writers, turn);
            }
            committed.print();
            unsynced.print();
        }
    }

    /** The same H2 file store as EmbeddedMongo's (page size included), without the commit before each reply. */
    static final class BackgroundH2 implements AutoCloseable {
        final MongoServer server;
        final MongoClient client;

        BackgroundH2(Path file) {
            server = new MongoServer(new H2Backend(new MVStore.Builder().fileName(file.toString()).pageSplitSize(4096).open()));
            server.bind("127.0.0.1", 0);
            client = MongoConnection.connectInProcess("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        }

        @Override
        public void close() {
            client.close();
            server.shutdownNow();
        }
    }

    private static MongoCollection<Document> todos(MongoClient client) {
        MongoCollection<Document> todos = client.getDatabase("dnsdig").getCollection("todos");
        // the indexes the server's todo repository keeps, so every insert updates as many index entries
        todos.createIndex(new Document("ownerId", 1).append("createdAt", -1).append("_id", -1));
        todos.createIndex(new Document("ownerId", 1).append("completed", 1).append("createdAt", -1).append("_id", -1));
        return todos;
    }

    /** Inserts and latencies of one store over its measured turns. */
    static final class Measurement {
        final String name;
        final MongoCollection<Document> todos;
        final long[] latencies = new long[8_000_000];
        final AtomicLong recorded = new AtomicLong();
        long inserts;
        double seconds;

        Measurement(String name, MongoCollection<Document> todos) {
            this.name = name;
            this.todos = todos;
        }

        void measure(int writers, double turnSeconds) throws Exception {
            long started = System.nanoTime();
            inserts += run(todos, writers, turnSeconds, nanos -> {
                long i = recorded.getAndIncrement();
                if (i < latencies.length) {
                    latencies[(int) i] = nanos;
                }
            });
            seconds += (System.nanoTime() - started) / 1e9;
        }

        void print() {
            long[] sorted = Arrays.copyOf(latencies, (int) Math.min(recorded.get(), latencies.length));
            Arrays.sort(sorted);
            System.out.printf("%s inserts=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f%n", name, inserts, seconds,
                    inserts / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
        }
    }

    interface Recorder {
        void record(long nanos);
    }

    private static long run(MongoCollection<Document> todos, int writers, double seconds, Recorder recorder) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        String owner = "01JBENCHOWNER0000000000000";
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    Date now = new Date();
                    Document todo = new Document("_id", new ObjectId().toHexString()).append("ownerId", owner)
                            .append("title", "buy milk").append("description", "two litres, semi-skimmed")
                            .append("completed", false).append("createdAt", now).append("updatedAt", now)
                            .append("version", 0L);
                    long t0 = System.nanoTime();
                    todos.insertOne(todo);
                    if (recorder != null) {
                        recorder.record(System.nanoTime() - t0);
                    }
                    count.incrementAndGet();
                }
            }));
        }
        Thread.sleep(Math.round(seconds * 1000));
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        return count.get();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
