package dev.dnsdig.domain.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Tests of {@link LatencySummary}: nearest-rank percentiles, always one of the measured values. */
class LatencySummaryTest {
    private static List<Duration> millis(long... values) {
        return LongStream.of(values).mapToObj(Duration::ofMillis).toList();
    }

    @Test
    void oneValueIsEveryPercentile() {
        LatencySummary summary = LatencySummary.of(millis(7));
        assertEquals(new LatencySummary(1, Duration.ofMillis(7), Duration.ofMillis(7), Duration.ofMillis(7),
                Duration.ofMillis(7), Duration.ofMillis(7)), summary);
    }

    @Test
    void nearestRankPicksAMeasuredValueWithoutInterpolating() {
        LatencySummary summary = LatencySummary.of(millis(4, 1, 3, 2));
        assertEquals(Duration.ofMillis(2), summary.p50(), "rank ceil(0.5 * 4) = 2");
        assertEquals(Duration.ofMillis(4), summary.p95(), "rank ceil(0.95 * 4) = 4");
        assertEquals(Duration.ofMillis(4), summary.p99());
        assertEquals(Duration.ofNanos(2_500_000), summary.mean());
        assertEquals(Duration.ofMillis(4), summary.max());
        assertEquals(4, summary.count());
    }

    @Test
    void ofOneToAHundredTheRankIsThePercentItself() {
        List<Duration> values = new ArrayList<>(LongStream.rangeClosed(1, 100).mapToObj(Duration::ofMillis).toList());
        Collections.shuffle(values, new Random(7));
        LatencySummary summary = LatencySummary.of(values);
        // exact ranks: no floating point rounding 95 up to 96
        assertEquals(Duration.ofMillis(50), summary.p50());
        assertEquals(Duration.ofMillis(95), summary.p95());
        assertEquals(Duration.ofMillis(99), summary.p99());
        assertEquals(Duration.ofNanos(50_500_000), summary.mean());
    }

    @Test
    void ofTwoHundredTheRanksScale() {
        LatencySummary summary = LatencySummary.of(LongStream.rangeClosed(1, 200).mapToObj(Duration::ofMillis).toList());
        assertEquals(Duration.ofMillis(100), summary.p50());
        assertEquals(Duration.ofMillis(190), summary.p95());
        assertEquals(Duration.ofMillis(198), summary.p99());
        assertEquals(Duration.ofMillis(200), summary.max());
    }

    @Test
    void nothingToSummarizeIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> LatencySummary.of(List.of()));
    }
}
