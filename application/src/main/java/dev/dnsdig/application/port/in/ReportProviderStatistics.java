package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.history.LatencySummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Use case: per provider, how many lookups (of every user) in a recent window and how long they took: count, mean and
 * nearest-rank p50/p95/p99 (see {@link LatencySummary}), failures included (a timeout is what the user waited).
 */
public interface ReportProviderStatistics {
    Duration MIN_WINDOW = Duration.ofMinutes(1);
    Duration MAX_WINDOW = Duration.ofDays(7);
    Duration DEFAULT_WINDOW = Duration.ofHours(1);
    /**
     * The most lookups read for one report, the newest of the window: it bounds the memory and time of a report; a
     * busier window is summarized by its newest lookups and says it is not {@code complete}.
     */
    int MAX_SAMPLES = 100_000;

    /** The report for the window ending now; {@code window} from {@link #MIN_WINDOW} to {@link #MAX_WINDOW}. */
    Report statistics(Duration window);

    /** {@code from} and {@code until} bound the lookups read; {@code complete}: every lookup of the window is in it. */
    record Report(Instant from, Instant until, boolean complete, List<ProviderStatistics> providers) {
        public Report {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(until, "until");
            providers = List.copyOf(providers);
        }
    }

    /** One provider: lookups answered and failed, and the latency of all of them. */
    record ProviderStatistics(String provider, long answered, long failed, LatencySummary latency) {
        public ProviderStatistics {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(latency, "latency");
        }
    }
}
