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
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Outgoing persistence port adapter for the lookup history in {@code lookup_batches}: one document per owner and
 * batch the recorder writes, holding that batch's lookups newest first. One document per lookup cost the embedded
 * store (which serializes every document on its own) about 300 µs of CPU per lookup, more than the lookup itself;
 * a batch document costs about 50 µs per lookup there (measured with 200 lookups per document).
 *
 * <p>A batch document: {@code _id} the id of its newest lookup (ids are ULIDs, so {@code _id} order is time order),
 * {@code ownerId}, {@code oldest} a lower bound of its lookups' ids, {@code first}/{@code last} bounds of their times
 * (BSON dates), {@code lines} the lookups, newest first, one line each (joined by {@code \n}) of space-separated
 * fields: id, time in epoch milliseconds, name (ASCII), type, family, provider, outcome, status, cached
 * ({@code 1}/{@code 0}), latency in nanoseconds; a {@code %}, space or line feed in a field is written {@code %25},
 * {@code %20} or {@code %0A}. One string per batch: the store's cost goes by the number of BSON values it decodes and
 * encodes again on every commit. With a subdocument of ten fields per lookup the history (writer, driver, store) took
 * 35 % of a loaded server's CPU samples with three providers, with one string per lookup 17 % (JFR), with one string
 * per batch see the README. Batches written before, an {@code entries} array of such strings or a {@code lookups}
 * array of subdocuments (one field per value), are read as they are. Batches of one owner may overlap in time and
 * ids (lookups are recorded as they finish), so reads merge them rather than trusting their order.
 *
 * <p>Indexes: {@value #OWNER_INDEX} (owner, then {@code _id} descending) serves a user's newest-first pages;
 * {@value #TIME_INDEX} on {@code last} serves the statistics window and is a TTL index, so a real MongoDB removes a
 * batch {@link ListLookups#RETENTION} after its newest lookup. Nothing depends on that: the embedded store ignores
 * TTL and non-unique indexes (it scans), listings never return lookups past retention, and the recorder deletes them
 * hourly.
 */
public final class MongoLookupHistory implements LookupHistory {
    static final String COLLECTION = "lookup_batches";
    static final String OWNER_INDEX = "lookup_batches_owner_newest";
    static final String TIME_INDEX = "lookup_batches_last_ttl";
    /** At most this many lookups per document: documents stay far below MongoDB's 16 MiB. */
    static final int MAX_PER_DOCUMENT = 500;
    /** A batch's lookups, one line each (see the class comment). */
    static final String LINES = "lines";
    /** A batch's lookups as batches were written before, one string each: still read. */
    static final String ENTRIES = "entries";
    /** A batch's lookups as batches were written before, one subdocument each: still read. */
    static final String OLD_LOOKUPS = "lookups";

    private final MongoCollection<Document> batches;

    public MongoLookupHistory(MongoDatabase database) {
        this.batches = database.getCollection(COLLECTION);
        batches.createIndex(Indexes.compoundIndex(Indexes.ascending("ownerId"), Indexes.descending("_id")),
                new IndexOptions().name(OWNER_INDEX));
        batches.createIndex(Indexes.ascending("last"), new IndexOptions().name(TIME_INDEX)
                .expireAfter(ListLookups.RETENTION.toSeconds(), TimeUnit.SECONDS));
    }

    @Override
    public void saveAll(List<Lookup> batch) {
        Map<UserId, List<Lookup>> byOwner = new LinkedHashMap<>();
        batch.forEach(lookup -> byOwner.computeIfAbsent(lookup.user(), owner -> new ArrayList<>()).add(lookup));
        List<Document> documents = new ArrayList<>();
        for (Map.Entry<UserId, List<Lookup>> owned : byOwner.entrySet()) {
            List<Lookup> newestFirst = owned.getValue().stream().sorted(NEWEST_FIRST).toList();
            for (int from = 0; from < newestFirst.size(); from += MAX_PER_DOCUMENT) {
                documents.add(toDocument(owned.getKey(),
                        newestFirst.subList(from, Math.min(newestFirst.size(), from + MAX_PER_DOCUMENT))));
            }
        }
        if (!documents.isEmpty()) {
            // unordered: one bad document does not stop the rest of the batch
            batches.insertMany(documents, new InsertManyOptions().ordered(false));
        }
    }

    @Override
    public Page<Lookup> list(UserId owner, Instant since, Optional<LookupId> after, int limit) {
        List<Bson> conditions = new ArrayList<>(List.of(eq("ownerId", owner.value()), gte("last", Date.from(since))));
        after.ifPresent(cursor -> conditions.add(lt("oldest", cursor.value())));
        // one more than asked tells whether another page follows without a count; capped so +1 cannot overflow
        int fetch = Math.min(Math.max(limit, 0), Integer.MAX_VALUE - 1) + 1;
        Newest<Lookup> found = new Newest<>(fetch, NEWEST_FIRST);
        for (Document batch : batches.find(and(conditions)).sort(Sorts.descending("_id"))) {
            // batches come newest id first: once one's newest is older than all we keep, so is every later one
            if (found.full() && batch.getString("_id").compareTo(found.last().id().value()) < 0) {
                break;
            }
            for (Lookup lookup : lookupsOf(owner, batch)) {
                if (!lookup.at().isBefore(since) && after.map(cursor -> lookup.id().compareTo(cursor) < 0).orElse(true)) {
                    found.offer(lookup);
                }
            }
        }
        List<Lookup> items = found.items();
        boolean more = items.size() > limit;
        return new Page<>(more ? items.subList(0, limit) : items, more);
    }

    @Override
    public Latencies latencies(Instant from, Instant until, int max) {
        Newest<Timed> found = new Newest<>(max + 1, Comparator.comparing(Timed::at).reversed());
        for (Document batch : batches.find(and(gte("last", Date.from(from)), lt("first", Date.from(until))))
                .sort(Sorts.descending("last"))) {
            if (found.full() && batch.getDate("last").toInstant().isBefore(found.last().at())) {
                break;
            }
            for (Lookup lookup : lookupsOf(new UserId(batch.getString("ownerId")), batch)) {
                Instant at = lookup.at();
                if (!at.isBefore(from) && at.isBefore(until)) {
                    LookupResult result = lookup.result();
                    found.offer(new Timed(at, new Sample(result.provider(), result.outcome(), result.elapsed())));
                }
            }
        }
        List<Sample> samples = found.items().stream().map(Timed::sample).toList();
        boolean truncated = samples.size() > max;
        return new Latencies(truncated ? samples.subList(0, max) : samples, truncated);
    }

    @Override
    public void deleteBefore(Instant cutoff) {
        Date date = Date.from(cutoff);
        batches.deleteMany(lt("last", date));
        // batches that straddle the cutoff lose their older lookups; the cutoff is a true lower bound of what stays.
        // Few do (those written within a batch's span of the cutoff), so each is read and written back.
        for (Document batch : batches.find(lt("first", date))) {
            UserId owner = new UserId(batch.getString("ownerId"));
            List<Lookup> kept = lookupsOf(owner, batch).stream().filter(lookup -> !lookup.at().isBefore(cutoff))
                    .toList();
            batches.updateOne(eq("_id", batch.get("_id")), Updates.combine(Updates.set(LINES, lines(kept)),
                    Updates.unset(ENTRIES), Updates.unset(OLD_LOOKUPS), Updates.set("first", date)));
        }
    }

    @Override
    public void deleteAllOf(UserId owner) {
        batches.deleteMany(eq("ownerId", owner.value()));
    }

    private static final Comparator<Lookup> NEWEST_FIRST = Comparator.comparing(Lookup::id).reversed();

    private record Timed(Instant at, Sample sample) {
    }

    /** Keeps the first {@code size} elements in {@code order} of all it is offered, without keeping the rest. */
    private static final class Newest<T> {
        private final int size;
        private final Comparator<T> order;
        private final PriorityQueue<T> kept;

        Newest(int size, Comparator<T> order) {
            this.size = size;
            this.order = order;
            this.kept = new PriorityQueue<>(order.reversed()); // the head is the one to drop first
        }

        void offer(T element) {
            if (size <= 0) {
                return;
            }
            if (kept.size() < size) {
                kept.add(element);
            } else if (order.compare(element, kept.peek()) < 0) {
                kept.poll();
                kept.add(element);
            }
        }

        boolean full() {
            return size > 0 && kept.size() >= size;
        }

        /** The last element kept (the one {@code order} puts last); only when {@link #full()}. */
        T last() {
            return kept.peek();
        }

        List<T> items() {
            return kept.stream().sorted(order).toList();
        }
    }

    /** The lookups of a batch document, in either form. */
    private static List<Lookup> lookupsOf(UserId owner, Document batch) {
        String lines = batch.getString(LINES);
        if (lines != null) {
            return lines.isEmpty() ? List.of()
                    : Arrays.stream(lines.split("\n", -1)).map(entry -> fromEntry(owner, entry)).toList();
        }
        List<String> entries = batch.getList(ENTRIES, String.class);
        if (entries != null) {
            return entries.stream().map(entry -> fromEntry(owner, entry)).toList();
        }
        return batch.getList(OLD_LOOKUPS, Document.class, List.of()).stream().map(d -> toLookup(owner, d)).toList();
    }

    static Document toDocument(UserId owner, List<Lookup> newestFirst) {
        Instant first = newestFirst.getFirst().at();
        Instant last = first;
        for (Lookup lookup : newestFirst) {
            first = lookup.at().isBefore(first) ? lookup.at() : first;
            last = lookup.at().isAfter(last) ? lookup.at() : last;
        }
        return new Document("_id", newestFirst.getFirst().id().value())
                .append("ownerId", owner.value())
                .append("oldest", newestFirst.getLast().id().value())
                .append("first", Date.from(first))
                .append("last", Date.from(last))
                .append(LINES, lines(newestFirst));
    }

    /** The {@code lines} of these lookups: their entries, one per line, written straight into one buffer. */
    private static String lines(List<Lookup> lookups) {
        StringBuilder lines = new StringBuilder(lookups.size() * 96);
        for (Lookup lookup : lookups) {
            if (!lines.isEmpty()) {
                lines.append('\n');
            }
            appendEntry(lines, lookup);
        }
        return lines.toString();
    }

    /** One lookup as its entry string (see the class comment). */
    static String entry(Lookup lookup) {
        return appendEntry(new StringBuilder(96), lookup).toString();
    }

    private static StringBuilder appendEntry(StringBuilder to, Lookup lookup) {
        LookupResult result = lookup.result();
        to.append(lookup.id().value()).append(' ').append(lookup.at().toEpochMilli()).append(' ');
        escape(to, result.name().ascii()).append(' ').append(result.type().name()).append(' ')
                .append(result.family().name()).append(' ');
        escape(to, result.provider()).append(' ').append(result.outcome().name()).append(' ');
        return escape(to, result.status()).append(' ').append(result.cached() ? '1' : '0').append(' ')
                .append(result.elapsed().toNanos());
    }

    static Lookup fromEntry(UserId owner, String entry) {
        String[] f = entry.split(" ", -1);
        if (f.length != 10) {
            throw new IllegalStateException("a lookup entry of " + f.length + " fields, not 10: " + entry);
        }
        LookupResult result = new LookupResult(new DomainName(unescape(f[2])), RecordType.valueOf(f[3]),
                IpFamily.valueOf(f[4]), unescape(f[5]), LookupResult.Outcome.valueOf(f[6]), unescape(f[7]),
                f[8].equals("1"), Duration.ofNanos(Long.parseLong(f[9])));
        return new Lookup(new LookupId(f[0]), owner, Instant.ofEpochMilli(Long.parseLong(f[1])), result);
    }

    private static StringBuilder escape(StringBuilder to, String field) {
        if (field.indexOf('%') < 0 && field.indexOf(' ') < 0 && field.indexOf('\n') < 0) {
            return to.append(field);
        }
        return to.append(field.replace("%", "%25").replace(" ", "%20").replace("\n", "%0A"));
    }

    private static String unescape(String field) {
        // %25 last: what it gives back is never read as an escape again
        return field.indexOf('%') < 0 ? field
                : field.replace("%20", " ").replace("%0A", "\n").replace("%25", "%");
    }

    static Lookup toLookup(UserId owner, Document d) {
        LookupResult result = new LookupResult(new DomainName(d.getString("name")), RecordType.valueOf(d.getString("type")),
                IpFamily.valueOf(d.getString("family")), d.getString("provider"),
                LookupResult.Outcome.valueOf(d.getString("outcome")), d.getString("status"), d.getBoolean("cached"),
                Duration.ofNanos(d.get("elapsedNanos", Number.class).longValue()));
        return new Lookup(new LookupId(d.getString("id")), owner, d.getDate("at").toInstant(), result);
    }
}
