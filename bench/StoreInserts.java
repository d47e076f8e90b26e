// Raw insert rate of the embedded store, for bench/todos.sh: the same embedded Mongo-wire server and H2 file the
// server uses by default (EmbeddedMongo, commit before every reply), the same driver settings, todo-shaped
// documents, inserted with insertOne by W threads for D seconds after a warmup. No HTTP, no JSON, no auth.
//
//   java -cp bootstrap/target/dnsdig.jar bench/StoreInserts.java DATA_DIR WARMUP_S DURATION_S WRITERS
//
// Prints one line: STORE inserts=N duration_s=S rps=R p50_ms=.. p99_ms=..
import com.mongodb.client.MongoCollection;
import dev.dnsdig.adapters.mongo.EmbeddedMongo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.bson.types.ObjectId;

public class StoreInserts {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int duration = Integer.parseInt(args[2]);
        int writers = Integer.parseInt(args[3]);
        try (EmbeddedMongo store = EmbeddedMongo.start(dir)) {
            MongoCollection<Document> todos = store.client().getDatabase("dnsdig").getCollection("todos");
            // the indexes the server's todo repository keeps, so every insert updates as many index entries
            todos.createIndex(new Document("ownerId", 1).append("createdAt", -1).append("_id", -1));
            todos.createIndex(new Document("ownerId", 1).append("completed", 1).append("createdAt", -1).append("_id", -1));
            run(todos, writers, warmup, null);
            long[] latencies = new long[8_000_000];
            AtomicLong recorded = new AtomicLong();
            long started = System.nanoTime();
            long inserts = run(todos, writers, duration, (nanos) -> {
                long i = recorded.getAndIncrement();
                if (i < latencies.length) {
                    latencies[(int) i] = nanos;
                }
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] sorted = Arrays.copyOf(latencies, (int) Math.min(recorded.get(), latencies.length));
            Arrays.sort(sorted);
            System.out.printf("STORE inserts=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f%n", inserts, seconds,
                    inserts / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
        }
    }

    interface Recorder {
        void record(long nanos);
    }

    private static long run(MongoCollection<Document> todos, int writers, int seconds, Recorder recorder) throws Exception {
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
        Thread.sleep(seconds * 1000L);
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
