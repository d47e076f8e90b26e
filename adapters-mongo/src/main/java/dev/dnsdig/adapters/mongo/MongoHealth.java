package dev.dnsdig.adapters.mongo;

import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.port.out.DependencyProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bson.Document;

/**
 * Outgoing health port adapter for MongoDB: up when a {@code ping} is answered within a deadline. The ping runs
 * on a virtual thread so that the probe returns on time even while the driver is still selecting a server.
 */
public final class MongoHealth implements DependencyProbe {
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(1);

    private final MongoDatabase database;
    private final Duration deadline;

    public MongoHealth(MongoDatabase database) {
        this(database, DEFAULT_DEADLINE);
    }

    public MongoHealth(MongoDatabase database, Duration deadline) {
        this.database = database;
        this.deadline = deadline;
    }

    @Override
    public Report probe() {
        long start = System.nanoTime();
        CompletableFuture<Document> ping = new CompletableFuture<>();
        Thread.ofVirtual().name("mongo-health").start(() -> {
            try {
                ping.complete(database.runCommand(new Document("ping", 1)));
            } catch (RuntimeException e) {
                ping.completeExceptionally(e);
            }
        });
        Map<String, String> details = new LinkedHashMap<>();
        details.put("database", database.getName());
        boolean up = false;
        try {
            Document answer = ping.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            up = answer.get("ok") instanceof Number ok && ok.doubleValue() == 1.0;
            details.put("state", up ? "answering" : "ping refused");
            details.put("latencyMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
        } catch (TimeoutException e) {
            // the driver gives up on its own after its server selection timeout; the thread then ends
            details.put("state", "no answer within " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            // the class name only: driver messages carry host names and cluster details, not for a health page
            details.put("state", "failing: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            details.put("state", "interrupted");
        }
        return new Report("mongodb", up, details);
    }
}
