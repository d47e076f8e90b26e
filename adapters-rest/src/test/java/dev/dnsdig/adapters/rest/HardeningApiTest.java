package dev.dnsdig.adapters.rest;

import static dev.dnsdig.adapters.rest.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import dev.dnsdig.adapters.rest.support.BodyLimitFeature;
import dev.dnsdig.adapters.rest.support.Cors;
import dev.dnsdig.domain.user.User;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limits and hardening of every route: body size, JSON shape, page sizes, security headers and CORS. */
class HardeningApiTest {
    private static final String ORIGIN = "https://app.example.com";
    private static final int MIB = BodyLimitFeature.DEFAULT_LIMIT;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestApi api;
    private TestApi cors;
    private User admin;
    private String adminAuth;

    @BeforeEach
    void start() {
        api = TestApi.withScriptedDns();
        cors = TestApi.withScriptedDns(RateLimits.off(), config -> config.register(new Cors(Set.of(ORIGIN))));
        admin = api.user("admin");
        adminAuth = api.bearer(admin);
    }

    @AfterEach
    void stop() {
        api.close();
        cors.close();
    }

    private static JsonNode problem(HttpResponse<String> response, int status, String kind) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = json(response);
        assertEquals("urn:dnsdig:problem:" + kind, body.get("type").asText(), body.toString());
        assertEquals(status, body.get("status").asInt());
        assertFalse(response.body().contains("Exception"), response.body());
        return body;
    }

    private HttpResponse<String> chunked(TestApi target, String method, String path, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.base + path))
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON object padded with spaces to {@code size} bytes: valid, and within Jackson's own limits but for size. */
    private static String padded(String json, int size) {
        return json.substring(0, json.length() - 1) + " ".repeat(size - json.length()) + "}";
    }

    // ---- request bodies

    @Test
    void everyBodyOverOneMebibyteIsA413BeforeJacksonReadsIt() throws Exception {
        String signUp = "{\"email\":\"big@example.com\",\"username\":\"big\",\"password\":\"Secret123\"}";
        // declared length: refused up front; the type says it was the body limit, not Jackson's document limit
        JsonNode declared = problem(api.send("POST", "/v1/users", padded(signUp, MIB + 1)), 413, "body-too-large");
        assertEquals(MIB, declared.get("maxBytes").asInt());
        // chunked: counted as Jackson reads it, and cut off at the limit
        problem(chunked(api, "POST", "/v1/users", padded(signUp, 2 * MIB).getBytes(StandardCharsets.US_ASCII)), 413,
                "body-too-large");
        problem(chunked(api, "POST", "/v1/auth/login-url", padded("{}", MIB + 1).getBytes(StandardCharsets.US_ASCII)), 413,
                "body-too-large");
        // form bodies too (the token endpoint), and on authenticated routes after authentication
        problem(api.send("POST", "/v1/oauth2/token", "grant_type=client_credentials&x=" + "a".repeat(MIB),
                "Content-Type", "application/x-www-form-urlencoded"), 413, "body-too-large");
        problem(api.send("PATCH", "/v1/me", padded("{}", MIB + 1), "Authorization", adminAuth,
                "Content-Type", "application/merge-patch+json"), 413, "body-too-large");
        assertTrue(api.users.findByEmail(new dev.dnsdig.domain.user.Email("big@example.com")).isEmpty(), "nobody signed up");

        // exactly the limit passes the limit: the 413s above are its doing
        HttpResponse<String> atLimit = api.send("POST", "/v1/users", padded(signUp, MIB));
        assertEquals(201, atLimit.statusCode(), atLimit.body());
    }

    @Test
    void theStricterLimitOfAResourceStillApplies() throws Exception {
        JsonNode todo = problem(api.send("POST", "/v1/todos", padded("{\"title\":\"t\"}", 100 * 1024),
                "Authorization", adminAuth), 413, "body-too-large");
        assertEquals(64 * 1024, todo.get("maxBytes").asInt());
    }

    @Test
    void tooDeeplyNestedJsonIsACleanProblem() throws Exception {
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        problem(api.send("POST", "/v1/auth/login-url", "{\"store\":" + deep + "}"), 413, "json-limits");
        problem(api.send("POST", "/v1/auth/login-url", "[".repeat(40) + "]".repeat(40)), 413, "json-limits");
        // shallow enough is fine: the depth is what was refused
        String shallow = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
        assertEquals(200, api.send("POST", "/v1/auth/login-url", "{\"store\":" + shallow + "}").statusCode());
    }

    @Test
    void aBodyInNoEncodingJsonAllowsIsMalformedJson() throws Exception {
        // Jackson guesses UTF-32 from the first four octets and finds no byte order it knows (found by JsonBodyFuzzTest)
        byte[] body = {0, 0, 0x10, 0, 0, 0, 0, 0, ':', ' ', '"', 'x', '"'};
        problem(chunked(api, "POST", "/v1/todos", body, "Authorization", adminAuth), 400, "malformed-json");
        problem(chunked(api, "POST", "/v1/users", body), 400, "malformed-json");
        // UTF-32 it can read, but cut short: an incomplete character
        byte[] utf32 = {0, 0, 0, '{', 0, 0, 0, '}', 0, 0};
        problem(chunked(api, "POST", "/v1/auth/login-url", utf32), 400, "malformed-json");
    }

    @Test
    void contentTypeAndAcceptThatCannotBeParsedAreAProblemNamingTheHeader() throws Exception {
        // Jersey's own answer was a bare 400, no problem document (found by JsonBodyFuzzTest)
        JsonNode type = problem(api.send("POST", "/v1/todos", "{}", "Authorization", adminAuth,
                "Content-Type", "\"store\":{"), 400, "invalid-header");
        assertEquals("Content-Type", type.get("header").asText());
        JsonNode accept = problem(api.send("GET", "/v1/me", null, "Authorization", adminAuth, "Accept", "text/html;q=x"),
                400, "invalid-header");
        assertEquals("Accept", accept.get("header").asText());
        problem(api.send("GET", "/v1/freesolve/example.com/A", null, "Accept", "a/b/c"), 400, "invalid-header");
        // well-formed but not served is still a 415 or 406
        assertEquals(415, api.send("POST", "/v1/todos", "{}", "Authorization", adminAuth, "Content-Type", "text/plain").statusCode());
    }

    // ---- page sizes

    @Test
    void pagesHoldAtMostOneHundredItems() throws Exception {
        for (String path : List.of("/v1/users", "/v1/todos")) {
            assertEquals(200, api.send("GET", path + "?limit=100", null, "Authorization", adminAuth).statusCode(), path);
            for (String limit : List.of("101", "0", "1000000", "-1")) {
                JsonNode refused = problem(api.send("GET", path + "?limit=" + limit, null, "Authorization", adminAuth),
                        400, "invalid-parameter");
                assertEquals("limit", refused.get("parameter").asText());
            }
        }
    }

    // ---- security headers

    private static void assertSecurityHeaders(HttpResponse<String> response) {
        String where = response.request().method() + " " + response.uri() + " -> " + response.statusCode();
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), where);
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""), where);
        assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(""), where);
        assertEquals("frame-ancestors 'none'", response.headers().firstValue("Content-Security-Policy").orElse(""), where);
        assertTrue(response.headers().firstValue("Strict-Transport-Security").isEmpty(), "plain HTTP: " + where);
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        for (HttpResponse<String> response : List.of(
                api.send("GET", "/health/live", null),
                api.send("GET", "/nowhere", null),
                api.send("GET", "/v1/me", null),
                api.send("DELETE", "/health/live", null),
                api.send("POST", "/v1/users", "{"),
                api.send("GET", "/v1/me", null, "Authorization", adminAuth),
                api.send("POST", "/v1/todos", padded("{}", MIB + 1), "Authorization", adminAuth))) {
            assertSecurityHeaders(response);
        }
    }

    @Test
    void authenticatedAndTokenResponsesAreNeverStored() throws Exception {
        assertEquals("no-store", api.send("GET", "/v1/me", null, "Authorization", adminAuth)
                .headers().firstValue("Cache-Control").orElse(""));
        assertEquals("no-store", api.send("GET", "/v1/todos", null, "Authorization", adminAuth)
                .headers().firstValue("Cache-Control").orElse(""));
        assertEquals("no-store", api.send("GET", "/v1/me", null, "Authorization", "Bearer nonsense")
                .headers().firstValue("Cache-Control").orElse(""), "a refused token too");
        HttpResponse<String> login = api.send("POST", "/v1/auth/login",
                "{\"email\":\"admin@example.com\",\"password\":\"Secret123\"}");
        assertEquals(200, login.statusCode(), login.body());
        assertEquals("no-store", login.headers().firstValue("Cache-Control").orElse(""));
        // what a resource made public for caching stays so
        assertEquals("public, max-age=300", api.send("GET", "/.well-known/jwks.json", null, "Authorization", adminAuth)
                .headers().firstValue("Cache-Control").orElse("").replace("max-age=300, public", "public, max-age=300"));
    }

    // ---- CORS

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWith204() throws Exception {
        HttpResponse<String> preflight = cors.send("OPTIONS", "/v1/todos", null, "Origin", ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type");
        assertEquals(204, preflight.statusCode(), preflight.body());
        assertEquals(ORIGIN, header(preflight, "Access-Control-Allow-Origin"));
        assertTrue(header(preflight, "Access-Control-Allow-Methods").contains("PATCH"));
        assertTrue(header(preflight, "Access-Control-Allow-Headers").contains("Authorization"));
        assertTrue(header(preflight, "Access-Control-Allow-Headers").contains("Idempotency-Key"));
        assertEquals("7200", header(preflight, "Access-Control-Max-Age"));
        assertTrue(preflight.headers().allValues("Vary").contains("Origin"), preflight.headers().toString());
        assertEquals(null, header(preflight, "Access-Control-Allow-Credentials"));
        assertSecurityHeaders(preflight);

        // from any other origin no CORS header at all: the browser refuses
        HttpResponse<String> stranger = cors.send("OPTIONS", "/v1/todos", null, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST");
        assertEquals(null, header(stranger, "Access-Control-Allow-Origin"));
        assertEquals(null, header(stranger, "Access-Control-Allow-Methods"));
    }

    @Test
    void anAllowedOriginIsEchoedNeverAStarAndSeesTheHeadersItNeeds() throws Exception {
        User alice = cors.user("alice");
        for (HttpResponse<String> response : List.of(
                cors.send("GET", "/v1/todos", null, "Origin", ORIGIN, "Authorization", cors.bearer(alice)),
                cors.send("GET", "/v1/todos", null, "Origin", ORIGIN))) { // the 401 must be readable too
            assertEquals(ORIGIN, header(response, "Access-Control-Allow-Origin"));
            assertTrue(response.headers().allValues("Vary").contains("Origin"));
            assertEquals(null, header(response, "Access-Control-Allow-Credentials"));
            String exposed = header(response, "Access-Control-Expose-Headers");
            for (String needed : List.of("ETag", "Location", "Retry-After", "RateLimit", "RateLimit-Policy", "X-Request-Id")) {
                assertTrue(List.of(exposed.split(", ")).contains(needed), needed + " in " + exposed);
            }
        }
        HttpResponse<String> stranger = cors.send("GET", "/health/live", null, "Origin", "https://evil.example");
        assertEquals(200, stranger.statusCode());
        assertEquals(null, header(stranger, "Access-Control-Allow-Origin"));
        assertTrue(stranger.headers().allValues("Vary").contains("Origin"), "caches key by Origin, allowed or not");
    }

    @Test
    void withoutConfiguredOriginsThereAreNoCorsHeadersAtAll() throws Exception {
        for (HttpResponse<String> response : List.of(
                api.send("GET", "/health/live", null, "Origin", ORIGIN),
                api.send("OPTIONS", "/v1/todos", null, "Origin", ORIGIN, "Access-Control-Request-Method", "POST"))) {
            assertTrue(response.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control-")),
                    response.headers().toString());
            assertFalse(response.headers().allValues("Vary").contains("Origin"));
        }
    }
}
