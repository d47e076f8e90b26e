package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.ListLookups;
import dev.dnsdig.application.port.in.ReportProviderStatistics;
import dev.dnsdig.application.port.out.LookupHistory;
import dev.dnsdig.application.port.out.LookupHistory.Latencies;
import dev.dnsdig.application.port.out.LookupHistory.Sample;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.history.LatencySummary;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.domain.user.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Implements reading one's own lookup history and the provider statistics over the recorded lookups. */
public final class LookupHistoryService implements ListLookups, ReportProviderStatistics {
    private final LookupHistory history;
    private final Clock clock;

    public LookupHistoryService(LookupHistory history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    @Override
    public Page<Lookup> list(UserId owner, Optional<LookupId> after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidValueException("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        return history.list(owner, clock.instant().minus(RETENTION), after, limit);
    }

    @Override
    public Report statistics(Duration window) {
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new InvalidValueException("window", "window must be from 1 minute to 7 days");
        }
        Instant until = clock.instant();
        Instant from = until.minus(window);
        Latencies latencies = history.latencies(from, until, MAX_SAMPLES);
        Map<String, List<Sample>> byProvider = new TreeMap<>();
        for (Sample sample : latencies.samples()) {
            byProvider.computeIfAbsent(sample.provider(), p -> new ArrayList<>()).add(sample);
        }
        List<ProviderStatistics> providers = byProvider.entrySet().stream().map(entry -> {
            List<Sample> samples = entry.getValue();
            long answered = samples.stream().filter(s -> s.outcome() == LookupResult.Outcome.ANSWERED).count();
            return new ProviderStatistics(entry.getKey(), answered, samples.size() - answered,
                    LatencySummary.of(samples.stream().map(Sample::elapsed).toList()));
        }).toList();
        return new Report(from, until, !latencies.truncated(), providers);
    }
}
