package dev.dnsdig.adapters.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.set;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.dnsdig.application.port.out.IdempotencyStore;
import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Outgoing persistence port adapter for idempotency keys, one document per (owner, key) in {@code idempotency_keys}
 * with the todo it creates embedded.
 *
 * <p>A unique index on (ownerId, key) decides between concurrent claims: of two inserts exactly one succeeds, on
 * mongo-java-server and on a real mongod alike. Expiry is judged against the caller's {@code now}; the TTL index only
 * lets a real mongod clean up (mongo-java-server never expires anything), so nothing depends on it.
 */
public final class MongoIdempotencyStore implements IdempotencyStore {
    static final String COLLECTION = "idempotency_keys";
    static final String KEY_INDEX = "idempotency_owner_key_unique";
    static final String EXPIRY_INDEX = "idempotency_expiry_ttl";
    /** Each failed attempt means another claim or a clean-up changed the record in between; more is a runaway. */
    private static final int ATTEMPTS = 10;

    private final MongoCollection<Document> keys;

    public MongoIdempotencyStore(MongoDatabase database) {
        this.keys = database.getCollection(COLLECTION);
        keys.createIndex(Indexes.ascending("ownerId", "key"), new IndexOptions().name(KEY_INDEX).unique(true));
        // a record may go once past expiresAt: the port only promises to keep it that long
        keys.createIndex(Indexes.ascending("expiresAt"),
                new IndexOptions().name(EXPIRY_INDEX).expireAfter(0L, TimeUnit.SECONDS));
    }

    @Override
    public Claim claim(Entry entry, Instant now) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                // a fresh document per write: insertOne adds the generated _id to the one it is given
                keys.insertOne(toDocument(entry));
                return new Claim.Claimed();
            } catch (MongoException e) {
                if (!DuplicateKey.isDuplicateKey(e)) {
                    throw e;
                }
            }
            Document existing = keys.find(bySlot(entry.owner(), entry.key())).first();
            if (existing == null) {
                continue; // removed since the insert failed (a TTL sweep, the account's deletion): insert again
            }
            Entry earlier = toEntry(existing);
            if (earlier.expiresAt().isAfter(now)) {
                return new Claim.Taken(earlier);
            }
            // expired: replaced only while it is still the very record read (same expiry, same todo), so of
            // concurrent claimers exactly one replaces it and the others see the replacement on their next attempt
            Bson unchanged = and(eq("_id", existing.get("_id")), eq("expiresAt", existing.getDate("expiresAt")),
                    eq("todo._id", earlier.created().id().value()));
            if (keys.replaceOne(unchanged, toDocument(entry)).getMatchedCount() == 1) {
                return new Claim.Claimed();
            }
        }
        throw new IllegalStateException("idempotency key of " + entry.owner() + " kept changing during " + ATTEMPTS
                + " attempts");
    }

    @Override
    public void complete(Entry entry) {
        keys.updateOne(and(bySlot(entry.owner(), entry.key()), eq("todo._id", entry.created().id().value())),
                set("completed", true));
    }

    @Override
    public void deleteAllOf(UserId owner) {
        keys.deleteMany(eq("ownerId", owner.value()));
    }

    private static Bson bySlot(UserId owner, IdempotencyKey key) {
        return and(eq("ownerId", owner.value()), eq("key", key.value()));
    }

    /** Without {@code _id}: the driver adds an ObjectId on insert, and a replacement keeps the replaced record's. */
    static Document toDocument(Entry entry) {
        return new Document("ownerId", entry.owner().value())
                .append("key", entry.key().value())
                .append("todo", MongoTodoRepository.toDocument(entry.created()))
                .append("expiresAt", Date.from(entry.expiresAt()))
                .append("completed", entry.completed());
    }

    static Entry toEntry(Document d) {
        return new Entry(new UserId(d.getString("ownerId")), new IdempotencyKey(d.getString("key")),
                MongoTodoRepository.toTodo(d.get("todo", Document.class)), d.getDate("expiresAt").toInstant(),
                d.getBoolean("completed"));
    }
}
