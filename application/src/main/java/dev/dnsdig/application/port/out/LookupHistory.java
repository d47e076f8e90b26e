package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Outgoing persistence port for users' recorded lookups. Written in batches by one writer; read per owner, newest
 * first, and by time window for provider statistics. Ids are ULIDs made at the lookup's time, so the id order is the
 * time order and an id is a cursor.
 */
public interface LookupHistory extends UserOwnedData {

    /** Stores every lookup of the batch (ids are new). */
    void saveAll(List<Lookup> lookups);

    /** The owner's lookups made at or after {@code since}, newest first (id descending), after the cursor. */
    Page<Lookup> list(UserId owner, Instant since, Optional<LookupId> after, int limit);

    /**
     * Provider, outcome and latency of the lookups made in {@code [from, until)}, newest first, at most {@code max}
     * of them; {@code truncated} when there were more.
     */
    Latencies latencies(Instant from, Instant until, int max);

    /** Deletes every lookup made before {@code cutoff}: retention that does not depend on a store's TTL. */
    void deleteBefore(Instant cutoff);

    /** One lookup's provider, outcome and latency. */
    record Sample(String provider, LookupResult.Outcome outcome, Duration elapsed) {
        public Sample {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    record Latencies(List<Sample> samples, boolean truncated) {
        public Latencies {
            samples = List.copyOf(samples);
        }
    }
}
