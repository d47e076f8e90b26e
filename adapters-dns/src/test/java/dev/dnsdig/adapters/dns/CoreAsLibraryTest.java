package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.application.port.in.ResolveQuery;
import dev.dnsdig.application.service.ResolutionService;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.Resolution;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The application core used as a plain library, with the real dnsjava adapter and no HTTP: as the README shows. */
class CoreAsLibraryTest {
    private static KnotServer knot;

    @BeforeAll
    static void startKnot() {
        knot = KnotServer.start();
    }

    @AfterAll
    static void stopKnot() {
        knot.close();
    }

    @Test
    void resolvesWithTwoProvidersThatAgree() {
        List<DnsProvider> providers = List.of(
                new DnsProvider("primary", List.of(knot.ipv4(), knot.ipv6())),
                new DnsProvider("secondary", List.of(knot.ipv4())));
        var health = new UpstreamHealth(List.of("primary", "secondary"), Duration.ofSeconds(30), Clock.systemUTC());
        try (var service = new ResolutionService(providers, new DnsjavaResolver(Duration.ofSeconds(2), health),
                Duration.ofSeconds(5), Clock.systemUTC())) {
            Resolution resolution = service.resolve(ResolveQuery.of("www.dnsdig.test", "A", IpFamily.IPV4));
            assertEquals(Resolution.Outcome.ANSWERED, resolution.outcome());
            assertEquals(2, resolution.answeredCount());
            assertTrue(resolution.agreement().allAgree());
            assertEquals(List.of("A 192.0.2.10", "A 192.0.2.11"), resolution.agreement().answerSets().get(0).records());
        }
    }

    @Test
    void resolve6UsesOnlyIpv6ServersAndTheQueryArrivesFromIpv6() {
        List<DnsProvider> providers = List.of(
                new DnsProvider("dual", List.of(knot.ipv4(), knot.ipv6())),
                new DnsProvider("v4only", List.of(knot.ipv4())));
        var health = new UpstreamHealth(List.of("dual", "v4only"), Duration.ofSeconds(30), Clock.systemUTC());
        try (var service = new ResolutionService(providers, new DnsjavaResolver(Duration.ofSeconds(2), health),
                Duration.ofSeconds(5), Clock.systemUTC())) {
            Resolution resolution = service.resolve(ResolveQuery.of("whoami.test", "AAAA", IpFamily.IPV6));
            assertEquals(1, resolution.results().size(), "the IPv4-only provider is not asked");
            var answered = assertInstanceOf(ProviderResult.Answered.class, resolution.results().get(0));
            assertEquals(knot.ipv6(), answered.response().server());
            assertEquals(new RecordData.Aaaa("::1"), answered.response().answers().get(0).typed());
        }
    }

    @Test
    void aSlowProviderTimesOutWhileTheOtherAnswersWithinTheDeadline() throws Exception {
        try (FaultyDnsServer slow = FaultyDnsServer.slow("127.0.0.1", knot.ipv4(), Duration.ofMillis(4000))) {
            List<DnsProvider> providers = List.of(
                    new DnsProvider("fast", List.of(knot.ipv4())),
                    new DnsProvider("slow", List.of(slow.server())));
            var health = new UpstreamHealth(List.of("fast", "slow"), Duration.ofSeconds(30), Clock.systemUTC());
            try (var service = new ResolutionService(providers, new DnsjavaResolver(Duration.ofSeconds(2), health),
                    Duration.ofMillis(600), Clock.systemUTC())) {
                long start = System.nanoTime();
                Resolution resolution = service.resolve(ResolveQuery.of("www.dnsdig.test", "A", IpFamily.IPV4));
                long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertInstanceOf(ProviderResult.Answered.class, resolution.results().get(0));
                var failed = assertInstanceOf(ProviderResult.Failed.class, resolution.results().get(1));
                assertEquals(ProviderResult.Failure.TIMEOUT, failed.failure());
                assertTrue(tookMillis >= 550 && tookMillis < 3000, "took " + tookMillis + " ms");
                assertEquals(Resolution.Outcome.ANSWERED, resolution.outcome());
            }
        }
    }
}
