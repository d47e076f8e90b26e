package dev.dnsdig.adapters.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.dnsdig.application.port.in.ListLookups;
import dev.dnsdig.application.port.out.LookupHistory;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Outgoing persistence port adapter for the lookup history, one document per lookup in {@code lookups}, keyed by the
 * lookup's id (a ULID, so {@code _id} order is time order). Latency is kept in nanoseconds, the time as a BSON date.
 *
 * <p>Indexes: {@value #OWNER_INDEX} (owner, then {@code _id} descending) serves a user's newest-first pages;
 * {@value #TIME_INDEX} on {@code at} serves the statistics window and is a TTL index, so a real MongoDB removes
 * lookups {@link ListLookups#RETENTION} after they were made. Nothing depends on that: the embedded store ignores
 * TTL and non-unique indexes (it scans), listings never return lookups past retention, and the recorder deletes them
 * hourly.
 */
public final class MongoLookupHistory implements LookupHistory {
    static final String COLLECTION = "lookups";
    static final String OWNER_INDEX = "lookups_owner_newest";
    static final String TIME_INDEX = "lookups_at_ttl";

    private final MongoCollection<Document> lookups;

    public MongoLookupHistory(MongoDatabase database) {
        this.lookups = database.getCollection(COLLECTION);
        lookups.createIndex(Indexes.compoundIndex(Indexes.ascending("ownerId"), Indexes.descending("_id")),
                new IndexOptions().name(OWNER_INDEX));
        lookups.createIndex(Indexes.ascending("at"), new IndexOptions().name(TIME_INDEX)
                .expireAfter(ListLookups.RETENTION.toSeconds(), TimeUnit.SECONDS));
    }

    @Override
    public void saveAll(List<Lookup> batch) {
        if (!batch.isEmpty()) {
            // unordered: one bad document does not stop the rest of the batch
            lookups.insertMany(batch.stream().map(MongoLookupHistory::toDocument).toList(),
                    new InsertManyOptions().ordered(false));
        }
    }

    @Override
    public Page<Lookup> list(UserId owner, Instant since, Optional<LookupId> after, int limit) {
        List<Bson> conditions = new ArrayList<>(List.of(eq("ownerId", owner.value()), gte("at", Date.from(since))));
        after.ifPresent(cursor -> conditions.add(lt("_id", cursor.value())));
        // one more than asked tells whether another page follows without a count; capped so +1 cannot overflow
        int fetch = Math.min(Math.max(limit, 0), Integer.MAX_VALUE - 1) + 1;
        List<Lookup> found = new ArrayList<>();
        lookups.find(and(conditions)).sort(Sorts.descending("_id")).limit(fetch).forEach(d -> found.add(toLookup(d)));
        boolean more = found.size() > limit;
        return new Page<>(more ? found.subList(0, limit) : found, more);
    }

    @Override
    public Latencies latencies(Instant from, Instant until, int max) {
        List<Sample> samples = new ArrayList<>();
        lookups.find(and(gte("at", Date.from(from)), lt("at", Date.from(until))))
                .projection(Projections.include("provider", "outcome", "elapsedNanos"))
                .sort(Sorts.descending("at")).limit(max + 1)
                .forEach(d -> samples.add(new Sample(d.getString("provider"),
                        LookupResult.Outcome.valueOf(d.getString("outcome")),
                        Duration.ofNanos(d.get("elapsedNanos", Number.class).longValue()))));
        boolean truncated = samples.size() > max;
        return new Latencies(truncated ? samples.subList(0, max) : samples, truncated);
    }

    @Override
    public void deleteBefore(Instant cutoff) {
        lookups.deleteMany(lt("at", Date.from(cutoff)));
    }

    @Override
    public void deleteAllOf(UserId owner) {
        lookups.deleteMany(eq("ownerId", owner.value()));
    }

    static Document toDocument(Lookup lookup) {
        LookupResult result = lookup.result();
        return new Document("_id", lookup.id().value())
                .append("ownerId", lookup.user().value())
                .append("at", Date.from(lookup.at()))
                .append("name", result.name().ascii())
                .append("type", result.type().name())
                .append("family", result.family().name())
                .append("provider", result.provider())
                .append("outcome", result.outcome().name())
                .append("status", result.status())
                .append("cached", result.cached())
                .append("elapsedNanos", result.elapsed().toNanos());
    }

    static Lookup toLookup(Document d) {
        LookupResult result = new LookupResult(new DomainName(d.getString("name")), RecordType.valueOf(d.getString("type")),
                IpFamily.valueOf(d.getString("family")), d.getString("provider"),
                LookupResult.Outcome.valueOf(d.getString("outcome")), d.getString("status"), d.getBoolean("cached"),
                Duration.ofNanos(d.get("elapsedNanos", Number.class).longValue()));
        return new Lookup(new LookupId(d.getString("_id")), new UserId(d.getString("ownerId")),
                d.getDate("at").toInstant(), result);
    }
}
