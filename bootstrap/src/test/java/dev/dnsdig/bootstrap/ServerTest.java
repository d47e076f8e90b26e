package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fully wired server, in process, over real HTTP, resolving against a real Knot on loopback. */
class ServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORS_ORIGIN = "https://app.example.com";
    private static KnotServer knot;
    private static DnsDigServer server;
    private static String bearer;
    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        knot = KnotServer.start();
        server = DnsDigServer.start(config(knot.providerSpec("knot") + ";again=127.0.0.1:" + knot.port()));
        // the full built-in flow: sign up, log in, use the access token
        assertEquals(201, post("/v1/users", "{\"email\":\"tester@example.com\",\"username\":\"tester\",\"password\":\"Secret123\"}").statusCode());
        HttpResponse<String> login = post("/v1/auth/login", "{\"email\":\"tester@example.com\",\"password\":\"Secret123\"}");
        assertEquals(200, login.statusCode(), login.body());
        bearer = "Bearer " + JSON.readTree(login.body()).get("access_token").asText();
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP11.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    static void stop() {
        server.close();
        knot.close();
    }

    private static Config config(String providers) throws java.io.IOException {
        return Config.from(java.util.Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_DNS_PROVIDERS", providers,
                "DNSDIG_DNS_TIMEOUT_MS", "1000", "DNSDIG_DNS_DEADLINE_MS", "3000", "DNSDIG_SHUTDOWN_GRACE_MS", "5000",
                "DNSDIG_DATA_DIR", java.nio.file.Files.createTempDirectory("dnsdig-server-test").toString(),
                "DNSDIG_CORS_ORIGINS", CORS_ORIGIN));
    }

    private static HttpResponse<String> get(DnsDigServer target, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.baseUri() + path)).timeout(Duration.ofSeconds(10));
        if (target == server) {
            request.header("Authorization", bearer);
        }
        return HTTP11.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void resolvesAgainstKnotThroughEveryProvider() throws Exception {
        HttpResponse<String> response = get(server, "/v1/resolve/www.dnsdig.test/A");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.get("summary").get("agree").asBoolean());
        assertEquals(2, body.get("summary").get("answered").asInt());
        assertEquals("127.0.0.1:" + knot.port(), body.get("providers").get(0).get("server").asText());
        assertTrue(body.get("providers").get(0).get("flags").get("aa").asBoolean());
    }

    @Test
    void resolve6ReachesKnotOverIpv6() throws Exception {
        HttpResponse<String> response = get(server, "/v1/resolve6/whoami.test/AAAA");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(1, body.get("providers").size(), "the IPv4-only provider is not asked");
        JsonNode knotEntry = body.get("providers").get(0);
        assertEquals("[::1]:" + knot.port(), knotEntry.get("server").asText());
        // Knot's whoami module answers with the address the query came from
        assertEquals("::1", knotEntry.get("answers").get(0).get("rdata").get("address").asText());
    }

    @Test
    void truncatedAnswersArriveOverTcpAndNxdomainIsAnAnswer() throws Exception {
        JsonNode big = JSON.readTree(get(server, "/v1/resolve/big.dnsdig.test/TXT").body());
        assertEquals("tcp", big.get("providers").get(0).get("transport").asText());
        assertEquals(40, big.get("providers").get(0).get("answers").size());
        HttpResponse<String> nx = get(server, "/v1/resolve/nothing.dnsdig.test/A");
        assertEquals(200, nx.statusCode());
        assertEquals("NXDOMAIN", JSON.readTree(nx.body()).get("providers").get(0).get("status").asText());
    }

    @Test
    void aRepeatedQuestionIsAnsweredFromTheCacheAndHttpCachesAreToldHowLongItHolds() throws Exception {
        HttpResponse<String> first = get(server, "/v1/resolve/mail.dnsdig.test/A");
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> second = get(server, "/v1/resolve/mail.dnsdig.test/A");
        JsonNode provider = JSON.readTree(second.body()).get("providers").get(0);
        assertTrue(provider.get("cached").asBoolean(), second.body());
        long ttl = provider.get("answers").get(0).get("ttl").asLong();
        assertTrue(ttl > 0 && ttl <= 300, "counted down from the zone's 300 s: " + ttl);
        String cacheControl = second.headers().firstValue("Cache-Control").orElseThrow();
        assertTrue(cacheControl.matches("private, max-age=[0-9]+"), "a signed-in user's answer: " + cacheControl);
        long maxAge = Long.parseLong(cacheControl.substring(cacheControl.indexOf('=') + 1));
        assertTrue(maxAge > 0 && maxAge <= 300, cacheControl);

        HttpResponse<String> anonymous = HTTP11.send(HttpRequest.newBuilder(
                URI.create(server.baseUri() + "/v1/freesolve/mail.dnsdig.test/A")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("Cache-Control").orElseThrow().matches("max-age=[0-9]+"),
                "an anonymous answer may be shared");
        // dnsdig.test's SOA: TTL 300, MINIMUM 60
        String negative = get(server, "/v1/resolve/absent.dnsdig.test/A").headers().firstValue("Cache-Control").orElseThrow();
        long negativeAge = Long.parseLong(negative.substring(negative.indexOf('=') + 1));
        assertTrue(negativeAge > 0 && negativeAge <= 60, negative);
    }

    @Test
    void overviewCoversTheEverydayTypes() throws Exception {
        JsonNode types = JSON.readTree(get(server, "/v1/resolve/dnsdig.test").body()).get("types");
        assertEquals("10 mail.dnsdig.test.",
                types.get("MX").get("providers").get(0).get("answers").get(0).get("data").asText().startsWith("10")
                        ? "10 mail.dnsdig.test." : types.get("MX").get("providers").get(0).get("answers").get(1).get("data").asText());
        assertEquals("john.doe@dnsdig.test",
                types.get("SOA").get("providers").get(0).get("answers").get(0).get("rdata").get("responsibleMailbox").asText());
    }

    @Test
    void aClientOfferingAnH2cUpgradeIsServed() throws Exception {
        // the JDK client offers "Upgrade: h2c" by default; plain Grizzly must still answer over HTTP/1.1
        HttpClient h2 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response = h2.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/health/live"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        // with a body too: this is what hung before the upgrade was declined (glassfish-grizzly#1972)
        HttpResponse<String> login = h2.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/auth/login"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"tester@example.com\",\"password\":\"Secret123\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
    }

    @Test
    void noServerHeaderAndReadinessReportsTheUpstreams() throws Exception {
        get(server, "/v1/resolve/www.dnsdig.test/A");
        HttpResponse<String> ready = get(server, "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.headers().firstValue("Server").isEmpty(), ready.headers().toString());
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertEquals("serving", checks.get("server").get("details").get("state").asText());
        assertEquals("answering", checks.get("dns").get("details").get("knot").asText());
    }

    @Test
    void malformedHttpGetsAProblemNotAnHtmlPage() throws Exception {
        String response = raw("GET /v1/resolve/%zz/A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.contains("application/problem+json"), response);
        assertTrue(response.contains("\"status\":400"), response);
        // the security headers too, though this answer never passes the API's filters
        assertTrue(response.contains("X-Content-Type-Options: nosniff"), response);
        assertTrue(response.contains("X-Frame-Options: DENY"), response);
        assertFalse(response.toLowerCase().contains("<html"), response);
        assertFalse(response.contains("Exception"), response);
    }

    @Test
    void traceIsRefused() throws Exception {
        String response = raw("TRACE /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 405"), response);
        assertFalse(response.contains("TRACE /health/live"), "the request must not be echoed: " + response);
    }

    @Test
    void aGetOrDeleteWithABodyIsAnsweredAsWithout() throws Exception {
        String get = raw("GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertTrue(get.startsWith("HTTP/1.1 200"), get);
        assertTrue(get.contains("\"status\":\"UP\""), get);
        String delete = raw("DELETE /v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nabcde");
        assertTrue(delete.startsWith("HTTP/1.1 401"), "authentication decides, not the body: " + delete);
        assertTrue(delete.contains("application/problem+json"), delete);
    }

    @Test
    void theConfiguredOriginMayCallTheApiFromABrowser() throws Exception {
        HttpResponse<String> preflight = HTTP11.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/todos"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", CORS_ORIGIN)
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode(), preflight.body());
        assertEquals(CORS_ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        HttpResponse<String> other = HTTP11.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/health/live"))
                .header("Origin", "https://elsewhere.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, other.statusCode());
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), other.headers().toString());
        assertEquals("nosniff", other.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWith413() throws Exception {
        String body = "{\"email\":\"big@example.com\"" + " ".repeat(2 << 20) + "}";
        HttpResponse<String> response = post("/v1/users", body);
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("urn:dnsdig:problem:body-too-large", JSON.readTree(response.body()).get("type").asText());
    }

    @Test
    void tooManyOrTooLargeHeadersAre431AndATooLongRequestLine414() throws Exception {
        // refused by the HTTP parser before there is a request: our codec still says which limit, as a problem
        String large = raw("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(17 * 1024) + "\r\n\r\n");
        String many = raw("GET /health/live HTTP/1.1\r\nHost: x\r\n" + "X-H: 1\r\n".repeat(101) + "\r\n");
        String longLine = raw("GET /health/live?q=" + "a".repeat(17 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        String justUnder = raw("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: "
                + "a".repeat(15 * 1024) + "\r\n\r\n");
        for (String refused : java.util.List.of(large, many, longLine)) {
            int status = refused == longLine ? 414 : 431;
            assertTrue(refused.startsWith("HTTP/1.1 " + status + " "), refused);
            assertTrue(refused.contains("Content-Type: application/problem+json"), refused);
            assertTrue(refused.toLowerCase().contains("connection: close"), refused);
            assertTrue(refused.contains("X-Content-Type-Options: nosniff"), refused);
            JsonNode problem = JSON.readTree(refused.substring(refused.indexOf("\r\n\r\n") + 4));
            assertEquals(status, problem.get("status").asInt(), refused);
            assertTrue(problem.get("detail").asText().contains(status == 414 ? "request line" : "header"), refused);
        }
        assertTrue(justUnder.startsWith("HTTP/1.1 200"), "the limits are what refused: " + justUnder);
        // the server still serves after refusing
        assertEquals(200, get(server, "/health/live").statusCode());
    }

    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            StringBuilder text = new StringBuilder();
            try {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                    if (text.indexOf("\r\n\r\n") > 0 && text.toString().contains("}")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // whatever arrived is the answer
            }
            return text.toString();
        }
    }

    @Test
    void closingLetsInFlightRequestsFinishAndRefusesNewOnes() throws Exception {
        try (FaultyDnsServer slow = FaultyDnsServer.slow("127.0.0.1", knot.ipv4(), Duration.ofMillis(800))) {
            DnsDigServer draining = DnsDigServer.start(config("slow=" + slow.server()));
            String base = draining.baseUri();
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return get(draining, "/v1/freesolve/www.dnsdig.test/A");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (slow.received() == 0) {
                Thread.sleep(10);
            }
            draining.close();
            HttpResponse<String> finished = inFlight.get();
            assertEquals(200, finished.statusCode(), finished.body());
            assertThrows(ConnectException.class, () -> HTTP11.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }
}
