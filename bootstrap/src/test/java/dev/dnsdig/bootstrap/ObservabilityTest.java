package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Access log lines, secrets kept out of every log line, and /metrics, on the fully wired server against Knot. */
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final String PASSWORD = "Observed9secret";
    private static final ByteArrayOutputStream LOGGED = new ByteArrayOutputStream();
    private static final StreamHandler CAPTURE = new StreamHandler(LOGGED, new JsonLogFormatter());
    private static KnotServer knot;
    private static DnsDigServer server;

    @BeforeAll
    static void start() throws Exception {
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(CAPTURE);
        knot = KnotServer.start();
        server = DnsDigServer.start(config(Map.of("DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot"))));
    }

    @AfterAll
    static void stop() {
        server.close();
        knot.close();
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    private static Config config(Map<String, String> extra) throws Exception {
        Map<String, String> values = new HashMap<>(Map.of("DNSDIG_HTTP_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", "none=127.0.0.1:9", "DNSDIG_DNS_TIMEOUT_MS", "1000",
                "DNSDIG_DATA_DIR", Files.createTempDirectory("dnsdig-observability-test").toString()));
        values.putAll(extra);
        return Config.from(values);
    }

    private static HttpResponse<String> send(DnsDigServer target, String method, String path, String body,
                                             String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.baseUri() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", body.startsWith("{") ? "application/json" : "application/x-www-form-urlencoded");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every line logged so far, each parsed: the access line is written after the response, so wait for it. */
    private static List<JsonNode> logLinesUntil(String route, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<JsonNode> lines = logLines();
            boolean seen = lines.stream().anyMatch(line -> route.equals(line.path("route").asText())
                    && line.path("status").asInt() == status);
            if (seen || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(20);
        }
    }

    private static List<JsonNode> logLines() throws Exception {
        CAPTURE.flush();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : LOGGED.toString(StandardCharsets.UTF_8).split("\\R")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line)); // throws unless every line is one JSON object
            }
        }
        return lines;
    }

    private static Stream<JsonNode> access(List<JsonNode> lines, String method, String route) {
        return lines.stream().filter(line -> "dnsdig.access".equals(line.path("logger").asText())
                && method.equals(line.path("method").asText()) && route.equals(line.path("route").asText()));
    }

    @Test
    void everyRequestHasAnAccessLineAndNoLineHoldsASecret() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(PASSWORD));
        assertEquals(201, send(server, "POST", "/v1/users", "{\"email\":\"watched@example.com\",\"username\":\"watched\","
                + "\"password\":\"" + PASSWORD + "\"}").statusCode());
        // a body that does not parse: its text must not reach a log line through the parser's error either
        assertEquals(400, send(server, "POST", "/v1/auth/login", "{\"email\":\"watched@example.com\",\"password\":\""
                + PASSWORD + "\"").statusCode());
        JsonNode login = JSON.readTree(send(server, "POST", "/v1/auth/login",
                "{\"email\":\"watched@example.com\",\"password\":\"" + PASSWORD + "\"}").body());
        secrets.add(login.get("access_token").asText());
        secrets.add(login.get("refresh_token").asText());
        JsonNode refreshed = JSON.readTree(send(server, "POST", "/v1/auth/refresh",
                "{\"refresh_token\":\"" + login.get("refresh_token").asText() + "\"}").body());
        String bearer = "Bearer " + refreshed.get("access_token").asText();
        secrets.add(refreshed.get("access_token").asText());
        secrets.add(refreshed.get("refresh_token").asText());
        String userId = JSON.readTree(send(server, "GET", "/v1/me", null, "Authorization", bearer).body()).get("id").asText();
        JsonNode application = JSON.readTree(send(server, "POST", "/v1/me/applications",
                "{\"name\":\"watched\",\"permissions\":[\"read:resolver\"]}", "Authorization", bearer).body());
        String clientSecret = application.get("client_secret").asText();
        secrets.add(clientSecret);
        String basic = Base64.getEncoder().encodeToString((application.get("client_id").asText() + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> granted = send(server, "POST", "/v1/oauth2/token", "grant_type=client_credentials",
                "Authorization", "Basic " + basic);
        assertEquals(200, granted.statusCode(), granted.body());
        String appToken = JSON.readTree(granted.body()).get("access_token").asText();
        secrets.add(appToken);
        secrets.add(basic);
        // a wrong secret and a forged token are refused: their failure paths log nothing secret either
        assertEquals(401, send(server, "POST", "/v1/oauth2/token", "grant_type=client_credentials&client_id="
                + application.get("client_id").asText() + "&client_secret=wrong-" + clientSecret).statusCode());
        assertEquals(401, send(server, "GET", "/v1/me", null, "Authorization", "Bearer forged." + appToken).statusCode());
        assertEquals(200, send(server, "GET", "/v1/resolve/www.dnsdig.test/A", null,
                "Authorization", "Bearer " + appToken, "X-Request-Id", "observed-1").statusCode());

        List<JsonNode> lines = logLinesUntil("/v1/resolve/{name}/{type}", 200);
        String everything = LOGGED.toString(StandardCharsets.UTF_8);
        for (String secret : secrets) {
            assertFalse(everything.contains(secret), "a secret was logged: " + secret.substring(0, 4) + "...");
        }
        assertFalse(everything.toLowerCase().contains("password\":\""), "a password value was logged");

        JsonNode resolve = access(lines, "GET", "/v1/resolve/{name}/{type}").findFirst().orElseThrow();
        assertEquals("observed-1", resolve.get("requestId").asText());
        assertEquals(200, resolve.get("status").asInt());
        assertEquals(userId, resolve.get("userId").asText(), "an application's request is its owner's");
        assertEquals("INFO", resolve.get("level").asText());
        assertTrue(resolve.get("latencyMs").isNumber() && resolve.get("time").asText().endsWith("Z"), resolve.toString());
        JsonNode signUp = access(lines, "POST", "/v1/users").findFirst().orElseThrow();
        assertEquals(201, signUp.get("status").asInt());
        assertFalse(signUp.has("userId"), "sign-up is anonymous");
        assertEquals(2, access(lines, "POST", "/v1/auth/login").count(), "the refused body and the login");
    }

    @Test
    void anUnmatchedPathIsLoggedWithoutItsRawPath() throws Exception {
        assertEquals(404, send(server, "GET", "/no/such/secret-path", null).statusCode());
        List<JsonNode> lines = logLinesUntil("unmatched", 404);
        assertTrue(access(lines, "GET", "unmatched").anyMatch(line -> line.get("status").asInt() == 404));
        assertFalse(LOGGED.toString(StandardCharsets.UTF_8).contains("secret-path"));
    }

    @Test
    void metricsHoldTheRequestHistogramTheUpstreamTimesAndTheJvm() throws Exception {
        String bearer = signedIn();
        assertEquals(200, send(server, "GET", "/v1/resolve/www.dnsdig.test/AAAA", null, "Authorization", bearer).statusCode());
        assertEquals(200, send(server, "GET", "/v1/resolve/nothing.dnsdig.test/A", null, "Authorization", bearer).statusCode());
        assertEquals(200, send(server, "GET", "/v1/resolve/nothing.dnsdig.test/A", null, "Authorization", bearer).statusCode());
        logLinesUntil("/v1/resolve/{name}/{type}", 200); // recorded when the request finished, after its response

        HttpResponse<String> scraped = send(server, "GET", "/metrics", null);
        assertEquals(200, scraped.statusCode());
        String type = scraped.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
        String metrics = scraped.body();
        assertTrue(metrics.contains("# TYPE http_server_requests_seconds histogram"), metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_bucket{method=\"GET\","
                + "route=\"/v1/resolve/{name}/{type}\",status=\"200\",le=\"+Inf\"}")), "the route template and status as labels");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_count{method=\"POST\","
                + "route=\"/v1/users\",status=\"201\"}")));
        assertTrue(metrics.contains("dnsdig_dns_upstream_seconds_count{outcome=\"NOERROR\",provider=\"knot\"}"), metrics);
        assertTrue(metrics.contains("dnsdig_dns_upstream_seconds_count{outcome=\"NXDOMAIN\",provider=\"knot\"} 1"),
                "the second NXDOMAIN came from the cache, not upstream: " + metrics);
        assertTrue(metrics.contains("cache_gets_total{cache=\"dns\",result=\"hit\"}"), metrics);
        assertTrue(metrics.contains("cache_gets_total{cache=\"dns\",result=\"miss\"}"), metrics);
        assertTrue(metrics.contains("cache_evictions_total{cache=\"dns\"}"), metrics);
        assertTrue(metrics.contains("cache_size{cache=\"dns\"}"), metrics);
        for (String jvm : List.of("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
                "system_cpu_count ", "process_uptime_seconds ")) {
            assertTrue(metrics.contains(jvm), jvm);
        }
    }

    private static String signedIn() throws Exception {
        send(server, "POST", "/v1/users", "{\"email\":\"meter@example.com\",\"username\":\"meter\",\"password\":\"" + PASSWORD + "\"}");
        return "Bearer " + JSON.readTree(send(server, "POST", "/v1/auth/login",
                "{\"email\":\"meter@example.com\",\"password\":\"" + PASSWORD + "\"}").body()).get("access_token").asText();
    }

    @Test
    void metricsAreForLoopbackClientsNotThroughAProxy() throws Exception {
        HttpResponse<String> proxied = send(server, "GET", "/metrics", null, "X-Forwarded-For", "203.0.113.9");
        assertEquals(403, proxied.statusCode());
        assertTrue(proxied.body().contains("loopback"), proxied.body());
    }

    @Test
    void rejectionsAreCountedAndMetricsAreNeverLimited() throws Exception {
        try (DnsDigServer limited = DnsDigServer.start(config(Map.of("DNSDIG_RATELIMIT_ANONYMOUS", "1/60s",
                "DNSDIG_METRICS", "open")))) {
            send(limited, "GET", "/v1/freesolve/example.com/A", null);
            assertEquals(429, send(limited, "GET", "/v1/freesolve/example.com/A", null).statusCode());
            for (int i = 0; i < 3; i++) {
                assertEquals(200, send(limited, "GET", "/metrics", null, "X-Forwarded-For", "203.0.113.9").statusCode(),
                        "open to anyone, and never limited");
            }
            assertTrue(send(limited, "GET", "/metrics", null).body().contains(
                    "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/freesolve/{name}/{type}\",status=\"429\"} 1"));
        }
    }

    @Test
    void metricsCanBeTurnedOff() throws Exception {
        try (DnsDigServer quiet = DnsDigServer.start(config(Map.of("DNSDIG_METRICS", "off")))) {
            assertEquals(404, send(quiet, "GET", "/metrics", null).statusCode());
            // a lookup whose one provider has nothing listening: a request and an upstream query were made
            assertEquals(502, send(quiet, "GET", "/v1/freesolve/www.dnsdig.test/A", null).statusCode());
            // nobody can read them, so nothing is recorded: no request timers, no upstream timers
            assertEquals(null, quiet.meters().find("http.server.requests").timer());
            assertEquals(null, quiet.meters().find(MeteredDnsResolver.UPSTREAM).timer());
            assertEquals(null, quiet.meters().find("cache.gets").meter(), "nor the answer cache's");
        }
    }

    @Test
    void withACacheSizeOfZeroEveryQuestionGoesUpstream() throws Exception {
        try (DnsDigServer uncached = DnsDigServer.start(config(Map.of("DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot"),
                "DNSDIG_DNS_CACHE_SIZE", "0")))) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> response = send(uncached, "GET", "/v1/freesolve/www.dnsdig.test/A", null);
                assertFalse(JSON.readTree(response.body()).get("providers").get(0).get("cached").asBoolean());
            }
            assertEquals(2, uncached.meters().find(MeteredDnsResolver.UPSTREAM).timer().count());
            assertEquals(null, uncached.meters().find("cache.gets").meter());
        }
    }
}
