package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.bootstrap.PackagedJar.Running;
import dev.dnsdig.bootstrap.RawHttp.Answered;
import dev.dnsdig.bootstrap.RawHttp.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the packaged jar in the middle of a load: clients on keep-alive connections, some of their requests
 * held at the DNS upstream (so they are surely in flight when the signal comes, however slow the machine), the
 * others fast and never stopping. Every request in flight completes with its normal answer; every later one is
 * refused cleanly (a 503 problem with {@code Connection: close} on its open connection, then connection refused),
 * never reset within an answer or left hanging; the process exits 0 within its grace period.
 */
class ShutdownUnderLoadIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GRACE_MS = 30_000;
    private static final int HELD = 4;
    private static final int LOOPERS = 6;
    private static KnotServer knot;

    @BeforeAll
    static void startKnot() {
        knot = KnotServer.start();
    }

    @AfterAll
    static void stopKnot() {
        knot.close();
    }

    /** One request, whether SIGTERM may have come before its answer, and whether it opened a new connection. */
    private record Sent(Outcome outcome, boolean afterSignal, boolean fresh) {
        boolean ok() {
            return outcome instanceof Answered answered && answered.status() == 200;
        }
    }

    @Test
    void inFlightRequestsFinishLaterOnesAreRefusedCleanlyAndTheExitIsZero(@TempDir Path workDir) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        AtomicBoolean signalled = new AtomicBoolean();
        try (FaultyDnsServer held = FaultyDnsServer.held("127.0.0.1", knot.ipv4(), gate);
             Running jar = PackagedJar.start(workDir, Map.of("DNSDIG_HTTP_PORT", "0",
                     "DNSDIG_DNS_PROVIDERS", "held=" + held.server(),
                     // the held lookups wait for the test, not for a DNS timeout
                     "DNSDIG_DNS_TIMEOUT_MS", "60000", "DNSDIG_DNS_DEADLINE_MS", "60000",
                     "DNSDIG_SHUTDOWN_GRACE_MS", Integer.toString(GRACE_MS), "DNSDIG_RATELIMIT_ANONYMOUS", "off"))) {
            // the slow ones: a first request on the connection, then a lookup held at the upstream
            List<Future<List<Outcome>>> slow = new ArrayList<>();
            for (int i = 0; i < HELD; i++) {
                String lookup = "/v1/freesolve/held-" + i + ".dnsdig.test/A";
                slow.add(clients.submit(() -> {
                    try (RawHttp http = RawHttp.to(jar.base(), 300_000)) {
                        return List.of(http.get("/.well-known/jwks.json"), http.get(lookup));
                    }
                }));
            }
            // the fast ones: API requests on their keep-alive connection, one after the other, until refused (one
            // of them on a probe's route, which Grizzly itself refuses once the shutdown reaches it)
            List<Future<List<Sent>>> loopers = new ArrayList<>();
            CountDownLatch going = new CountDownLatch(LOOPERS);
            for (int i = 0; i < LOOPERS; i++) {
                String path = i == 0 ? "/health/live" : "/.well-known/jwks.json";
                loopers.add(clients.submit(() -> {
                    List<Sent> sent = new ArrayList<>();
                    try (RawHttp http = RawHttp.to(jar.base(), 60_000)) {
                        // until the port is closed (and a little longer should it never be: the test then fails)
                        while (sent.isEmpty() || !(sent.getLast().outcome() instanceof RawHttp.Refused) && sent.size() < 1_000_000) {
                            int connections = http.connections();
                            Outcome outcome = http.get(path);
                            // read after the answer: false means the whole exchange came before the signal
                            sent.add(new Sent(outcome, signalled.get(), http.connections() > connections));
                            if (sent.size() == 1) {
                                going.countDown();
                            }
                        }
                    }
                    return sent;
                }));
            }
            long waiting = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (held.received() < HELD) {
                assertTrue(System.nanoTime() < waiting, "the held lookups never reached the upstream");
                Thread.sleep(10);
            }
            assertTrue(going.await(60, TimeUnit.SECONDS), "the fast clients under way too");

            long signal = System.nanoTime();
            signalled.set(true);
            jar.signalTerm();

            // every fast client refused, while the held lookups are still in flight
            List<List<Sent>> fast = new ArrayList<>();
            for (Future<List<Sent>> looper : loopers) {
                fast.add(looper.get(120, TimeUnit.SECONDS));
            }
            assertTrue(slow.stream().noneMatch(Future::isDone), "the held lookups are still in flight");
            assertTrue(jar.process().isAlive(), "the server waits for them");
            gate.countDown();

            for (Future<List<Outcome>> client : slow) {
                List<Outcome> outcomes = client.get(120, TimeUnit.SECONDS);
                Answered lookup = assertInstanceOf(Answered.class, outcomes.get(1), "the held lookup's answer");
                assertEquals(200, lookup.status(), lookup.body());
                JsonNode provider = JSON.readTree(lookup.body()).get("providers").get(0);
                assertEquals("NXDOMAIN", provider.get("status").asText(), lookup.body());
            }
            assertTrue(jar.process().waitFor(GRACE_MS, TimeUnit.MILLISECONDS), "no exit within the grace period");
            long stopped = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signal);
            assertEquals(0, jar.process().exitValue(), String.join("\n", jar.output()));
            assertTrue(stopped < GRACE_MS, "exit " + stopped + " ms after SIGTERM");

            for (List<Sent> looper : fast) {
                assertRefusedCleanly(looper);
            }
            assertTrue(jar.output().stream().noneMatch(line -> line.contains("\"level\":\"ERROR\"")),
                    String.join("\n", jar.output()));
        } finally {
            gate.countDown();
            clients.shutdownNow();
        }
    }

    /**
     * 200s (sent before the signal, or just after it, before the server acted on it); then, on the connection that
     * was open, a 503 problem that closes it; then nothing but refusals until the port is closed: more 503s (a new
     * connection accepted just before the listener closed), a connection the closing listener reset before it was
     * accepted (a new one, no byte of an answer), and last the connection refused. Never a 200 again, a hang, or an
     * answer broken off.
     */
    private static void assertRefusedCleanly(List<Sent> sent) throws Exception {
        String all = sent.size() + " requests: " + sent.subList(Math.max(0, sent.size() - 5), sent.size());
        int first = 0;
        while (first < sent.size() && sent.get(first).ok()) {
            first++;
        }
        assertTrue(first > 0, "answered before the signal: " + all);
        assertTrue(sent.subList(first, sent.size()).stream().allMatch(Sent::afterSignal), "refused only after SIGTERM: " + all);
        Sent onOpenConnection = sent.get(first);
        assertFalse(onOpenConnection.fresh(), "the first refusal came on the connection that was open: " + all);
        assertShuttingDown(onOpenConnection.outcome(), all);
        for (Sent refusal : sent.subList(first + 1, sent.size() - 1)) {
            if (refusal.outcome() instanceof RawHttp.ClosedBeforeAnswer) {
                assertTrue(refusal.fresh(), "only a connection the closing listener never accepted ends unanswered: " + all);
            } else {
                assertShuttingDown(refusal.outcome(), all);
            }
        }
        assertInstanceOf(RawHttp.Refused.class, sent.getLast().outcome(), "at last the connection is refused: " + all);
    }

    private static void assertShuttingDown(Outcome outcome, String all) throws Exception {
        Answered answered = assertInstanceOf(Answered.class, outcome, "a whole answer: " + all);
        assertEquals(503, answered.status(), all);
        assertTrue(answered.closes(), "Connection: close: " + answered.headers());
        assertTrue(answered.header("Content-Type").startsWith("application/problem+json"), all);
        assertEquals("1", answered.header("Retry-After"), all);
        assertEquals("urn:dnsdig:problem:shutting-down", JSON.readTree(answered.body()).get("type").asText(), all);
    }
}
