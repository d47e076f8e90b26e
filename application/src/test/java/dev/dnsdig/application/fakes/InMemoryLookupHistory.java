package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.LookupHistory;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** In-memory {@link LookupHistory}. */
public final class InMemoryLookupHistory implements LookupHistory {
    /** By id, which is the time order. */
    private final TreeMap<LookupId, Lookup> lookups = new TreeMap<>();

    @Override
    public synchronized void saveAll(List<Lookup> batch) {
        batch.forEach(lookup -> lookups.put(lookup.id(), lookup));
    }

    @Override
    public synchronized Page<Lookup> list(UserId owner, Instant since, Optional<LookupId> after, int limit) {
        List<Lookup> matching = lookups.descendingMap().values().stream()
                .filter(l -> l.ownedBy(owner) && !l.at().isBefore(since))
                .filter(l -> after.map(cursor -> l.id().compareTo(cursor) < 0).orElse(true))
                .limit(limit + 1L)
                .toList();
        return new Page<>(matching.stream().limit(limit).toList(), matching.size() > limit);
    }

    @Override
    public synchronized Latencies latencies(Instant from, Instant until, int max) {
        List<Sample> samples = lookups.descendingMap().values().stream()
                .filter(l -> !l.at().isBefore(from) && l.at().isBefore(until))
                .limit(max + 1L)
                .map(l -> new Sample(l.result().provider(), l.result().outcome(), l.result().elapsed()))
                .toList();
        return new Latencies(samples.stream().limit(max).toList(), samples.size() > max);
    }

    @Override
    public synchronized void deleteBefore(Instant cutoff) {
        lookups.values().removeIf(l -> l.at().isBefore(cutoff));
    }

    @Override
    public synchronized void deleteAllOf(UserId owner) {
        lookups.values().removeIf(l -> l.ownedBy(owner));
    }

    /** Everything stored, oldest first: for tests. */
    public synchronized List<Lookup> all() {
        return List.copyOf(lookups.values());
    }
}
