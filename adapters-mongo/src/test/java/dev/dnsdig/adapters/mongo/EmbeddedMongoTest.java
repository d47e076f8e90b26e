package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.dnsdig.application.port.out.RefreshTokenStore.Consumption;
import dev.dnsdig.application.port.out.RefreshTokenStore.RefreshToken;
import dev.dnsdig.application.port.out.SigningKeyStore.SigningKey;
import dev.dnsdig.application.port.out.UserRepository.CreateResult;
import dev.dnsdig.application.port.out.UserRepository.Uniqueness;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of {@link EmbeddedMongo}: loopback only, and the H2 file keeps data across restarts and crashes. */
class EmbeddedMongoTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");

    private static User ann() {
        return User.create(UserId.generate(NOW), new Email("Ann@Example.org"), new Username("ann"), Optional.of("Ann"),
                Optional.of("hash"), List.of(new ExternalIdentity("github", "42")), false, NOW);
    }

    private static MongoDatabase db(EmbeddedMongo mongo) {
        return mongo.client().getDatabase("dnsdig");
    }

    @Test
    void listensOnLoopbackOnAnEphemeralPort() {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            assertTrue(mongo.connectionString().matches("mongodb://127\\.0\\.0\\.1:\\d+"), mongo.connectionString());
            assertEquals(Optional.empty(), mongo.dataFile());
            assertEquals(1.0, db(mongo).runCommand(new org.bson.Document("ping", 1)).get("ok", Number.class).doubleValue());
        }
    }

    @Test
    void dataSurvivesACloseAndAReopen(@TempDir Path dir) {
        User ann = ann();
        SigningKey key = new SigningKey("kid-1", "ES256", "priv", "pub", NOW);
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir)) {
            assertEquals(Optional.of(dir.resolve("dnsdig.mv").toAbsolutePath()), mongo.dataFile());
            assertEquals(new CreateResult.Created(ann), new MongoUserRepository(db(mongo)).create(ann));
            new MongoSigningKeyStore(db(mongo)).add(key);
            new MongoRefreshTokenStore(db(mongo)).save(new RefreshToken("h", "f", ann.id(), NOW, NOW.plusSeconds(60)));
        }
        assertTrue(Files.isRegularFile(dir.resolve(EmbeddedMongo.DATA_FILE)));

        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir)) {
            MongoUserRepository users = new MongoUserRepository(db(mongo));
            assertEquals(Optional.of(ann), users.findById(ann.id()));
            assertEquals(Optional.of(ann), users.findByIdentity(new ExternalIdentity("github", "42")));
            // the unique indexes came back with the data
            assertEquals(new CreateResult.Conflict(Uniqueness.EMAIL), users.create(User.create(UserId.generate(NOW),
                    new Email("ann@example.org"), new Username("other"), Optional.empty(), Optional.empty(), List.of(),
                    false, NOW)));
            assertEquals(List.of(key), new MongoSigningKeyStore(db(mongo)).all());
            assertEquals(Consumption.Consumed.class,
                    new MongoRefreshTokenStore(db(mongo)).consume("h", NOW).getClass());
        }
    }

    /**
     * A data file written before documents were stored as BSON (H2's default value type, as plain mongo-java-server
     * writes it) is read whole, its documents updated, new ones added beside them, and all of it read again after a
     * reopen: an operator's existing data survives the upgrade.
     */
    @Test
    void aFileOfEarlierVersionsIsReadAndExtended(@TempDir Path dir) {
        Path file = dir.resolve(EmbeddedMongo.DATA_FILE);
        List<org.bson.Document> old = List.of(
                new org.bson.Document("_id", 1).append("name", "www.dnsdig.test.").append("at", java.util.Date.from(NOW))
                        .append("tags", List.of("a", "b")).append("nested", new org.bson.Document("n", 2L)),
                new org.bson.Document("_id", 2).append("name", "mail.dnsdig.test.").append("ratio", 0.25));
        de.bwaldvogel.mongo.backend.h2.H2Backend earlier = new de.bwaldvogel.mongo.backend.h2.H2Backend(file.toString());
        de.bwaldvogel.mongo.MongoServer server = new de.bwaldvogel.mongo.MongoServer(earlier);
        java.net.InetSocketAddress address = server.bind();
        try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(
                "mongodb://127.0.0.1:" + address.getPort())) {
            MongoCollection<org.bson.Document> c = client.getDatabase("dnsdig").getCollection("c");
            c.insertMany(old);
            c.createIndex(new org.bson.Document("name", 1), new com.mongodb.client.model.IndexOptions().unique(true));
        } finally {
            server.shutdownNow();
        }

        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir)) {
            MongoCollection<org.bson.Document> c = db(mongo).getCollection("c");
            assertEquals(old, c.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()));
            c.updateOne(new org.bson.Document("_id", 2), new org.bson.Document("$set", new org.bson.Document("ratio", 0.5)));
            c.insertOne(new org.bson.Document("_id", 3).append("name", "new.dnsdig.test."));
            // the unique index written before still holds
            assertThrows(com.mongodb.MongoWriteException.class,
                    () -> c.insertOne(new org.bson.Document("_id", 4).append("name", "www.dnsdig.test.")));
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir)) {
            assertEquals(List.of(old.get(0), new org.bson.Document("_id", 2).append("name", "mail.dnsdig.test.")
                            .append("ratio", 0.5), new org.bson.Document("_id", 3).append("name", "new.dnsdig.test.")),
                    db(mongo).getCollection("c").find().sort(Sorts.ascending("_id")).into(new ArrayList<>()));
        }
        // and what this version wrote is BSON: the document added, and the one it updated
        java.util.Map<Object, Byte> tags = new java.util.HashMap<>();
        org.h2.mvstore.MVStore store = new org.h2.mvstore.MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            org.h2.mvstore.MVMap<Object, Object> map = store.openMap("databases.dnsdig.c",
                    new org.h2.mvstore.MVMap.Builder<Object, Object>().valueType(new org.h2.mvstore.type.BasicDataType<>() {
                        private final BsonValueType type = new BsonValueType();

                        @Override
                        public Object[] createStorage(int size) {
                            return new Object[size];
                        }

                        @Override
                        public int getMemory(Object value) {
                            return type.getMemory(value);
                        }

                        @Override
                        public void write(org.h2.mvstore.WriteBuffer buffer, Object value) {
                            type.write(buffer, value);
                        }

                        @Override
                        public Object read(java.nio.ByteBuffer buffer) {
                            byte tag = buffer.get(buffer.position());
                            Object value = type.read(buffer);
                            tags.put(((de.bwaldvogel.mongo.bson.Document) value).get("_id"), tag);
                            return value;
                        }
                    }));
            map.forEach((key, value) -> { });
        } finally {
            store.close();
        }
        assertEquals(BsonValueType.BSON, tags.get(2));
        assertEquals(BsonValueType.BSON, tags.get(3));
        assertTrue(tags.get(1) != BsonValueType.BSON, "the untouched document as it was written: " + tags);
    }

    @Test
    void anAcknowledgedWriteIsInTheFileBeforeClose(@TempDir Path dir) throws Exception {
        User ann = ann();
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir.resolve("live"))) {
            new MongoUserRepository(db(mongo)).create(ann);
            // the file as a crash right now would leave it: no close, no flush
            Files.createDirectories(dir.resolve("crashed"));
            Files.copy(mongo.dataFile().orElseThrow(), dir.resolve("crashed").resolve(EmbeddedMongo.DATA_FILE));
        }

        try (EmbeddedMongo recovered = EmbeddedMongo.start(dir.resolve("crashed"))) {
            assertEquals(Optional.of(ann), new MongoUserRepository(db(recovered)).findById(ann.id()));
        }
    }

    /**
     * Every form of write the adapters use (and a few more) is in the file when the driver sees it acknowledged: after
     * each one the file is copied as a crash would leave it (no close, no flush) and opened by a second store.
     */
    @Test
    void everyFormOfWriteIsInTheFileWhenAcknowledged(@TempDir Path dir) throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir.resolve("live"))) {
            MongoCollection<org.bson.Document> c = db(mongo).getCollection("c");
            Crash crash = new Crash(mongo, dir);

            c.insertOne(doc(1, "a"));
            crash.expect(List.of(doc(1, "a")));
            c.insertMany(List.of(doc(2, "b"), doc(3, "c")));
            crash.expect(List.of(doc(1, "a"), doc(2, "b"), doc(3, "c")));
            // unordered with a duplicate in the middle: refused as a whole, yet the others are stored (and acknowledged)
            assertThrows(MongoBulkWriteException.class, () -> c.insertMany(List.of(doc(4, "d"), doc(1, "dup"), doc(5, "e")),
                    new InsertManyOptions().ordered(false)));
            crash.expect(List.of(doc(1, "a"), doc(2, "b"), doc(3, "c"), doc(4, "d"), doc(5, "e")));
            c.updateOne(Filters.eq("_id", 1), Updates.set("v", "a2"));
            c.updateMany(Filters.in("_id", 2, 3), Updates.set("v", "bc"));
            c.replaceOne(Filters.eq("_id", 4), doc(4, "d2"));
            crash.expect(List.of(doc(1, "a2"), doc(2, "bc"), doc(3, "bc"), doc(4, "d2"), doc(5, "e")));
            c.updateOne(Filters.eq("_id", 6), Updates.set("v", "upserted"), new UpdateOptions().upsert(true));
            crash.expect(List.of(doc(1, "a2"), doc(2, "bc"), doc(3, "bc"), doc(4, "d2"), doc(5, "e"), doc(6, "upserted")));
            c.findOneAndUpdate(Filters.eq("_id", 7), Updates.inc("n", 1), new FindOneAndUpdateOptions().upsert(true));
            crash.expect(List.of(doc(1, "a2"), doc(2, "bc"), doc(3, "bc"), doc(4, "d2"), doc(5, "e"), doc(6, "upserted"),
                    new org.bson.Document("_id", 7).append("n", 1)));
            c.findOneAndReplace(Filters.eq("_id", 7), doc(7, "g"));
            c.findOneAndDelete(Filters.eq("_id", 6));
            crash.expect(List.of(doc(1, "a2"), doc(2, "bc"), doc(3, "bc"), doc(4, "d2"), doc(5, "e"), doc(7, "g")));
            c.deleteOne(Filters.eq("_id", 5));
            c.deleteMany(Filters.in("_id", 2, 3));
            crash.expect(List.of(doc(1, "a2"), doc(4, "d2"), doc(7, "g")));
            c.bulkWrite(List.of(new InsertOneModel<>(doc(8, "h")), new UpdateOneModel<>(Filters.eq("_id", 1), Updates.set("v", "a3")),
                    new DeleteOneModel<>(Filters.eq("_id", 4))));
            crash.expect(List.of(doc(1, "a3"), doc(7, "g"), doc(8, "h")));
            assertThrows(MongoBulkWriteException.class, () -> c.bulkWrite(List.of(new InsertOneModel<>(doc(8, "dup")),
                    new ReplaceOneModel<>(Filters.eq("_id", 7), doc(7, "g2")), new DeleteManyModel<>(Filters.eq("_id", 1))),
                    new BulkWriteOptions().ordered(false)));
            crash.expect(List.of(doc(7, "g2"), doc(8, "h")));
            // $merge writes its results into another collection
            c.aggregate(List.of(Aggregates.match(Filters.eq("_id", 8)), Aggregates.merge("out"))).toCollection();
            assertEquals(List.of(doc(8, "h")), db(mongo).getCollection("out").find().into(new ArrayList<>()));
            try (EmbeddedMongo recovered = crash.now()) {
                assertEquals(List.of(doc(8, "h")), db(recovered).getCollection("out").find().into(new ArrayList<>()));
            }

            // indexes and collections, as the adapters make them at start
            c.createIndex(Indexes.ascending("v"), new IndexOptions().unique(true).name("v_unique"));
            try (EmbeddedMongo recovered = crash.now()) {
                MongoException duplicate = assertThrows(MongoException.class,
                        () -> db(recovered).getCollection("c").insertOne(doc(9, "h")));
                assertEquals(11000, duplicate.getCode());
            }
            c.dropIndex("v_unique");
            try (EmbeddedMongo recovered = crash.now()) {
                db(recovered).getCollection("c").insertOne(doc(9, "h"));
            }
            db(mongo).getCollection("out").drop();
            try (EmbeddedMongo recovered = crash.now()) {
                assertFalse(db(recovered).listCollectionNames().into(new ArrayList<>()).contains("out"));
            }
        }
    }

    private static org.bson.Document doc(int id, String value) {
        return new org.bson.Document("_id", id).append("v", value);
    }

    /** The live store's file copied as a crash right now would leave it, and opened by a store of its own. */
    private static final class Crash {
        private final EmbeddedMongo live;
        private final Path dir;
        private int copies;

        Crash(EmbeddedMongo live, Path dir) {
            this.live = live;
            this.dir = dir;
        }

        EmbeddedMongo now() throws IOException {
            Path copy = dir.resolve("crash-" + ++copies);
            Files.createDirectories(copy);
            Files.copy(live.dataFile().orElseThrow(), copy.resolve(EmbeddedMongo.DATA_FILE));
            return EmbeddedMongo.start(copy);
        }

        /** Collection {@code c} holds exactly {@code documents} after a crash now. */
        void expect(List<org.bson.Document> documents) throws IOException {
            try (EmbeddedMongo recovered = now()) {
                assertEquals(documents, db(recovered).getCollection("c").find().sort(Sorts.ascending("_id"))
                        .into(new ArrayList<>()), "copy " + copies);
            }
        }
    }

    /**
     * The stores count on each write command being atomic against the others (rate-limit counts by $inc, claims and
     * rotations by a replacement conditional on what was read): mongo-java-server gives that with a lock per
     * collection, which this keeps true through its upgrades, in memory and on file.
     */
    @Test
    void concurrentUpdatesOfOneDocumentAreNeverLost(@TempDir Path dir) throws Exception {
        try (EmbeddedMongo onFile = EmbeddedMongo.start(dir); EmbeddedMongo inMemory = EmbeddedMongo.inMemory()) {
            for (EmbeddedMongo mongo : List.of(onFile, inMemory)) {
                MongoCollection<org.bson.Document> c = db(mongo).getCollection("counters");
                c.insertOne(new org.bson.Document("_id", "n").append("count", 0).append("version", 0));
                int threads = 8;
                int each = 60;
                java.util.concurrent.atomic.AtomicInteger replaced = new java.util.concurrent.atomic.AtomicInteger();
                try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
                    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        done.add(pool.submit(() -> {
                            for (int i = 0; i < each; i++) {
                                c.updateOne(Filters.eq("_id", "n"), Updates.inc("count", 1));
                                c.findOneAndUpdate(Filters.eq("_id", "n"), Updates.inc("viaFindAndModify", 1));
                            }
                            return null;
                        }));
                    }
                    for (java.util.concurrent.Future<?> f : done) {
                        f.get();
                    }
                    org.bson.Document counted = c.find(Filters.eq("_id", "n")).first();
                    assertEquals(threads * each, counted.getInteger("count"), mongo.connectionString());
                    assertEquals(threads * each, counted.getInteger("viaFindAndModify"), mongo.connectionString());
                    // compare and set: of the clients replacing version 0, exactly one may succeed
                    done.clear();
                    for (int t = 0; t < threads; t++) {
                        done.add(pool.submit(() -> {
                            for (int round = 1; round <= each; round++) {
                                if (c.replaceOne(Filters.and(Filters.eq("_id", "n"), Filters.eq("version", round - 1)),
                                        new org.bson.Document("version", round).append("count", -1)).getModifiedCount() == 1) {
                                    replaced.incrementAndGet();
                                }
                                while (c.find(Filters.eq("_id", "n")).first().getInteger("version") < round) {
                                    Thread.onSpinWait();
                                }
                            }
                            return null;
                        }));
                    }
                    for (java.util.concurrent.Future<?> f : done) {
                        f.get();
                    }
                }
                org.bson.Document counter = c.find(Filters.eq("_id", "n")).first();
                assertEquals(each, counter.getInteger("version"));
                assertEquals(each, replaced.get(), "exactly one replacement per version");
            }
        }
    }

    @Test
    void twoServersCannotShareOneDataFile(@TempDir Path dir) {
        try (EmbeddedMongo first = EmbeddedMongo.start(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedMongo.start(dir).close());
            assertTrue(e.getMessage().contains("dnsdig.mv"), e::getMessage);
            assertEquals(1.0, db(first).runCommand(new org.bson.Document("ping", 1)).get("ok", Number.class).doubleValue());
        }
    }

    @Test
    void closingTwiceIsHarmless(@TempDir Path dir) {
        EmbeddedMongo mongo = EmbeddedMongo.start(dir);
        mongo.close();
        assertDoesNotThrow(mongo::close);
    }
}
