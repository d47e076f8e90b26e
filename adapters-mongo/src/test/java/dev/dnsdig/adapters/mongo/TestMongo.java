package dev.dnsdig.adapters.mongo;

import com.mongodb.client.MongoDatabase;
import java.util.concurrent.atomic.AtomicInteger;

/** Test helper: one in-memory mongo-java-server on loopback, spoken to by the real driver, a fresh database per call. */
final class TestMongo implements AutoCloseable {
    private final EmbeddedMongo server = EmbeddedMongo.inMemory();
    private final AtomicInteger databases = new AtomicInteger();

    /** An empty database nobody else uses, so tests cannot see each other's documents. */
    MongoDatabase freshDatabase() {
        return server.client().getDatabase("test" + databases.incrementAndGet());
    }

    EmbeddedMongo server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
