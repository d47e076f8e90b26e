package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import dev.dnsdig.application.port.out.Page;
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
    void aBatchIsOneDocumentPerOwnerWithItsLookupsNewestFirstDatesAndNanoseconds() {
        UserId ann = UserId.generate(AT);
        UserId bob = UserId.generate(AT.plusMillis(1));
        Lookup older = lookup(ann);
        Lookup bobs = lookup(bob);
        Lookup newer = new Lookup(LookupId.generate(AT.plusSeconds(1)), ann, AT.plusSeconds(1), older.result());
        history.saveAll(List.of(older, bobs, newer));

        Document stored = database.getCollection(MongoLookupHistory.COLLECTION)
                .find(new Document("ownerId", ann.value())).first();
        assertEquals(new Document("_id", newer.id().value()).append("ownerId", ann.value())
                .append("oldest", older.id().value()).append("first", Date.from(AT))
                .append("last", Date.from(AT.plusSeconds(1)))
                .append("lines",
                        newer.id().value() + " " + AT.plusSeconds(1).toEpochMilli() + " www.example.com MX IPV6 google ANSWERED NOERROR 1 1234567\n"
                        + older.id().value() + " " + AT.toEpochMilli() + " www.example.com MX IPV6 google ANSWERED NOERROR 1 1234567"),
                stored);
        assertEquals(2, database.getCollection(MongoLookupHistory.COLLECTION).countDocuments(), "one per owner");
    }

    /** A lookup as batches written before the entry strings held it. */
    private static Document stored(Lookup lookup) {
        return new Document("id", lookup.id().value()).append("at", Date.from(lookup.at()))
                .append("name", "www.example.com").append("type", "MX").append("family", "IPV6")
                .append("provider", "google").append("outcome", "ANSWERED").append("status", "NOERROR")
                .append("cached", true).append("elapsedNanos", 1_234_567L);
    }

    @Test
    void batchesWrittenBeforeAsSubdocumentsAreStillReadTrimmedAndDeleted() {
        batchesWrittenBeforeAreStillReadTrimmedAndDeleted((newer, older) -> List.of(stored(newer), stored(older)),
                "lookups");
    }

    @Test
    void batchesWrittenBeforeAsOneStringPerLookupAreStillReadTrimmedAndDeleted() {
        batchesWrittenBeforeAreStillReadTrimmedAndDeleted((newer, older) -> List.of(MongoLookupHistory.entry(newer),
                MongoLookupHistory.entry(older)), "entries");
    }

    /** A batch as earlier versions wrote it, its lookups in {@code field} as {@code form} gives them. */
    private void batchesWrittenBeforeAreStillReadTrimmedAndDeleted(
            java.util.function.BiFunction<Lookup, Lookup, List<?>> form, String field) {
        UserId user = UserId.generate(AT);
        Lookup older = lookup(user);
        Lookup newer = new Lookup(LookupId.generate(AT.plusSeconds(10)), user, AT.plusSeconds(10), older.result());
        database.getCollection(MongoLookupHistory.COLLECTION).insertOne(new Document("_id", newer.id().value())
                .append("ownerId", user.value()).append("oldest", older.id().value()).append("first", Date.from(AT))
                .append("last", Date.from(AT.plusSeconds(10))).append(field, form.apply(newer, older)));
        Lookup recent = new Lookup(LookupId.generate(AT.plusSeconds(20)), user, AT.plusSeconds(20), older.result());
        history.saveAll(List.of(recent));

        assertEquals(List.of(recent, newer, older), history.list(user, AT, Optional.empty(), 10).items());
        assertEquals(3, history.latencies(AT, AT.plusSeconds(30), 10).samples().size());
        history.deleteBefore(AT.plusSeconds(5));
        assertEquals(List.of(recent, newer), history.list(user, AT, Optional.empty(), 10).items());
        Document trimmed = database.getCollection(MongoLookupHistory.COLLECTION)
                .find(new Document("_id", newer.id().value())).first();
        assertEquals(MongoLookupHistory.entry(newer), trimmed.getString("lines"), "rewritten in today's form");
        assertFalse(trimmed.containsKey(field), field + " is gone");
        history.deleteBefore(AT.plusSeconds(15));
        assertEquals(List.of(recent), history.list(user, AT, Optional.empty(), 10).items());
    }

    @Test
    void fieldsWithSpacesPercentSignsOrLineFeedsComeBackAsTheyWere() {
        UserId user = UserId.generate(AT);
        Lookup odd = new Lookup(LookupId.generate(AT), user, AT, new LookupResult(DomainName.of("example.com"),
                RecordType.A, IpFamily.IPV4, "my provider 100%", LookupResult.Outcome.FAILED, "bad response %20 x\nand %0A more",
                false, Duration.ZERO));
        Lookup next = new Lookup(LookupId.generate(AT.plusMillis(1)), user, AT.plusMillis(1), lookup(user).result());
        history.saveAll(List.of(odd, next));
        assertEquals(List.of(next, odd), history.list(user, AT, Optional.empty(), 10).items());
        assertEquals(odd, MongoLookupHistory.fromEntry(user, MongoLookupHistory.entry(odd)));
    }

    @Test
    void aBigBatchIsSplitIntoDocumentsOfAtMostFiveHundred() {
        UserId user = UserId.generate(AT);
        List<Lookup> batch = java.util.stream.IntStream.range(0, 1_201).mapToObj(i -> new Lookup(
                LookupId.generate(AT.plusMillis(i)), user, AT.plusMillis(i), lookup(user).result())).toList();
        history.saveAll(batch);

        List<Integer> sizes = database.getCollection(MongoLookupHistory.COLLECTION).find()
                .map(d -> d.getString("lines").split("\n").length).into(new ArrayList<>());
        assertEquals(List.of(500, 500, 201), sizes.stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertEquals(batch.reversed(), history.list(user, AT, Optional.empty(), 2_000).items());
    }

    @Test
    void batchesOfOneOwnerThatOverlapInTimeAreMergedInIdOrder() {
        UserId user = UserId.generate(AT);
        LookupResult result = lookup(user).result();
        List<Lookup> all = java.util.stream.IntStream.range(0, 6).mapToObj(i -> new Lookup(
                LookupId.generate(AT.plusMillis(i)), user, AT.plusMillis(i), new LookupResult(result.name(),
                result.type(), result.family(), result.provider(), result.outcome(), result.status(), false,
                Duration.ofMillis(i)))).toList();
        // recorded as they finished, not as they started: each batch spans the other's time
        history.saveAll(List.of(all.get(0), all.get(2), all.get(5)));
        history.saveAll(List.of(all.get(1), all.get(3), all.get(4)));

        assertEquals(new Page<>(all.reversed().subList(0, 4), true), history.list(user, AT, Optional.empty(), 4));
        assertEquals(new Page<>(List.of(all.get(2), all.get(1)), true),
                history.list(user, AT, Optional.of(all.get(3).id()), 2));
        assertEquals(List.of(Duration.ofMillis(5), Duration.ofMillis(4), Duration.ofMillis(3)),
                history.latencies(AT, AT.plusSeconds(1), 3).samples().stream().map(LookupHistory.Sample::elapsed).toList());
    }

    @Test
    void theIndexesServeTheOwnersPagesAndTheWindowAndExpireAfterTheRetention() {
        List<Document> indexes = database.getCollection(MongoLookupHistory.COLLECTION).listIndexes().into(new ArrayList<>());

        Document owner = MongoTodoRepositoryTest.index(indexes, MongoLookupHistory.OWNER_INDEX);
        assertEquals(new Document("ownerId", 1).append("_id", -1), owner.get("key", Document.class));
        Document time = MongoTodoRepositoryTest.index(indexes, MongoLookupHistory.TIME_INDEX);
        assertEquals(new Document("last", 1), time.get("key", Document.class));
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
