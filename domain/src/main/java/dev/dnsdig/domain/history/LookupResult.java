package dev.dnsdig.domain.history;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.Resolution;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one provider did for one question: the part of a lookup worth remembering. {@code status} is the DNS status
 * of an answer ({@code NOERROR}, {@code NXDOMAIN}, ...) or, when none of its servers answered, why
 * ({@code timeout}, {@code unreachable}, {@code bad-response}).
 */
public record LookupResult(DomainName name, RecordType type, IpFamily family, String provider, Outcome outcome,
                           String status, boolean cached, Duration elapsed) {
    public static final int MAX_PROVIDER = 100;
    public static final int MAX_STATUS = 40;

    public LookupResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(outcome, "outcome");
        if (provider == null || provider.isBlank() || provider.length() > MAX_PROVIDER) {
            throw new InvalidValueException("provider", "a provider name is 1-" + MAX_PROVIDER + " characters");
        }
        if (status == null || status.isBlank() || status.length() > MAX_STATUS) {
            throw new InvalidValueException("status", "a status is 1-" + MAX_STATUS + " characters");
        }
        if (elapsed == null || elapsed.isNegative()) {
            throw new InvalidValueException("elapsed", "elapsed time is zero or more");
        }
    }

    /** Whether the provider answered (any DNS status) or none of its servers did. */
    public enum Outcome {
        ANSWERED, FAILED
    }

    /** One result per provider of the resolution, in the resolution's order. */
    public static List<LookupResult> of(Resolution resolution) {
        return resolution.results().stream().map(result -> switch (result) {
            case ProviderResult.Answered answered -> new LookupResult(resolution.name(), resolution.type(),
                    resolution.family(), answered.provider(), Outcome.ANSWERED, answered.response().status().name(),
                    answered.cached(), answered.elapsed());
            case ProviderResult.Failed failed -> new LookupResult(resolution.name(), resolution.type(),
                    resolution.family(), failed.provider(), Outcome.FAILED, failureStatus(failed.failure()), false,
                    failed.elapsed());
        }).toList();
    }

    /** {@code TIMEOUT} as {@code timeout}, {@code BAD_RESPONSE} as {@code bad-response}: as the API writes them. */
    public static String failureStatus(ProviderResult.Failure failure) {
        return failure.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
