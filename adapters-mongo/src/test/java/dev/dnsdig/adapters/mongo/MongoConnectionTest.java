package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Tests of {@link MongoConnection}: short timeouts by default, the URI's own options win, no server API. */
class MongoConnectionTest {

    @Test
    void defaultsFailFast() {
        MongoClientSettings settings = MongoConnection.settings("mongodb://127.0.0.1:27017/dnsdig");

        // twice this (a retried operation selects again) stays under the second a request may wait while it is down
        assertEquals(300, settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS));
        assertEquals(2_000, settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS));
        assertEquals(10_000, settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS));
        assertEquals(500, settings.getConnectionPoolSettings().getMaxWaitTime(TimeUnit.MILLISECONDS));
        assertNull(settings.getServerApi());
    }

    @Test
    void theEmbeddedStoreInThisProcessIsWaitedForPatiently() {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
             MongoClient client = MongoConnection.connectInProcess(mongo.connectionString())) {
            assertEquals(1.0, client.getDatabase("d").runCommand(new Document("ping", 1)).get("ok", Number.class).doubleValue());
        }
        MongoClientSettings settings = MongoConnection.inProcessSettings("mongodb://127.0.0.1:27017");
        assertEquals(30_000, settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS));
        assertEquals(30_000, settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS));
        assertEquals(30_000, settings.getConnectionPoolSettings().getMaxWaitTime(TimeUnit.MILLISECONDS));
        assertEquals(10_000, settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS));
    }

    @Test
    void optionsInTheUriWin() {
        MongoClientSettings settings = MongoConnection.settings(
                "mongodb://127.0.0.1:27017/?serverSelectionTimeoutMS=1500&connectTimeoutMS=300&socketTimeoutMS=700");

        assertEquals(1500, settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS));
        assertEquals(300, settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS));
        assertEquals(700, settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS));
    }

    @Test
    void anUnreachableServerFailsInHalfASecondNotThirty() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (MongoClient client = MongoConnection.connect("mongodb://127.0.0.1:" + port)) {
            long start = System.nanoTime();
            assertThrows(MongoTimeoutException.class, () -> client.getDatabase("dnsdig").runCommand(new Document("ping", 1)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // 0.5 s of server selection; the bound leaves room for a loaded machine, and is far from the driver's 30 s
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
        }
    }
}
