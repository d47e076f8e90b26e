package dev.dnsdig.domain.dns;

import static dev.dnsdig.domain.dns.Fixtures.a;
import static dev.dnsdig.domain.dns.Fixtures.answered;
import static dev.dnsdig.domain.dns.Fixtures.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.dns.ProviderResult.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PropagationTest {
    private static final Optional<Expectation> EXPECT_ONE =
            Optional.of(Expectation.parse(RecordType.A, List.of("192.0.2.1")));

    private static Resolution resolution(ProviderResult... results) {
        return new Resolution(DomainName.of("example.com"), RecordType.A, IpFamily.IPV4, List.of(results), Duration.ofMillis(5));
    }

    @Test
    void everyProviderThatAnsweredMatchesSoItHasPropagatedThoughOneFailed() {
        Propagation propagation = Propagation.of(resolution(answered("alpha", DnsStatus.NOERROR, a("192.0.2.1", 300)),
                failed("beta", Failure.TIMEOUT), answered("gamma", DnsStatus.NOERROR, a("192.0.2.1", 20))), EXPECT_ONE);
        assertEquals(List.of("alpha", "gamma"), propagation.matching());
        assertEquals(List.of(), propagation.notMatching());
        assertEquals(List.of("beta"), propagation.failed());
        assertTrue(propagation.propagated());
    }

    @Test
    void oneProviderWithTheOldAnswerOrNoneMeansNotYet() {
        Propagation propagation = Propagation.of(resolution(answered("alpha", DnsStatus.NOERROR, a("192.0.2.1", 300)),
                answered("beta", DnsStatus.NOERROR, a("192.0.2.99", 300)), answered("gamma", DnsStatus.NXDOMAIN)),
                EXPECT_ONE);
        assertEquals(List.of("alpha"), propagation.matching());
        assertEquals(List.of("beta", "gamma"), propagation.notMatching());
        assertFalse(propagation.propagated());
    }

    @Test
    void nobodyAnsweringIsNotPropagated() {
        Propagation propagation = Propagation.of(resolution(failed("alpha", Failure.UNREACHABLE)), EXPECT_ONE);
        assertEquals(List.of("alpha"), propagation.failed());
        assertFalse(propagation.propagated());
    }

    @Test
    void withoutAnExpectationOnlyAgreementCounts() {
        Propagation same = Propagation.of(resolution(answered("alpha", DnsStatus.NOERROR, a("192.0.2.7", 300)),
                answered("beta", DnsStatus.NOERROR, a("192.0.2.7", 30))), Optional.empty());
        assertTrue(same.propagated());
        assertEquals(List.of(), same.matching(), "nothing to match against");
        Propagation split = Propagation.of(resolution(answered("alpha", DnsStatus.NOERROR, a("192.0.2.7", 300)),
                answered("beta", DnsStatus.NOERROR, a("192.0.2.8", 30))), Optional.empty());
        assertFalse(split.propagated());
    }
}
