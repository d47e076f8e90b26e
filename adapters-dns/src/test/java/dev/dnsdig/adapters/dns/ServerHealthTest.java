package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which servers are asked first: a failed one goes last for a back-off that grows, and comes back on trial. */
class ServerHealthTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final ServerHealth health = new ServerHealth(clock);
    private final UpstreamServer a = new UpstreamServer("127.0.0.1", 5301);
    private final UpstreamServer b = new UpstreamServer("127.0.0.1", 5302);
    private final UpstreamServer c = new UpstreamServer("::1", 5303);
    private final List<UpstreamServer> servers = List.of(a, b, c);

    @Test
    void whileNothingFailsTheConfiguredOrderIsKeptAsItIs() {
        assertSame(servers, health.order(servers));
        health.answered(a);
        assertSame(servers, health.order(servers));
        assertTrue(health.describe().isEmpty());
    }

    @Test
    void aFailedServerIsAskedLastUntilItsBackOffEnds() {
        health.failed(a, "127.0.0.1:5301: no answer within 500 ms");
        assertEquals(List.of(b, c, a), health.order(servers));
        assertEquals(List.of(b, c, a), health.order(servers), "every query in the back-off");
        assertTrue(health.skipped(a));
        assertFalse(health.skipped(b));
        assertEquals(Map.of("127.0.0.1:5301", "asked last for 5 s more after 1 failure: 127.0.0.1:5301: no answer within 500 ms"),
                health.describe());
        clock.advance(ServerHealth.FIRST_BACKOFF.minusMillis(1));
        assertEquals(List.of(b, c, a), health.order(servers));
        clock.advance(Duration.ofMillis(1));
        assertFalse(health.skipped(a));
        assertTrue(health.failing(a), "failing until it answers");
        assertEquals(Map.of("127.0.0.1:5301", "to be tried again by the next query after 1 failure: "
                + "127.0.0.1:5301: no answer within 500 ms"), health.describe());
    }

    @Test
    void afterTheBackOffOneQueryTriesTheServerInItsPlaceAndTheOthersStillSkipIt() {
        health.failed(a, "no answer");
        clock.advance(ServerHealth.FIRST_BACKOFF);
        assertEquals(servers, health.order(servers), "the trial: back in its place");
        assertEquals(List.of(b, c, a), health.order(servers), "meanwhile, everyone else skips it");
        health.answered(a);
        assertSame(servers, health.order(servers), "it answered: healthy again");
        assertFalse(health.skipped(a));
        assertFalse(health.failing(a));
    }

    @Test
    void eachFailedTrialDoublesTheBackOffUpToTheCap() {
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 120L, 120L),
                IntStream.rangeClosed(1, 7).mapToObj(n -> ServerHealth.backOff(n).toSeconds()).toList());
        health.failed(a, "no answer");
        for (int failures = 1; failures <= 7; failures++) {
            Duration backOff = ServerHealth.backOff(failures);
            clock.advance(backOff.minusMillis(1));
            assertEquals(List.of(b, c, a), health.order(servers), "skipped for " + backOff);
            clock.advance(Duration.ofMillis(1));
            assertEquals(servers, health.order(servers), "tried again after " + backOff);
            health.failed(a, "no answer"); // the trial failed
        }
    }

    @Test
    void failuresOfQueriesSentBeforeTheFirstOneCameBackDoNotLengthenTheBackOff() {
        // a server dies with many queries in flight: they all time out together, and that is one failure
        for (int i = 0; i < 20; i++) {
            health.failed(a, "no answer");
        }
        clock.advance(ServerHealth.FIRST_BACKOFF);
        assertEquals(servers, health.order(servers));
    }

    @Test
    void whenEveryServerFailedAllAreStillAskedInTheirOrder() {
        health.failed(a, "no answer");
        health.failed(b, "no answer");
        health.failed(c, "port unreachable");
        assertEquals(servers, health.order(servers), "never nobody to ask");
        assertTrue(health.allSkipped(servers));
        assertFalse(health.allSkipped(List.of(a, b, new UpstreamServer("127.0.0.1", 5399))));
        health.answered(b);
        assertEquals(List.of(b, a, c), health.order(servers));
        assertFalse(health.allSkipped(servers));
    }
}
