package dev.dnsdig.adapters.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import dev.dnsdig.application.port.out.RateLimitStore;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * Outgoing persistence port adapter for rate-limit counters shared by every instance on one database: a document
 * per key and window in {@code rate_limits}, counted by one atomic upsert with {@code $inc}.
 *
 * <p>The window is part of {@code _id}, so a new window is a new document and counts from one whether or not the old
 * one is gone; the TTL index only lets a real mongod clean up (mongo-java-server never expires anything). The filter
 * is an {@code _id} equality alone: the one query mongo-java-server answers from an index rather than a scan.
 */
public final class MongoRateLimitStore implements RateLimitStore {
    static final String COLLECTION = "rate_limits";
    static final String EXPIRY_INDEX = "rate_limit_expiry_ttl";
    /** Each duplicate-key failure means another instance created the counter in between; then it exists. */
    private static final int ATTEMPTS = 5;
    /**
     * The projection is not an optimisation: without one, mongo-java-server's memory backend answers with its live
     * stored document, serialised after the collection's lock is released, so a concurrent {@code $inc} shows
     * through and two callers get the same count (measured: 3, 3 and no 2 in a quarter of 16-thread races). A
     * projection copies the document under the lock. A real mongod returns the exact post-image either way.
     */
    private static final FindOneAndUpdateOptions UPSERT = new FindOneAndUpdateOptions().upsert(true)
            .returnDocument(ReturnDocument.AFTER).projection(new Document("count", 1));

    private final MongoCollection<Document> counters;

    public MongoRateLimitStore(MongoDatabase database) {
        this.counters = database.getCollection(COLLECTION);
        counters.createIndex(Indexes.ascending("expiresAt"),
                new IndexOptions().name(EXPIRY_INDEX).expireAfter(0L, TimeUnit.SECONDS));
    }

    @Override
    public long hit(String key, Window window) {
        return hit(key, window, 1);
    }

    @Override
    public long hit(String key, Window window, long hits) {
        Document id = new Document("_id", id(key, window));
        // kept one window past its end: an instance whose clock lags a little still finds the counter it counts in
        Document update = new Document("$inc", new Document("count", hits))
                .append("$setOnInsert", new Document("expiresAt", Date.from(window.end().plus(window.length()))));
        for (int attempt = 1; ; attempt++) {
            try {
                // two upserts of a new _id at once: on a real mongod one inserts and the other may fail with a duplicate
                // key instead of updating; tried again, it finds the document and increments it. (mongo-java-server
                // runs each findAndModify under a per-collection lock, so it never gives this error.)
                return counters.findOneAndUpdate(id, update, UPSERT).get("count", Number.class).longValue();
            } catch (MongoException e) {
                if (!DuplicateKey.isDuplicateKey(e) || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The counter's {@code _id}: the key, the window's start and its length (a changed policy starts afresh). */
    static String id(String key, Window window) {
        return key + "|" + window.start().toEpochMilli() + "|" + window.length().toMillis();
    }
}
