package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.contract.UserRepositoryContract;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The {@link UserRepositoryContract} against mongo-java-server through the real driver, plus the index design. */
class MongoUserRepositoryTest extends UserRepositoryContract {
    private MongoDatabase database;

    @Override
    protected UserRepository newRepository() {
        database = TestMongo.freshDatabase();
        return new MongoUserRepository(database);
    }

    private MongoCollection<Document> raw() {
        return database.getCollection(MongoUserRepository.COLLECTION);
    }

    @Test
    void theUniqueIndexesExistUnderTheNamesTheConflictMappingReads() {
        Map<String, Document> indexes = raw().listIndexes().into(new java.util.ArrayList<>()).stream()
                .collect(Collectors.toMap(d -> d.getString("name"), d -> d));

        assertEquals(new Document("emailKey", 1), indexes.get(MongoUserRepository.EMAIL_INDEX).get("key", Document.class));
        assertTrue(indexes.get(MongoUserRepository.EMAIL_INDEX).getBoolean("unique"));
        assertTrue(indexes.get(MongoUserRepository.USERNAME_INDEX).getBoolean("unique"));
        assertTrue(indexes.get(MongoUserRepository.IDENTITY_INDEX).getBoolean("unique"));
        assertTrue(indexes.get(MongoUserRepository.IDENTITY_INDEX).getBoolean("sparse"));
    }

    @Test
    void theServerItselfRefusesASecondOwnerOfAnIdentityKeyInAnArray() {
        // the multikey unique index, not Java code, is what keeps identities unique: bypass the adapter to show it
        raw().insertOne(new Document("_id", "a").append("emailKey", "a").append("usernameKey", "a")
                .append("identityKeys", List.of("k1", "k2")));

        MongoWriteException e = assertThrows(MongoWriteException.class, () -> raw().insertOne(new Document("_id", "b")
                .append("emailKey", "b").append("usernameKey", "b").append("identityKeys", List.of("k3", "k2"))));
        assertEquals(11000, e.getCode());
        assertEquals(Optional.of(MongoUserRepository.IDENTITY_INDEX), DuplicateKey.index(e));
    }

    @Test
    void identityKeysAreLeftOutWhenAUserHasNoIdentities() {
        User bare = user("ann@example.org", "ann");
        User linked = user("bob@example.org", "bob", new ExternalIdentity("github", "42"));
        users.create(bare);
        users.create(linked);

        assertFalse(raw().find(new Document("_id", bare.id().value())).first().containsKey("identityKeys"));
        assertEquals(List.of("6:github:42"),
                raw().find(new Document("_id", linked.id().value())).first().getList("identityKeys", String.class));
    }

    @Test
    void aSecondAdapterOnTheSameDatabaseSeesTheDataAndKeepsTheIndexes() {
        User ann = user("ann@example.org", "ann");
        users.create(ann);

        MongoUserRepository again = new MongoUserRepository(database);

        assertEquals(Optional.of(ann), again.findById(ann.id()));
        assertEquals(new UserRepository.CreateResult.Conflict(UserRepository.Uniqueness.EMAIL),
                again.create(user("ANN@example.org", "other")));
    }

    @Test
    void anEmailFilterIsMatchedAsLiteralText() {
        assertEquals("a\\+b\\.c\\*\\(x\\)\\[y\\]\\{1\\}\\^\\$\\|\\?\\\\@z", MongoUserRepository.literal("a+b.c*(x)[y]{1}^$|?\\@z"));
    }
}
