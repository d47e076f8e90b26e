package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import io.micrometer.core.instrument.FunctionCounter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lookup history end to end: the fully wired server resolves against a real Knot as one user, who then reads the
 * lookups back and the provider statistics; another user sees none of them; a graceful restart loses nothing queued.
 */
class LookupHistoryServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static KnotServer knot;
    private static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        knot = KnotServer.start();
        dataDir = Files.createTempDirectory("dnsdig-history-test");
    }

    @AfterAll
    static void stop() {
        knot.close();
    }

    private static DnsDigServer server() {
        return DnsDigServer.start(Config.from(Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_DNS_PROVIDERS",
                knot.providerSpec("knot") + ";again=127.0.0.1:" + knot.port(), "DNSDIG_DNS_TIMEOUT_MS", "1000",
                "DNSDIG_DNS_DEADLINE_MS", "3000", "DNSDIG_SHUTDOWN_GRACE_MS", "5000",
                "DNSDIG_DATA_DIR", dataDir.toString())));
    }

    private static HttpResponse<String> send(DnsDigServer server, String method, String path, String json, String bearer)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).timeout(PATIENCE)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return HTTP11.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(DnsDigServer server, String path, String bearer) throws Exception {
        HttpResponse<String> response = send(server, "GET", path, null, bearer);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** Signs up (the first time) and logs in: a bearer header. */
    private static String login(DnsDigServer server, String name, boolean signUp) throws Exception {
        if (signUp) {
            assertEquals(201, send(server, "POST", "/v1/users", "{\"email\":\"" + name + "@example.com\",\"username\":\""
                    + name + "\",\"password\":\"Secret123\"}", null).statusCode());
        }
        HttpResponse<String> login = send(server, "POST", "/v1/auth/login",
                "{\"email\":\"" + name + "@example.com\",\"password\":\"Secret123\"}", null);
        assertEquals(200, login.statusCode(), login.body());
        return "Bearer " + JSON.readTree(login.body()).get("access_token").asText();
    }

    private static List<String> field(JsonNode items, String name) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.get(name).asText()));
        return values;
    }

    @Test
    void aUsersLookupsAreTheirHistoryFeedTheStatisticsAndSurviveAGracefulRestart() throws Exception {
        String ann;
        try (DnsDigServer server = server()) {
            ann = login(server, "ann", true);
            String bob = login(server, "bob", true);
            ok(server, "/v1/resolve/www.dnsdig.test/A", ann);
            ok(server, "/v1/resolve/nothing.dnsdig.test/A", ann);
            assertTrue(server.lookupRecorder().awaitWritten(PATIENCE));

            JsonNode items = ok(server, "/v1/me/lookups", ann).get("items");
            assertEquals(List.of("nothing.dnsdig.test.", "nothing.dnsdig.test.", "www.dnsdig.test.", "www.dnsdig.test."),
                    field(items, "name"), "newest first, one per provider");
            assertEquals(Set.of("knot", "again"), Set.copyOf(field(items, "provider")));
            assertEquals(List.of("NXDOMAIN", "NXDOMAIN", "NOERROR", "NOERROR"), field(items, "status"));
            assertEquals(0, ok(server, "/v1/me/lookups", bob).get("items").size(), "bob sees none of ann's");

            JsonNode stats = ok(server, "/v1/stats/providers?window=5m", bob);
            assertEquals(List.of("again", "knot"), field(stats.get("providers"), "provider"));
            for (JsonNode provider : stats.get("providers")) {
                assertEquals(2, provider.get("count").asInt(), provider.toString());
                assertTrue(provider.get("latencyMs").get("p99").asDouble() >= provider.get("latencyMs").get("p50").asDouble());
            }
            assertEquals(4.0, FunctionCounter.class.cast(server.meters().get(DnsDigServer.HISTORY + ".written")
                    .functionCounter()).count());
            assertEquals(0.0, server.meters().get(DnsDigServer.HISTORY + ".dropped").functionCounter().count());
            assertEquals(0.0, server.meters().get(DnsDigServer.HISTORY + ".queue").gauge().value());

            // not waited for: closing the server writes what is still queued before the storage closes
            ok(server, "/v1/resolve/mail.dnsdig.test/A", ann);
        }
        try (DnsDigServer again = server()) {
            JsonNode items = ok(again, "/v1/me/lookups", login(again, "ann", false)).get("items");
            assertEquals(6, items.size(), items.toString());
            assertEquals(List.of("mail.dnsdig.test.", "mail.dnsdig.test."), field(items, "name").subList(0, 2));
        }
    }

    @Test
    void aDeletedAccountLeavesNoLookupBehindNotEvenOnesStillQueued() throws Exception {
        try (DnsDigServer server = server()) {
            String cid = login(server, "cid", true);
            String dee = login(server, "dee", true);
            // the statistics count every account's lookups: other tests' too, on this data directory
            JsonNode before = ok(server, "/v1/stats/providers?window=5m", dee).get("providers");
            for (int i = 0; i < 5; i++) {
                ok(server, "/v1/resolve/www.dnsdig.test/A", cid); // not waited for: some are still queued
            }
            assertEquals(204, send(server, "DELETE", "/v1/me", null, cid).statusCode());
            assertTrue(server.lookupRecorder().awaitWritten(PATIENCE));

            JsonNode after = ok(server, "/v1/stats/providers?window=5m", dee).get("providers");
            assertEquals(field(before, "count"), field(after, "count"), "none of the deleted account's lookups");
            ok(server, "/v1/resolve/www.dnsdig.test/A", dee);
            assertTrue(server.lookupRecorder().awaitWritten(PATIENCE));
            assertEquals(2, ok(server, "/v1/me/lookups", dee).get("items").size(), "others' lookups are still kept");
        }
    }
}
