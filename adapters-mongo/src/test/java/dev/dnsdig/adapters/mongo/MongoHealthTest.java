package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import dev.dnsdig.application.port.out.DependencyProbe.Report;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tests of {@link MongoHealth}: up while the server answers pings, down within about a second when it stops. */
class MongoHealthTest {

    @Test
    void upWhileTheServerAnswers() {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            Report report = new MongoHealth(mongo.client().getDatabase("dnsdig")).probe();

            assertEquals("mongodb", report.name());
            assertTrue(report.up(), report::toString);
            assertEquals("answering", report.details().get("state"));
            assertEquals("dnsdig", report.details().get("database"));
        }
    }

    @Test
    void downSoonAfterTheServerStops() {
        EmbeddedMongo mongo = EmbeddedMongo.inMemory();
        // a client of its own, as an application would have: the server's own client dies with it
        try (MongoClient client = MongoConnection.connect(mongo.connectionString())) {
            // the first probe connects: patient, so that a loaded machine cannot make it look down
            assertTrue(new MongoHealth(client.getDatabase("dnsdig"), Duration.ofSeconds(10)).probe().up());
            MongoHealth health = new MongoHealth(client.getDatabase("dnsdig"));

            mongo.close();
            long start = System.nanoTime();
            Report report = health.probe();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertFalse(report.up(), report::toString);
            // bounded by the probe's deadline (plus scheduling slack), never the driver's 30 s server selection
            assertTrue(took.compareTo(MongoHealth.DEFAULT_DEADLINE.plusSeconds(2)) < 0, "took " + took);
            assertFalse(report.details().get("state").contains("127.0.0.1"), report::toString);
        }
    }

    @Test
    void downWithinTheDeadlineWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (MongoClient client = MongoConnection.connect("mongodb://127.0.0.1:" + port)) {
            long start = System.nanoTime();
            Report report = new MongoHealth(client.getDatabase("dnsdig"), Duration.ofMillis(300)).probe();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertFalse(report.up());
            assertEquals("no answer within 300 ms", report.details().get("state"));
            assertTrue(took.compareTo(Duration.ofMillis(1_000)) < 0, "took " + took);
        }
    }
}
