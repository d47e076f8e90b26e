package dev.dnsdig.domain.history;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;

/**
 * Count, mean and percentiles of a set of latencies. Percentiles are nearest-rank: the p-th percentile of n sorted
 * values is the value at rank ceil(p/100 * n) (1-based), so it is always one of the measured values, never an
 * interpolation; p50 of {1, 2, 3, 4} is 2 and p99 of fewer than 100 values is the largest.
 */
public record LatencySummary(long count, Duration mean, Duration p50, Duration p95, Duration p99, Duration max) {

    public static LatencySummary of(Collection<Duration> latencies) {
        if (latencies.isEmpty()) {
            throw new IllegalArgumentException("no latencies to summarize");
        }
        long[] nanos = latencies.stream().mapToLong(Duration::toNanos).sorted().toArray();
        // summed as doubles: no overflow however many there are, and a nanosecond more or less does not matter
        long mean = Math.round(Arrays.stream(nanos).asDoubleStream().sum() / nanos.length);
        return new LatencySummary(nanos.length, Duration.ofNanos(mean), rank(nanos, 50), rank(nanos, 95),
                rank(nanos, 99), Duration.ofNanos(nanos[nanos.length - 1]));
    }

    /** The nearest-rank percentile of ascending {@code sorted}. */
    static Duration rank(long[] sorted, int percent) {
        // integer ceiling: floating point would make 0.95 * 100 a hair above 95 and pick the next rank
        long rank = ((long) percent * sorted.length + 99) / 100;
        return Duration.ofNanos(sorted[(int) Math.max(rank, 1) - 1]);
    }
}
