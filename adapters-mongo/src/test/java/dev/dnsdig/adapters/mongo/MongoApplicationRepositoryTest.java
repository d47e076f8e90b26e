package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.contract.ApplicationRepositoryContract;
import dev.dnsdig.application.port.out.ApplicationRepository;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link ApplicationRepositoryContract} against mongo-java-server through the real driver, plus the stored shape. */
class MongoApplicationRepositoryTest extends ApplicationRepositoryContract {
    private static final Instant CREATED = Instant.parse("2026-03-01T10:00:00.123Z");

    private MongoDatabase database;

    @Override
    protected ApplicationRepository newRepository() {
        database = TestMongo.freshDatabase();
        return new MongoApplicationRepository(database);
    }

    private static Application application(UserId owner) {
        return new Application(ClientId.generate(CREATED), owner, "deploy bot",
                Set.of(Permission.WRITE_TODOS, Permission.READ_RESOLVER), "ab12", CREATED);
    }

    @Test
    void anApplicationIsOneDocumentKeyedByItsClientIdWithScopesAndNoSecret() {
        UserId owner = UserId.generate(CREATED);
        Application application = application(owner);
        applications.create(application);

        Document stored = database.getCollection(MongoApplicationRepository.COLLECTION).find().first();
        assertEquals(application.clientId().value(), stored.getString("_id"));
        assertEquals(owner.value(), stored.getString("ownerId"));
        assertEquals(List.of("read:resolver", "write:todos"), stored.getList("permissions", String.class));
        assertEquals("ab12", stored.getString("secretHash"));
        assertEquals(Date.from(CREATED), stored.getDate("createdAt"));
        assertEquals(Set.of("_id", "ownerId", "name", "permissions", "secretHash", "createdAt"), stored.keySet());
    }

    @Test
    void theOwnerIndexExists() {
        List<Document> indexes = database.getCollection(MongoApplicationRepository.COLLECTION).listIndexes()
                .into(new java.util.ArrayList<>());

        assertTrue(indexes.stream().anyMatch(i -> new Document("ownerId", 1).append("createdAt", 1)
                .equals(i.get("key", Document.class))), indexes::toString);
    }

    @Test
    void theStorageExposesApplicationsThatSurviveARestart(@TempDir Path dir) {
        UserId owner = UserId.generate(CREATED);
        Application application = application(owner);
        try (MongoStorage storage = MongoStorage.open(Optional.empty(), dir)) {
            storage.applications().create(application);
        }
        try (MongoStorage storage = MongoStorage.open(Optional.empty(), dir)) {
            assertEquals(List.of(application), storage.applications().listByOwner(owner));
            assertTrue(storage.applications().delete(application.clientId(), owner));
            assertFalse(storage.applications().findById(application.clientId()).isPresent());
        }
    }
}
