package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.contract.IdempotencyStoreContract;
import dev.dnsdig.application.port.out.IdempotencyStore;
import dev.dnsdig.application.port.out.IdempotencyStore.Claim;
import dev.dnsdig.application.port.out.IdempotencyStore.Entry;
import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link IdempotencyStoreContract} against mongo-java-server through the real driver, plus the stored shape. */
class MongoIdempotencyStoreTest extends IdempotencyStoreContract {
    private static final Instant NOW = Instant.parse("2100-03-01T10:00:00.123Z");
    private static final IdempotencyKey KEY = new IdempotencyKey("key-1");

    private MongoDatabase database;

    @Override
    protected IdempotencyStore newStore() {
        database = TestMongo.freshDatabase();
        return new MongoIdempotencyStore(database);
    }

    private MongoCollection<Document> collection() {
        return database.getCollection(MongoIdempotencyStore.COLLECTION);
    }

    private static Entry entry(UserId owner, String title, Instant now) {
        Todo todo = Todo.create(TodoId.generate(now), owner, new TodoContent(title, "", false, Optional.of(now)), now);
        return new Entry(owner, KEY, todo, now.plus(Duration.ofHours(24)), false);
    }

    @Test
    void anEntryIsOneDocumentWithItsTodoEmbeddedInTheTodosShape() {
        UserId owner = UserId.generate(NOW);
        Entry entry = entry(owner, "Brot 🍞", NOW);
        keys.claim(entry, NOW);

        Document stored = collection().find().first();
        assertEquals(Set.of("_id", "ownerId", "key", "todo", "expiresAt", "completed"), stored.keySet());
        assertInstanceOf(ObjectId.class, stored.get("_id"));
        assertEquals(owner.value(), stored.getString("ownerId"));
        assertEquals("key-1", stored.getString("key"));
        assertEquals(MongoTodoRepository.toDocument(entry.created()), stored.get("todo", Document.class));
        assertEquals(Date.from(entry.expiresAt()), stored.getDate("expiresAt"));
        assertEquals(false, stored.getBoolean("completed"));

        keys.complete(entry);
        assertEquals(true, collection().find().first().getBoolean("completed"));
    }

    @Test
    void theUniqueKeyIndexAndTheTtlIndexExist() {
        List<Document> indexes = collection().listIndexes().into(new ArrayList<>());

        Document unique = MongoTodoRepositoryTest.index(indexes, MongoIdempotencyStore.KEY_INDEX);
        assertEquals(new Document("ownerId", 1).append("key", 1), unique.get("key", Document.class));
        assertEquals(true, unique.getBoolean("unique"));
        Document ttl = MongoTodoRepositoryTest.index(indexes, MongoIdempotencyStore.EXPIRY_INDEX);
        assertEquals(new Document("expiresAt", 1), ttl.get("key", Document.class));
        assertEquals(0L, ttl.get("expireAfterSeconds", Number.class).longValue());
    }

    @Test
    void theServerItselfRefusesASecondRecordForOneOwnerAndKey() {
        // what makes concurrent claims safe is the index, not the adapter's code: prove the server enforces it
        UserId owner = UserId.generate(NOW);
        keys.claim(entry(owner, "first", NOW), NOW);

        MongoWriteException refused = assertThrows(MongoWriteException.class,
                () -> collection().insertOne(MongoIdempotencyStore.toDocument(entry(owner, "second", NOW))));

        assertEquals(Optional.of(MongoIdempotencyStore.KEY_INDEX), DuplicateKey.index(refused));
        collection().insertOne(MongoIdempotencyStore.toDocument(entry(UserId.generate(NOW), "another owner", NOW)));
        assertEquals(2, collection().countDocuments());
    }

    @Test
    void anExpiredRecordIsReplacedInPlace() {
        UserId owner = UserId.generate(NOW);
        Entry first = entry(owner, "first", NOW);
        keys.claim(first, NOW);
        Object id = collection().find().first().get("_id");
        Instant later = first.expiresAt();

        Entry second = entry(owner, "second", later);
        assertInstanceOf(Claim.Claimed.class, keys.claim(second, later));

        List<Document> all = collection().find().into(new ArrayList<>());
        assertEquals(1, all.size(), "one record per key, whether or not a TTL monitor runs");
        assertEquals(id, all.getFirst().get("_id"));
        assertEquals(MongoIdempotencyStore.toDocument(second).append("_id", id), all.getFirst());
    }

    @Test
    void theStorageExposesKeysThatSurviveARestart(@TempDir Path dir) {
        UserId owner = UserId.generate(NOW);
        Entry entry = entry(owner, "kept", NOW);
        try (MongoStorage storage = MongoStorage.open(Optional.empty(), dir)) {
            assertInstanceOf(Claim.Claimed.class, storage.idempotencyKeys().claim(entry, NOW));
            storage.idempotencyKeys().complete(entry);
        }
        try (MongoStorage storage = MongoStorage.open(Optional.empty(), dir)) {
            Entry completed = new Entry(owner, KEY, entry.created(), entry.expiresAt(), true);
            assertEquals(new Claim.Taken(completed), storage.idempotencyKeys().claim(entry(owner, "again", NOW), NOW));
        }
        try (EmbeddedMongo server = EmbeddedMongo.start(dir)) {
            // the unique index itself was kept in the file, not only made again by the adapter at start
            MongoCollection<Document> raw = server.client().getDatabase(MongoStorage.DEFAULT_DATABASE)
                    .getCollection(MongoIdempotencyStore.COLLECTION);
            MongoWriteException refused = assertThrows(MongoWriteException.class,
                    () -> raw.insertOne(MongoIdempotencyStore.toDocument(entry(owner, "raw", NOW))));
            assertEquals(Optional.of(MongoIdempotencyStore.KEY_INDEX), DuplicateKey.index(refused));
        }
    }
}
