package dev.dnsdig.domain.dns;

import static dev.dnsdig.domain.dns.Fixtures.a;
import static dev.dnsdig.domain.dns.Fixtures.answered;
import static dev.dnsdig.domain.dns.Fixtures.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.Resolution.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolutionTest {

    private static final DomainName NAME = DomainName.of("example.com");
    private static final Duration ELAPSED = Duration.ofMillis(42);

    private static Resolution resolution(ProviderResult... results) {
        return new Resolution(NAME, RecordType.A, IpFamily.IPV4, List.of(results), ELAPSED);
    }

    @Test
    void aResolutionStaysTrueAsLongAsItsShortestAnswer() {
        assertEquals(java.util.OptionalLong.of(60), resolution(answered("cloudflare", DnsStatus.NOERROR, a("192.0.2.1", 300)),
                answered("google", DnsStatus.NOERROR, a("192.0.2.1", 60))).freshFor());
        assertEquals(java.util.OptionalLong.empty(), resolution(answered("cloudflare", DnsStatus.NOERROR, a("192.0.2.1", 300)),
                failed("google", Failure.TIMEOUT)).freshFor(), "a failure is of the moment");
        assertEquals(java.util.OptionalLong.empty(), resolution(answered("cloudflare", DnsStatus.NOERROR, a("192.0.2.1", 300)),
                answered("google", DnsStatus.SERVFAIL)).freshFor());
        assertEquals(java.util.OptionalLong.empty(), resolution().freshFor(), "no provider, nothing to keep");
    }

    @Test
    void answeredWhenOneProviderAnswered() {
        Resolution resolution = resolution(
                failed("google", Failure.TIMEOUT),
                answered("cloudflare", DnsStatus.NOERROR, a("192.0.2.1", 300)),
                failed("quad9", Failure.UNREACHABLE));
        assertEquals(Outcome.ANSWERED, resolution.outcome());
        assertEquals(1, resolution.answeredCount());
    }

    @Test
    void negativeAnswersAreAnswersToo() {
        Resolution resolution = resolution(answered("cloudflare", DnsStatus.SERVFAIL),
                answered("google", DnsStatus.NXDOMAIN));
        assertEquals(Outcome.ANSWERED, resolution.outcome());
        assertEquals(2, resolution.answeredCount());
        assertFalse(resolution.agreement().allAgree());
    }

    @Test
    void allTimedOut() {
        Resolution resolution = resolution(failed("google", Failure.TIMEOUT), failed("quad9", Failure.TIMEOUT));
        assertEquals(Outcome.ALL_TIMED_OUT, resolution.outcome());
        assertEquals(0, resolution.answeredCount());
    }

    @Test
    void allFailedWhenTimeoutsAreMixedWithOtherFailures() {
        assertEquals(Outcome.ALL_FAILED,
                resolution(failed("google", Failure.TIMEOUT), failed("quad9", Failure.UNREACHABLE)).outcome());
        assertEquals(Outcome.ALL_FAILED, resolution(failed("quad9", Failure.BAD_RESPONSE)).outcome());
        assertEquals(Outcome.ALL_FAILED,
                resolution(failed("a", Failure.UNREACHABLE), failed("b", Failure.UNREACHABLE)).outcome());
    }

    @Test
    void noProvidersWhenThereAreNoResults() {
        Resolution resolution = resolution();
        assertEquals(Outcome.NO_PROVIDERS, resolution.outcome());
        assertEquals(0, resolution.answeredCount());
        assertFalse(resolution.agreement().allAgree());
    }

    @Test
    void agreementIsComputedFromTheResults() {
        Resolution resolution = resolution(
                answered("cloudflare", DnsStatus.NOERROR, a("192.0.2.1", 300)),
                answered("google", DnsStatus.NOERROR, a("192.0.2.1", 20)),
                failed("quad9", Failure.TIMEOUT));
        assertTrue(resolution.agreement().allAgree());
        assertEquals(List.of("cloudflare", "google"), resolution.agreement().answerSets().get(0).providers());
        assertEquals(NAME, resolution.name());
        assertEquals(RecordType.A, resolution.type());
        assertEquals(IpFamily.IPV4, resolution.family());
        assertEquals(ELAPSED, resolution.elapsed());
    }

    @Test
    void resultsAreCopied() {
        List<ProviderResult> results = new ArrayList<>(List.of(failed("google", Failure.TIMEOUT)));
        Resolution resolution = new Resolution(NAME, RecordType.A, IpFamily.IPV6, results, ELAPSED);
        results.add(answered("cloudflare", DnsStatus.NOERROR));
        assertEquals(1, resolution.results().size());
        assertEquals(Outcome.ALL_TIMED_OUT, resolution.outcome());
    }

    @Test
    void requiredFieldsAreChecked() {
        List<ProviderResult> none = List.of();
        Agreement agreement = Agreement.of(none);
        assertThrows(NullPointerException.class, () -> new Resolution(null, RecordType.A, IpFamily.IPV4, none, ELAPSED));
        assertThrows(NullPointerException.class, () -> new Resolution(NAME, null, IpFamily.IPV4, none, ELAPSED));
        assertThrows(NullPointerException.class, () -> new Resolution(NAME, RecordType.A, null, none, ELAPSED));
        assertThrows(NullPointerException.class, () -> new Resolution(NAME, RecordType.A, IpFamily.IPV4, none, null));
        assertThrows(NullPointerException.class,
                () -> new Resolution(NAME, RecordType.A, IpFamily.IPV4, none, null, ELAPSED));
        assertEquals(agreement, new Resolution(NAME, RecordType.A, IpFamily.IPV4, none, agreement, ELAPSED).agreement());
    }
}
