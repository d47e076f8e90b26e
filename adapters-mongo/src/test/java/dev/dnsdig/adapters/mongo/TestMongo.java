package dev.dnsdig.adapters.mongo;

import com.mongodb.client.MongoDatabase;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: one in-memory mongo-java-server on loopback for the whole test run, spoken to by the real
 * driver, with a fresh database per call so tests cannot see each other's documents.
 */
final class TestMongo {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestMongo() {
    }

    private static final class Holder {
        static final EmbeddedMongo SERVER = start();

        private static EmbeddedMongo start() {
            EmbeddedMongo server = EmbeddedMongo.inMemory();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-mongo-stop"));
            return server;
        }
    }

    /** An empty database nobody else uses. */
    static MongoDatabase freshDatabase() {
        return Holder.SERVER.client().getDatabase("test" + DATABASES.incrementAndGet());
    }
}
