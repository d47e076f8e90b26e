package dev.dnsdig.domain.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/** The result of asking every provider one question: each provider's result and whether they agree. */
public record Resolution(DomainName name, RecordType type, IpFamily family, List<ProviderResult> results,
                         Agreement agreement, Duration elapsed) {
    public Resolution {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(family, "family");
        results = List.copyOf(results);
        Objects.requireNonNull(agreement, "agreement");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public Resolution(DomainName name, RecordType type, IpFamily family, List<ProviderResult> results, Duration elapsed) {
        this(name, type, family, results, Agreement.of(results), elapsed);
    }

    /** How the resolution went as a whole. */
    public enum Outcome {
        /** At least one provider answered. */
        ANSWERED,
        /** Nobody answered and every provider timed out. */
        ALL_TIMED_OUT,
        /** Nobody answered; at least one provider failed other than by timing out. */
        ALL_FAILED,
        /** No provider has a server of the requested address family. */
        NO_PROVIDERS
    }

    public Outcome outcome() {
        if (results.isEmpty()) {
            return Outcome.NO_PROVIDERS;
        }
        if (answeredCount() > 0) {
            return Outcome.ANSWERED;
        }
        for (ProviderResult result : results) {
            if (!(result instanceof ProviderResult.Failed f && f.failure() == ProviderResult.Failure.TIMEOUT)) {
                return Outcome.ALL_FAILED;
            }
        }
        return Outcome.ALL_TIMED_OUT;
    }

    /**
     * How many seconds the whole resolution stays true: the smallest {@linkplain DnsResponse#freshFor() freshness} of
     * its answers; empty when any provider failed or gave an answer that must not be kept (a failure is of the
     * moment, and a copy of it should not outlive it), or when there are no results at all.
     */
    public OptionalLong freshFor() {
        long smallest = Long.MAX_VALUE;
        for (ProviderResult result : results) {
            if (!(result instanceof ProviderResult.Answered answered)) {
                return OptionalLong.empty();
            }
            OptionalLong fresh = answered.response().freshFor();
            if (fresh.isEmpty()) {
                return OptionalLong.empty();
            }
            smallest = Math.min(smallest, fresh.getAsLong());
        }
        return results.isEmpty() ? OptionalLong.empty() : OptionalLong.of(smallest);
    }

    public long answeredCount() {
        long answered = 0;
        for (ProviderResult result : results) {
            answered += result instanceof ProviderResult.Answered ? 1 : 0;
        }
        return answered;
    }
}
