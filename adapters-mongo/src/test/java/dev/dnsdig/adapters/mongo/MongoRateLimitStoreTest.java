package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.contract.RateLimitStoreContract;
import dev.dnsdig.application.port.out.RateLimitStore;
import dev.dnsdig.application.port.out.RateLimitStore.Window;
import java.time.Duration;
import java.time.Instant;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The {@link RateLimitStoreContract} against mongo-java-server through the real driver, plus what is Mongo's own. */
class MongoRateLimitStoreTest extends RateLimitStoreContract {
    private static final Window WINDOW = Window.containing(Instant.parse("2030-01-01T00:00:20Z"), Duration.ofMinutes(1));

    @Override
    protected RateLimitStore newStore() {
        return new MongoRateLimitStore(TestMongo.freshDatabase());
    }

    @Test
    void aCounterExpiresOneWindowAfterItsEndForARealMongodToCleanUp() {
        MongoDatabase database = TestMongo.freshDatabase();
        new MongoRateLimitStore(database).hit("ip:192.0.2.1", WINDOW);
        Document counter = database.getCollection(MongoRateLimitStore.COLLECTION).find().first();
        assertEquals(Instant.parse("2030-01-01T00:02:00Z"), counter.getDate("expiresAt").toInstant());
        assertEquals(1L, counter.get("count", Number.class).longValue());
    }

    @Test
    void onlyARaceOfTwoCreationsIsRetriedAnythingElseFails() {
        MongoDatabase database = TestMongo.freshDatabase();
        MongoRateLimitStore store = new MongoRateLimitStore(database);
        database.getCollection(MongoRateLimitStore.COLLECTION)
                .insertOne(new Document("_id", MongoRateLimitStore.id("ip:192.0.2.1", WINDOW)).append("count", "garbage"));
        assertThrows(MongoException.class, () -> store.hit("ip:192.0.2.1", WINDOW));
    }
}
