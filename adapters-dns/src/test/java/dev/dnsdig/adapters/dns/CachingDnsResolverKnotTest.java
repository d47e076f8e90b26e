package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.adapters.dns.testing.ManualTicker;
import dev.dnsdig.application.port.out.DnsResolver.UpstreamQuery;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The answer cache over the real dnsjava adapter and a real Knot server on loopback. Queries pass a relay in front
 * of Knot, which counts what reaches the server.
 */
class CachingDnsResolverKnotTest {
    @AutoClose
    private static final KnotServer knot = KnotServer.start();
    private final ManualTicker ticker = new ManualTicker();
    private FaultyDnsServer relay4;
    private FaultyDnsServer relay6;
    private CachingDnsResolver resolver;

    @BeforeEach
    void startRelays() throws Exception {
        relay4 = FaultyDnsServer.slow("127.0.0.1", knot.ipv4(), Duration.ZERO);
        relay6 = FaultyDnsServer.slow("::1", knot.ipv6(), Duration.ZERO);
        resolver = new CachingDnsResolver(new DnsjavaResolver(Duration.ofSeconds(2),
                new UpstreamHealth(List.of("knot"), Duration.ofSeconds(30), Clock.systemUTC())), 1000, Duration.ofDays(1), ticker);
    }

    @AfterEach
    void stopRelays() {
        relay4.close();
        relay6.close();
    }

    private ProviderResult.Answered ask(String name, RecordType type, UpstreamServer server) {
        ProviderResult result = resolver.query(new UpstreamQuery("knot", List.of(server), DomainName.of(name), type,
                Instant.now().plusSeconds(5)));
        return assertInstanceOf(ProviderResult.Answered.class, result, () -> "expected an answer, got " + result);
    }

    @Test
    void theSecondAnswerComesFromTheCacheWithLowerTtls() {
        ProviderResult.Answered first = ask("www.dnsdig.test", RecordType.A, relay4.server());
        assertFalse(first.cached());
        assertEquals(List.of(300L, 300L), first.response().answers().stream().map(ResourceRecord::ttl).toList());

        ticker.advance(Duration.ofSeconds(42));
        ProviderResult.Answered second = ask("www.dnsdig.test", RecordType.A, relay4.server());
        assertTrue(second.cached());
        assertEquals(List.of(258L, 258L), second.response().answers().stream().map(ResourceRecord::ttl).toList());
        assertEquals(first.response().answers().stream().map(ResourceRecord::data).toList(),
                second.response().answers().stream().map(ResourceRecord::data).toList());
        assertEquals(1, relay4.received(), "Knot was asked once");

        ticker.advance(Duration.ofSeconds(258));
        assertFalse(ask("www.dnsdig.test", RecordType.A, relay4.server()).cached());
        assertEquals(2, relay4.received());
    }

    @Test
    void nxdomainIsCachedForTheZoneSoaMinimum() {
        // dnsdig.test's SOA: TTL 300, MINIMUM 60
        ProviderResult.Answered first = ask("nope.dnsdig.test", RecordType.A, relay4.server());
        assertEquals(DnsStatus.NXDOMAIN, first.response().status());
        ticker.advance(Duration.ofSeconds(59));
        ProviderResult.Answered second = ask("nope.dnsdig.test", RecordType.A, relay4.server());
        assertTrue(second.cached());
        assertEquals(DnsStatus.NXDOMAIN, second.response().status());
        assertEquals("SOA", second.response().authority().get(0).type());
        assertEquals(1, second.response().authority().get(0).ttl());
        assertEquals(1, relay4.received());

        ticker.advance(Duration.ofSeconds(1));
        assertFalse(ask("nope.dnsdig.test", RecordType.A, relay4.server()).cached());
        assertEquals(2, relay4.received());
    }

    @Test
    void theIpv4AndIpv6ServersOfAProviderAreCachedApart() {
        ask("www.dnsdig.test", RecordType.AAAA, relay4.server());
        ProviderResult.Answered overIpv6 = ask("www.dnsdig.test", RecordType.AAAA, relay6.server());
        assertFalse(overIpv6.cached());
        assertEquals(relay6.server(), overIpv6.response().server());
        assertTrue(ask("www.dnsdig.test", RecordType.AAAA, relay6.server()).cached());
        assertEquals(1, relay4.received());
        assertEquals(1, relay6.received());
    }

    @Test
    void concurrentCallersReachTheServerOnce() throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ProviderResult.Answered>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(callers.submit(() -> ask("mail.dnsdig.test", RecordType.A, relay4.server())));
            }
            for (Future<ProviderResult.Answered> answer : answers) {
                assertEquals("192.0.2.25", answer.get(10, TimeUnit.SECONDS).response().answers().get(0).data());
            }
        }
        assertEquals(1, relay4.received());
    }
}
