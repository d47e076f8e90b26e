package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.bootstrap.RawHttp.Answered;
import dev.dnsdig.bootstrap.RawHttp.Outcome;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admission control on the wired server over real HTTP: a flood beyond its limits is refused at once with 503
 * problems (never a queue, a 500 or a hang) while probes and metrics still answer, and what a client can make the
 * server hold for it (connections, unread responses) is bounded.
 */
class OverloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous for a loaded machine: a refusal takes milliseconds; this only tells a hang from an answer. */
    private static final int READ_TIMEOUT_MS = 15_000;
    private static KnotServer knot;

    @BeforeAll
    static void startKnot() {
        knot = KnotServer.start();
    }

    @AfterAll
    static void stopKnot() {
        knot.close();
    }

    private static DnsDigServer start(String providers, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_DNS_PROVIDERS", providers,
                // the held questions wait for as long as the test holds them, not for a DNS timeout
                "DNSDIG_DNS_TIMEOUT_MS", "60000", "DNSDIG_DNS_DEADLINE_MS", "60000", "DNSDIG_SHUTDOWN_GRACE_MS", "2000",
                "DNSDIG_DATA_DIR", Files.createTempDirectory("dnsdig-overload-test").toString()));
        env.putAll(extra);
        return DnsDigServer.start(Config.from(env));
    }

    @Test
    void aFloodBeyondTheLimitIsRefusedAtOnceWhileProbesAndMetricsStillAnswer() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        try (FaultyDnsServer held = FaultyDnsServer.held("127.0.0.1", knot.ipv4(), gate)) {
            DnsDigServer server = start("held=" + held.server(), Map.of("DNSDIG_MAX_IN_FLIGHT", "4"));
            try {
                // four lookups take every place: their questions (four names, so four queries) wait at the upstream
                List<Future<Outcome>> holding = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String path = "/v1/freesolve/held-" + i + ".dnsdig.test/A";
                    holding.add(clients.submit(() -> {
                        try (RawHttp http = RawHttp.to(server.baseUri(), 300_000)) { // as long as the test holds them
                            return http.get(path);
                        }
                    }));
                }
                waitFor(() -> held.received() >= 4, "the four lookups to reach the upstream");

                // the flood: 8 clients, 25 requests each on their keep-alive connection, every one refused at once
                // and the connection kept; then one that asks to close
                List<Future<List<Outcome>>> flood = new ArrayList<>();
                for (int client = 0; client < 8; client++) {
                    int id = client;
                    flood.add(clients.submit(() -> {
                        List<Outcome> outcomes = new ArrayList<>();
                        try (RawHttp http = RawHttp.to(server.baseUri(), READ_TIMEOUT_MS)) {
                            for (int i = 0; i < 25; i++) {
                                String requestId = "X-Request-Id: flood-" + id + "-" + i;
                                // some with a body the refusal leaves unread: the next request on the connection
                                // must still be read as one
                                outcomes.add(i % 5 == 0
                                        ? http.send("POST", "/v1/resolve/bulk", "{\"queries\":[{\"name\":\"example.com\","
                                                + "\"type\":\"A\"}],\"padding\":\"" + "x".repeat(1000 * i) + "\"}", requestId)
                                        : http.get("/v1/freesolve/flood-" + id + "-" + i + ".dnsdig.test/A", requestId));
                            }
                            assertEquals(1, http.connections(), "one connection for all 25");
                            outcomes.add(http.get("/v1/freesolve/flood-" + id + ".dnsdig.test/A",
                                    "X-Request-Id: flood-" + id + "-last", "Connection: close"));
                        }
                        return outcomes;
                    }));
                }
                int refused = 0;
                for (Future<List<Outcome>> client : flood) {
                    List<Outcome> outcomes = client.get(120, TimeUnit.SECONDS);
                    for (Outcome outcome : outcomes) {
                        assertOverloaded(outcome);
                        refused++;
                    }
                    assertFalse(((Answered) outcomes.get(0)).closes(), "the refused client may stay");
                    assertTrue(((Answered) outcomes.getLast()).closes(), "unless it asked to close");
                }
                assertEquals(208, refused);
                // refused, not queued: the upstream still holds its answers, so anything admitted would still wait
                assertTrue(holding.stream().noneMatch(Future::isDone), "the four still wait for the upstream");

                // operators still see the server, and what it refused
                assertEquals(200, status(exchange(server, "/health/live")));
                Answered metrics = (Answered) exchange(server, "/metrics");
                assertEquals(200, metrics.status(), metrics.body());
                assertEquals(208.0, metric(metrics.body(), "dnsdig_http_refused_total{reason=\"overloaded\"}"));
                assertEquals(4.0, metric(metrics.body(), "dnsdig_http_in_flight{routes=\"api\"}"));
                assertEquals(0.0, metric(metrics.body(), "dnsdig_http_refused_total{reason=\"shutting_down\"}"));

                gate.countDown();
                for (Future<Outcome> lookup : holding) {
                    Answered answered = assertInstanceOf(Answered.class, lookup.get(60, TimeUnit.SECONDS));
                    assertEquals(200, answered.status(), answered.body());
                    assertEquals("NXDOMAIN", JSON.readTree(answered.body()).get("providers").get(0).get("status").asText());
                }
                // the places are free again
                waitFor(() -> metricNow(server, "dnsdig_http_in_flight{routes=\"api\"}") == 0.0, "the places to be free");
                assertEquals(200, status(exchange(server, "/v1/freesolve/www.dnsdig.test/A")));
            } finally {
                gate.countDown();
                server.close();
                clients.shutdownNow();
            }
        }
    }

    @Test
    void overHttp2ARefusedStreamGetsTheSameProblem() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (FaultyDnsServer held = FaultyDnsServer.held("127.0.0.1", knot.ipv4(), gate)) {
            DnsDigServer server = start("held=" + held.server(), Map.of("DNSDIG_MAX_IN_FLIGHT", "1", "DNSDIG_HTTPS_PORT", "0"));
            try {
                HttpClient h2 = HttpsTest.client(HttpClient.Version.HTTP_2, server.httpsCertificate().orElseThrow());
                String base = server.httpsBaseUri().orElseThrow();
                CompletableFuture<HttpResponse<String>> holding = h2.sendAsync(
                        HttpRequest.newBuilder(URI.create(base + "/v1/freesolve/held-h2.dnsdig.test/A")).build(),
                        HttpResponse.BodyHandlers.ofString());
                waitFor(() -> held.received() >= 1, "the lookup to reach the upstream");
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> refused = h2.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/jwks.json"))
                            .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(HttpClient.Version.HTTP_2, refused.version());
                    assertEquals(503, refused.statusCode(), refused.body());
                    assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
                    assertEquals("urn:dnsdig:problem:overloaded", JSON.readTree(refused.body()).get("type").asText());
                }
                gate.countDown();
                HttpResponse<String> answered = holding.get(60, TimeUnit.SECONDS);
                assertEquals(200, answered.statusCode(), answered.body());
                assertEquals(HttpClient.Version.HTTP_2, answered.version());
            } finally {
                gate.countDown();
                server.close();
            }
        }
    }

    private static void assertOverloaded(Outcome outcome) throws Exception {
        Answered answered = assertInstanceOf(Answered.class, outcome, "a whole answer, not a hang or a reset");
        assertEquals(503, answered.status(), answered.body());
        assertTrue(answered.header("Content-Type").startsWith("application/problem+json"), answered.headers().toString());
        assertEquals("1", answered.header("Retry-After"));
        assertEquals("nosniff", answered.header("X-Content-Type-Options"));
        JsonNode problem = JSON.readTree(answered.body());
        assertEquals("urn:dnsdig:problem:overloaded", problem.get("type").asText());
        assertEquals(503, problem.get("status").asInt());
        assertTrue(problem.get("detail").asText().contains("(4)"), answered.body());
        // the caller's request id, echoed as everywhere else
        assertTrue(problem.get("requestId").asText().startsWith("flood-"), answered.body());
        assertEquals(problem.get("requestId").asText(), answered.header("X-Request-Id"));
    }

    @Test
    void connectionsBeyondTheLimitAreClosedOnArrivalAndTheRestServeOn() throws Exception {
        DnsDigServer server = start(knot.providerSpec("knot"), Map.of("DNSDIG_MAX_CONNECTIONS", "3"));
        try (RawHttp first = RawHttp.to(server.baseUri(), READ_TIMEOUT_MS);
             RawHttp second = RawHttp.to(server.baseUri(), READ_TIMEOUT_MS);
             RawHttp third = RawHttp.to(server.baseUri(), READ_TIMEOUT_MS)) {
            for (RawHttp open : List.of(first, second, third)) {
                assertEquals(200, status(open.get("/health/live")));
            }
            try (RawHttp fourth = RawHttp.to(server.baseUri(), READ_TIMEOUT_MS)) {
                Outcome outcome = fourth.get("/health/live");
                assertInstanceOf(RawHttp.ClosedBeforeAnswer.class, outcome, "closed at once, never a hang: " + outcome);
            }
            // the connections that were in keep serving, and tell what happened
            Answered metrics = (Answered) first.get("/metrics");
            assertEquals(1.0, metric(metrics.body(), "dnsdig_http_refused_total{reason=\"connections\"}"), metrics.body());
            assertEquals(200, status(second.get("/v1/freesolve/www.dnsdig.test/A")));
            // one leaves, and there is room for one more
            third.close();
            waitFor(() -> {
                try (RawHttp again = RawHttp.to(server.baseUri(), READ_TIMEOUT_MS)) {
                    return again.get("/health/live") instanceof Answered answered && answered.status() == 200;
                }
            }, "room for a new connection once one closed");
        } finally {
            server.close();
        }
    }

    @Test
    void aClientThatStopsReadingMakesTheServerWaitInsteadOfQueueingEveryAnswer() throws Exception {
        DnsDigServer server = start(knot.providerSpec("knot"), Map.of());
        try (Socket socket = new Socket()) {
            // a small receive window, so that the kernel does not keep megabytes of answers for us either
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            // 500 requests for the 70 KiB OpenAPI document at once (pipelined), and nothing read: 35 MB of answers
            String request = "GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(request.repeat(500).getBytes(StandardCharsets.ISO_8859_1));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            sent.get(60, TimeUnit.SECONDS);
            // the server answers what fits in the socket buffers and its per-connection queue, then waits for us
            waitFor(() -> served(server) > 0, "the first answer");
            double answered = -1;
            for (double now = served(server); now != answered; now = served(server)) {
                answered = now;
                Thread.sleep(2000);
            }
            assertTrue(answered > 0 && answered < 250, "answered " + answered + " of 500 without the client reading");
            assertEquals(1.0, metricNow(server, "dnsdig_http_in_flight{routes=\"api\"}"), "one answer waits to be written");
        }
        // the client gone, its waiting answer ends and the server serves on
        waitFor(() -> metricNow(server, "dnsdig_http_in_flight{routes=\"api\"}") == 0.0, "the waiting answer to end");
        try {
            assertEquals(200, status(exchange(server, "/v1/freesolve/www.dnsdig.test/A")));
        } finally {
            server.close();
        }
    }

    /** How many /openapi.json requests the server has worked through so far. */
    private static double served(DnsDigServer server) {
        return server.meters().find("http.server.requests").tag("route", "/openapi.json").timers().stream()
                .mapToDouble(timer -> timer.count()).sum();
    }

    private static Outcome exchange(DnsDigServer server, String path) {
        try (RawHttp http = RawHttp.to(server.baseUri(), READ_TIMEOUT_MS)) {
            return http.get(path);
        }
    }

    private static int status(Outcome outcome) {
        return assertInstanceOf(Answered.class, outcome, "an answer").status();
    }

    private static double metricNow(DnsDigServer server, String series) {
        Outcome outcome = exchange(server, "/metrics");
        return outcome instanceof Answered answered ? metric(answered.body(), series) : Double.NaN;
    }

    /** The value of one series in Prometheus' text format. */
    private static double metric(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), series + " not in the metrics");
        return Double.parseDouble(m.group(1));
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertFalse(System.nanoTime() > giveUp, "gave up waiting for " + what);
            Thread.sleep(20);
        }
    }
}
