package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The dedicated DNS-over-HTTPS listener ({@code DNSDIG_DOH_PORT}, Netty) of the wired server, over real TLS on
 * loopback with Knot behind it: RFC 8484 answers over HTTP/2 and HTTP/1.1, every refusal as a problem document, the
 * anonymous rate limit, the access log and request metrics, and pipelined HTTP/1.1 requests answered in order.
 */
class DohListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<LogRecord> ACCESS = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ACCESS.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static KnotServer knot;
    private static DnsDigServer server;
    private static HttpClient http2;
    private static HttpClient http1;

    @BeforeAll
    static void start() throws Exception {
        knot = KnotServer.start();
        server = start(Map.of("DNSDIG_RATELIMIT_ANONYMOUS", "off"));
        http2 = HttpsTest.client(HttpClient.Version.HTTP_2, server.httpsCertificate().orElseThrow());
        http1 = HttpsTest.client(HttpClient.Version.HTTP_1_1, server.httpsCertificate().orElseThrow());
        Logger.getLogger("dnsdig.access").addHandler(CAPTURE);
    }

    private static DnsDigServer start(Map<String, String> more) throws Exception {
        Map<String, String> values = new HashMap<>(Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_DOH_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot"), "DNSDIG_DNSSEC_TRUST_ANCHORS", "off",
                "DNSDIG_SHUTDOWN_GRACE_MS", "500",
                "DNSDIG_DATA_DIR", Files.createTempDirectory("dnsdig-doh-listener").toString()));
        values.putAll(more);
        return DnsDigServer.start(Config.from(values));
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("dnsdig.access").removeHandler(CAPTURE);
        server.close();
        knot.close();
    }

    private static byte[] query(String name, int type) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.getHeader().setID(0); // RFC 8484 section 4.1
        return query.toWire();
    }

    private static String dns(byte[] message) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(message);
    }

    private static URI uri(DnsDigServer on, String target) {
        assertEquals("https://127.0.0.1:" + on.dohPort().orElseThrow(), on.dohBaseUri().orElseThrow());
        return URI.create(on.dohBaseUri().orElseThrow() + target);
    }

    private static HttpResponse<byte[]> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> get(HttpClient client, String target) throws Exception {
        return send(client, HttpRequest.newBuilder(uri(server, target)).header("Accept", "application/dns-message"));
    }

    private static HttpResponse<byte[]> post(String contentType, byte[] body) throws Exception {
        return send(http2, HttpRequest.newBuilder(uri(server, "/dns-query")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static JsonNode problem(HttpResponse<byte[]> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(status, problem.path("status").asInt(), problem::toString);
        assertTrue(problem.path("title").isTextual() && problem.path("detail").isTextual(), problem::toString);
        assertEquals(response.headers().firstValue("X-Request-Id").orElse("none"), problem.path("requestId").asText());
        return problem;
    }

    @Test
    void getAnswersWithKnotsMessageOverHttp2AndHttp1() throws Exception {
        for (HttpClient client : List.of(http2, http1)) {
            HttpResponse<byte[]> response = get(client, "/dns-query?dns=" + dns(query("www.dnsdig.test.", Type.A)));
            assertEquals(200, response.statusCode());
            assertEquals(client == http2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1, response.version());
            assertEquals("application/dns-message", response.headers().firstValue("Content-Type").orElse(""));
            Message answer = new Message(response.body());
            assertEquals(0, answer.getHeader().getID());
            assertEquals(Rcode.NOERROR, answer.getRcode());
            assertEquals(List.of("192.0.2.10", "192.0.2.11"), answer.getSection(Section.ANSWER).stream()
                    .map(Record::rdataToString).sorted().toList());
            String cacheControl = response.headers().firstValue("Cache-Control").orElse("");
            assertTrue(cacheControl.matches("max-age=(29[0-9]|300)"), cacheControl); // Knot's TTL 300, counted down
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertTrue(response.headers().firstValue("X-Request-Id").orElse("").matches("[0-9a-f]{24}"));
        }
    }

    @Test
    void postAnswersNegativeAndTruncatedQueriesWhole() throws Exception {
        HttpResponse<byte[]> nx = post("application/dns-message", query("nope.dnsdig.test.", Type.A));
        assertEquals(200, nx.statusCode());
        assertEquals(Rcode.NXDOMAIN, new Message(nx.body()).getRcode());
        assertEquals("max-age=60", nx.headers().firstValue("Cache-Control").orElse("")); // RFC 2308: SOA minimum
        Message big = new Message(post("Application/DNS-Message", query("big.dnsdig.test.", Type.TXT)).body());
        assertEquals(40, big.getSection(Section.ANSWER).size(), "fetched over TCP after the truncated UDP answer");
    }

    @Test
    void headHasTheHeadersOfGetWithoutTheBody() throws Exception {
        String target = "/dns-query?dns=" + dns(query("www.dnsdig.test.", Type.A));
        HttpResponse<byte[]> got = get(http1, target);
        HttpResponse<byte[]> head = send(http1, HttpRequest.newBuilder(uri(server, target))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(Integer.toString(got.body().length), head.headers().firstValue("Content-Length").orElse(""));
    }

    @Test
    void everyRefusalIsAProblemDocument() throws Exception {
        assertEquals("urn:dnsdig:problem:invalid-parameter", problem(get(http2, "/dns-query"), 400).path("type").asText());
        assertEquals("dns", problem(get(http2, "/dns-query?dns=not*base64"), 400).path("parameter").asText());
        assertEquals("urn:dnsdig:problem:malformed-dns-message",
                problem(get(http2, "/dns-query?dns=" + dns("garbage".getBytes(StandardCharsets.US_ASCII))), 400)
                        .path("type").asText());
        assertEquals("urn:dnsdig:problem:malformed-dns-message",
                problem(post("application/dns-message", new byte[0]), 400).path("type").asText());
        JsonNode notFound = problem(get(http2, "/v1/resolve/www.dnsdig.test/A"), 404);
        assertEquals("urn:dnsdig:problem:not-found", notFound.path("type").asText());
        assertEquals("/v1/resolve/www.dnsdig.test/A", notFound.path("instance").asText());
        HttpResponse<byte[]> put = send(http2, HttpRequest.newBuilder(uri(server, "/dns-query"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(query("www.dnsdig.test.", Type.A))));
        problem(put, 405);
        assertEquals("GET, HEAD, POST, OPTIONS", put.headers().firstValue("Allow").orElse(""));
        problem(send(http2, HttpRequest.newBuilder(uri(server, "/dns-query?dns=" + dns(query("www.dnsdig.test.", Type.A))))
                .header("Accept", "text/html, application/dns-message;q=0")), 406);
        problem(post("application/json", query("www.dnsdig.test.", Type.A)), 415);
        HttpResponse<byte[]> tooLarge = post("application/dns-message", new byte[65_536]);
        assertEquals("urn:dnsdig:problem:body-too-large", problem(tooLarge, 413).path("type").asText());
        for (HttpClient client : List.of(http2, http1)) {
            problem(get(client, "/dns-query?dns=" + "A".repeat(17_000)), 414);
        }
        // a large message well within the limits is still a message, refused for what it says
        problem(post("application/dns-message", new byte[65_535]), 400);
    }

    @Test
    void aCallersRequestIdIsEchoed() throws Exception {
        HttpResponse<byte[]> response = send(http2, HttpRequest.newBuilder(uri(server, "/dns-query?dns="
                + dns(query("www.dnsdig.test.", Type.A)))).header("X-Request-Id", "doh-test-1"));
        assertEquals(200, response.statusCode());
        assertEquals("doh-test-1", response.headers().firstValue("X-Request-Id").orElse(""));
        assertTrue(ACCESS.stream().anyMatch(line -> line.getParameters()[0] instanceof Map<?, ?> fields
                && "doh-test-1".equals(fields.get("requestId")) && "/dns-query".equals(fields.get("route"))
                && Integer.valueOf(200).equals(fields.get("status"))), "an access line for the request");
        Timer timer = server.meters().find("http.server.requests").tags("route", "/dns-query", "status", "200",
                "method", "GET").timer();
        assertTrue(timer != null && timer.count() > 0, "the request is in the latency histogram");
    }

    @Test
    void pipelinedHttp1RequestsAreAnsweredInTheirOrder() throws Exception {
        // slow first (40 records over TCP), then a quick one: the answers still come back in the order asked
        String first = "/dns-query?dns=" + dns(query("big.dnsdig.test.", Type.TXT));
        String second = "/dns-query?dns=" + dns(query("www.dnsdig.test.", Type.A));
        try (SSLSocket socket = tlsSocket(List.of("http/1.1"))) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + first + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET " + second
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<byte[]> bodies = responses(socket.getInputStream());
            assertEquals(2, bodies.size());
            assertEquals(Type.TXT, new Message(bodies.get(0)).getQuestion().getType());
            assertEquals(Type.A, new Message(bodies.get(1)).getQuestion().getType());
        }
    }

    @Test
    void aClientOfferingNoAlpnSpeaksHttp1() throws Exception {
        try (SSLSocket socket = tlsSocket(List.of())) {
            socket.getOutputStream().write(("GET /dns-query?dns=" + dns(query("www.dnsdig.test.", Type.A))
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            List<byte[]> bodies = responses(socket.getInputStream());
            assertEquals(1, bodies.size());
            assertEquals(Rcode.NOERROR, new Message(bodies.getFirst()).getRcode());
        }
    }

    private static SSLSocket tlsSocket(List<String> alpn) throws Exception {
        return tlsSocket(server, alpn);
    }

    private static SSLSocket tlsSocket(DnsDigServer on, List<String> alpn) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", on.httpsCertificate().orElseThrow());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", on.dohPort().orElseThrow());
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** The bodies of the 200 responses on a connection the server closes after the last one. */
    private static List<byte[]> responses(InputStream in) throws Exception {
        byte[] all = in.readAllBytes();
        List<byte[]> bodies = new ArrayList<>();
        int at = 0;
        while (at < all.length) {
            int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
            String head = new String(all, at, end - at, StandardCharsets.US_ASCII);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            int length = Integer.parseInt(head.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                    .findFirst().orElseThrow().substring("content-length:".length()).strip());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(all, end + 4, length);
            bodies.add(body.toByteArray());
            at = end + 4 + length;
        }
        return bodies;
    }

    private static int indexOf(byte[] data, byte[] part, int from) {
        for (int i = from; i <= data.length - part.length; i++) {
            if (java.util.Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("no end of headers after " + from);
    }

    @Test
    void theAnonymousRateLimitHoldsWithItsFields() throws Exception {
        try (DnsDigServer limited = start(Map.of("DNSDIG_RATELIMIT_ANONYMOUS", "3/60s"))) {
            HttpClient client = HttpsTest.client(HttpClient.Version.HTTP_2, limited.httpsCertificate().orElseThrow());
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<byte[]> last = null;
            for (int i = 0; i < 4; i++) {
                last = send(client, HttpRequest.newBuilder(uri(limited, "/dns-query?dns="
                        + dns(query("www.dnsdig.test.", Type.A)))));
                statuses.add(last.statusCode());
                assertEquals("\"anonymous\";q=3;w=60", last.headers().firstValue("RateLimit-Policy").orElse(""));
            }
            assertEquals(List.of(200, 200, 200, 429), statuses);
            JsonNode refused = problem(last, 429);
            assertEquals("urn:dnsdig:problem:rate-limited", refused.path("type").asText());
            assertEquals("anonymous", refused.path("violated-policies").path(0).asText());
            assertTrue(Integer.parseInt(last.headers().firstValue("Retry-After").orElse("0")) > 0);
        }
    }

    @Test
    void theSameAnswerComesFromTheApisDnsQuery() throws Exception {
        byte[] message = query("www.dnsdig.test.", Type.AAAA);
        HttpResponse<byte[]> ours = post("application/dns-message", message);
        HttpResponse<byte[]> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUri()
                        + "/dns-query")).header("Content-Type", "application/dns-message")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ours.statusCode());
        Message a = new Message(ours.body());
        Message b = new Message(api.body());
        assertArrayEquals(a.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toArray(),
                b.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toArray());
        assertEquals(1, a.getSection(Section.ANSWER).size());
    }

    /** The server with one provider whose answers wait at {@code held} until the test lets them go. */
    private static DnsDigServer heldServer(dev.dnsdig.adapters.dns.testing.FaultyDnsServer held, Map<String, String> more)
            throws Exception {
        Map<String, String> values = new HashMap<>(Map.of("DNSDIG_DNS_PROVIDERS", "held=" + held.server(),
                "DNSDIG_DNS_TIMEOUT_MS", "60000", "DNSDIG_DNS_DEADLINE_MS", "60000", "DNSDIG_RATELIMIT_ANONYMOUS", "off",
                "DNSDIG_DNS_CACHE_SIZE", "0"));
        values.putAll(more);
        return start(values);
    }

    private static double dohInFlight(DnsDigServer on) {
        return on.meters().get("dnsdig.http.in.flight").tag("routes", "doh").gauge().value();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void beyondItsInFlightBudgetARequestIsRefusedAtOnce() throws Exception {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        try (var held = dev.dnsdig.adapters.dns.testing.FaultyDnsServer.held("127.0.0.1", knot.ipv4(), gate);
             DnsDigServer limited = heldServer(held, Map.of("DNSDIG_MAX_IN_FLIGHT", "1"))) {
            HttpClient client = HttpsTest.client(HttpClient.Version.HTTP_2, limited.httpsCertificate().orElseThrow());
            var first = client.sendAsync(HttpRequest.newBuilder(uri(limited, "/dns-query?dns="
                    + dns(query("www.dnsdig.test.", Type.A)))).build(), HttpResponse.BodyHandlers.ofByteArray());
            waitFor(() -> held.received() >= 1, "the first question to reach the upstream");
            assertEquals(1.0, dohInFlight(limited));

            HttpResponse<byte[]> refused = send(client, HttpRequest.newBuilder(uri(limited, "/dns-query?dns="
                    + dns(query("mail.dnsdig.test.", Type.A)))));
            assertEquals("urn:dnsdig:problem:overloaded", problem(refused, 503).path("type").asText());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals(1, held.received(), "the refused one never went upstream");

            gate.countDown();
            HttpResponse<byte[]> answered = first.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, answered.statusCode());
            assertEquals(2, new Message(answered.body()).getSection(Section.ANSWER).size());
            assertEquals(1.0, limited.meters().get("dnsdig.http.refused").tag("reason", "overloaded_doh")
                    .functionCounter().count());
        }
    }

    @Test
    void aShutdownLetsRequestsInFlightFinishAndTurnsNewOnesAway() throws Exception {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        try (var held = dev.dnsdig.adapters.dns.testing.FaultyDnsServer.held("127.0.0.1", knot.ipv4(), gate)) {
            DnsDigServer stopping = heldServer(held, Map.of("DNSDIG_SHUTDOWN_GRACE_MS", "20000"));
            int port = stopping.dohPort().orElseThrow();
            Thread closing = null;
            try (SSLSocket idle = tlsSocket(stopping, List.of("http/1.1"))) {
                HttpClient client = HttpsTest.client(HttpClient.Version.HTTP_2, stopping.httpsCertificate().orElseThrow());
                var inFlight = client.sendAsync(HttpRequest.newBuilder(uri(stopping, "/dns-query?dns="
                        + dns(query("www.dnsdig.test.", Type.A)))).build(), HttpResponse.BodyHandlers.ofByteArray());
                waitFor(() -> held.received() >= 1, "the question to reach the upstream");
                closing = Thread.ofVirtual().start(stopping::close);
                waitFor(() -> {
                    try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                        return false;
                    } catch (java.io.IOException refused) {
                        return true;
                    }
                }, "the listener to stop accepting");

                // on a connection opened before: told to go, and the connection closed
                idle.getOutputStream().write(("GET /dns-query?dns=" + dns(query("mail.dnsdig.test.", Type.A))
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String told = new String(idle.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(told.startsWith("HTTP/1.1 503") && told.contains("urn:dnsdig:problem:shutting-down"), told);
                assertTrue(told.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), told);

                gate.countDown();
                HttpResponse<byte[]> finished = inFlight.get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, finished.statusCode(), "the request in flight got its answer");
                assertEquals(Rcode.NOERROR, new Message(finished.body()).getRcode());
                closing.join(Duration.ofSeconds(20));
                assertTrue(!closing.isAlive(), "the server stopped");
            } finally {
                gate.countDown();
                if (closing == null) {
                    stopping.close();
                }
            }
        }
    }

    @Test
    void itsConnectionsCountAgainstTheServersBound() throws Exception {
        try (DnsDigServer limited = start(Map.of("DNSDIG_MAX_CONNECTIONS", "1", "DNSDIG_RATELIMIT_ANONYMOUS", "off"))) {
            try (SSLSocket first = tlsSocket(limited, List.of("http/1.1"))) {
                // the second is accepted and closed at once: its handshake finds no server
                assertThrows(java.io.IOException.class, () -> tlsSocket(limited, List.of("http/1.1")).close());
                assertEquals(1.0, limited.meters().get("dnsdig.http.refused").tag("reason", "connections")
                        .functionCounter().count());
                first.getOutputStream().write(("GET /dns-query?dns=" + dns(query("www.dnsdig.test.", Type.A))
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertEquals(1, responses(first.getInputStream()).size(), "the admitted one is served");
            }
            // once it is closed, the next is admitted
            waitFor(() -> {
                try (SSLSocket next = tlsSocket(limited, List.of("http/1.1"))) {
                    return true;
                } catch (Exception refused) {
                    return false;
                }
            }, "a place to free up");
        }
    }
}
