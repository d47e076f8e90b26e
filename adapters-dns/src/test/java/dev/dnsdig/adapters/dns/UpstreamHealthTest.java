package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.port.out.DependencyProbe.Report;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.HeaderFlags;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Readiness of the DNS upstreams, judged from the results of real queries. */
class UpstreamHealthTest {
    private Instant now = Instant.parse("2026-11-21T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final UpstreamHealth health = new UpstreamHealth(List.of("a", "b"), Duration.ofSeconds(30), clock);
    private final UpstreamServer server = new UpstreamServer("127.0.0.1", 5301);

    private ProviderResult answered(String provider) {
        return new ProviderResult.Answered(provider, new DnsResponse(DnsStatus.NOERROR,
                new HeaderFlags(true, false, true, false, false, false), List.of(), List.of(), server, Transport.UDP,
                Duration.ofMillis(1)));
    }

    private ProviderResult failed(String provider) {
        return new ProviderResult.Failed(provider, ProviderResult.Failure.TIMEOUT, "no answer within 500 ms",
                List.of(server), Duration.ofMillis(500));
    }

    @Test
    void upBeforeAnyQuery() {
        Report report = health.probe();
        assertTrue(report.up());
        assertEquals("no recent queries", report.details().get("a"));
    }

    @Test
    void upWhileOneProviderAnswers() {
        health.record("a", failed("a"));
        health.record("b", answered("b"));
        Report report = health.probe();
        assertTrue(report.up());
        assertEquals("failing: no answer within 500 ms", report.details().get("a"));
        assertEquals("answering", report.details().get("b"));
    }

    @Test
    void downWhenEveryProviderFailsAndUpAgainWhenTheFailuresAreOld() {
        health.record("a", failed("a"));
        health.record("b", failed("b"));
        assertFalse(health.probe().up());
        now = now.plusSeconds(31);
        assertTrue(health.probe().up());
    }

    @Test
    void recoversAsSoonAsAProviderAnswersAgain() {
        health.record("a", failed("a"));
        health.record("b", failed("b"));
        health.record("b", answered("b"));
        assertTrue(health.probe().up());
    }
}
