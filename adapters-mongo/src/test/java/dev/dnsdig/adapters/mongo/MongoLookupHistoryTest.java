package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.contract.LookupHistoryContract;
import dev.dnsdig.application.port.in.ListLookups;
import dev.dnsdig.application.port.out.LookupHistory;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.domain.user.UserId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link LookupHistoryContract} against mongo-java-server through the real driver, plus the stored shape. */
class MongoLookupHistoryTest extends LookupHistoryContract {
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00.123Z");

    private MongoDatabase database;

    @Override
    protected LookupHistory newHistory() {
        database = TestMongo.freshDatabase();
        return new MongoLookupHistory(database);
    }

    private static Lookup lookup(UserId user) {
        return new Lookup(LookupId.generate(AT), user, AT, new LookupResult(DomainName.of("www.example.com"),
                RecordType.MX, IpFamily.IPV6, "google", LookupResult.Outcome.ANSWERED, "NOERROR", true,
                Duration.ofNanos(1_234_567)));
    }

    @Test
    void aLookupIsOneDocumentKeyedByItsIdWithADateAndNanoseconds() {
        UserId user = UserId.generate(AT);
        Lookup lookup = lookup(user);
        history.saveAll(List.of(lookup));

        Document stored = database.getCollection(MongoLookupHistory.COLLECTION)
                .find(new Document("_id", lookup.id().value())).first();
        assertEquals(new Document("_id", lookup.id().value()).append("ownerId", user.value()).append("at", Date.from(AT))
                .append("name", "www.example.com").append("type", "MX").append("family", "IPV6")
                .append("provider", "google").append("outcome", "ANSWERED").append("status", "NOERROR")
                .append("cached", true).append("elapsedNanos", 1_234_567L), stored);
    }

    @Test
    void theIndexesServeTheOwnersPagesAndTheWindowAndExpireAfterTheRetention() {
        List<Document> indexes = database.getCollection(MongoLookupHistory.COLLECTION).listIndexes().into(new ArrayList<>());

        Document owner = MongoTodoRepositoryTest.index(indexes, MongoLookupHistory.OWNER_INDEX);
        assertEquals(new Document("ownerId", 1).append("_id", -1), owner.get("key", Document.class));
        Document time = MongoTodoRepositoryTest.index(indexes, MongoLookupHistory.TIME_INDEX);
        assertEquals(new Document("at", 1), time.get("key", Document.class));
        assertEquals(ListLookups.RETENTION.toSeconds(), time.get("expireAfterSeconds", Number.class).longValue());
    }

    @Test
    void aSecondHistoryOnTheSameDatabaseFindsItsIndexesAlreadyThere() {
        UserId user = UserId.generate(AT);
        Lookup lookup = lookup(user);
        history.saveAll(List.of(lookup));

        MongoLookupHistory second = new MongoLookupHistory(database);

        assertEquals(List.of(lookup), second.list(user, AT, Optional.empty(), 10).items());
        assertEquals(3, database.getCollection(MongoLookupHistory.COLLECTION).listIndexes().into(new ArrayList<>()).size());
    }

    @Test
    void theStorageExposesTheHistoryAndItSurvivesARestart(@TempDir Path dir) {
        UserId user = UserId.generate(AT);
        Lookup lookup = lookup(user);
        try (MongoStorage storage = MongoStorage.open(Optional.empty(), dir)) {
            storage.lookups().saveAll(List.of(lookup));
        }
        try (MongoStorage storage = MongoStorage.open(Optional.empty(), dir)) {
            assertEquals(List.of(lookup), storage.lookups().list(user, AT, Optional.empty(), 10).items());
        }
    }
}
