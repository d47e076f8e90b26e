package dev.dnsdig.adapters.rest;

import static dev.dnsdig.adapters.rest.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.application.fakes.ScriptedDnsResolver;
import dev.dnsdig.application.port.in.ResolveOverview;
import dev.dnsdig.application.service.ReadinessService;
import dev.dnsdig.application.service.ResolutionService;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/me/lookups} and {@code /v1/stats/providers} over real HTTP: what the resolve routes record (one record per
 * provider result, failures too, never for anonymous or refused requests), pagination, isolation between users, the
 * statistics' window, and every refusal as a problem.
 */
class LookupHistoryApiTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final List<UpstreamServer> SERVERS = List.of(new UpstreamServer("192.0.2.1", 53),
            new UpstreamServer("2001:db8::1", 53));

    private final ScriptedDnsResolver dns = new ScriptedDnsResolver();
    private ResolutionService resolution;
    private TestApi api;
    private User alice;
    private String aliceAuth;
    private String bobAuth;

    @BeforeEach
    void start() {
        dns.answer("good", DnsStatus.NOERROR);
        dns.fail("bad", Failure.TIMEOUT, "no answer in time");
        resolution = new ResolutionService(List.of(new DnsProvider("good", SERVERS), new DnsProvider("bad", SERVERS)), dns,
                Duration.ofMillis(500), Clock.systemUTC());
        api = new TestApi(resolution, resolution, new ReadinessService(List.of()));
        alice = api.user("alice");
        aliceAuth = token(alice, Permission.READ_RESOLVER);
        bobAuth = token(api.user("bob"), Permission.READ_RESOLVER);
    }

    @AfterEach
    void stop() {
        api.close();
        resolution.close();
    }

    private String token(User user, Permission... permissions) {
        return "Bearer " + api.tokens.issue(user.id(), Set.of(permissions), Instant.now()).token();
    }

    private HttpResponse<String> get(String path, String auth) throws Exception {
        return auth == null ? api.send("GET", path, null) : api.send("GET", path, null, "Authorization", auth);
    }

    private JsonNode ok(String path, String auth) throws Exception {
        HttpResponse<String> response = get(path, auth);
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    /** Everything recorded so far is written: the history reads it. */
    private void written() throws Exception {
        assertTrue(api.recorder.awaitWritten(PATIENCE), "the recorder wrote what it was given");
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        return json(response);
    }

    private static List<String> field(JsonNode items, String name) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.get(name).asText()));
        return values;
    }

    @Test
    void everyResolveRouteRecordsOneLookupPerProviderResultForItsCallerOnly() throws Exception {
        ok("/v1/resolve/www.example.com/A", aliceAuth);
        ok("/v1/resolve6/www.example.com/aaaa", aliceAuth);
        JsonNode overview = ok("/v1/resolve/example.org", aliceAuth);
        ok("/v1/resolve/bob.example/MX", bobAuth);
        written();

        JsonNode items = ok("/v1/me/lookups?limit=100", aliceAuth).get("items");
        int overviewTypes = overview.get("types").size();
        assertEquals(ResolveOverview.TYPES.size(), overviewTypes);
        assertEquals(2 + 2 + 2 * overviewTypes, items.size(), items.toString());
        // newest first: the overview's, then resolve6, then resolve
        JsonNode first = items.get(items.size() - 1);
        JsonNode second = items.get(items.size() - 2);
        assertEquals(List.of("www.example.com.", "A", "4"), List.of(first.get("name").asText(), first.get("type").asText(),
                first.get("ipVersion").asText()));
        assertEquals(Set.of("good", "bad"), Set.of(first.get("provider").asText(), second.get("provider").asText()));
        JsonNode good = first.get("provider").asText().equals("good") ? first : second;
        JsonNode bad = good == first ? second : first;
        assertEquals("answered", good.get("outcome").asText());
        assertEquals("NOERROR", good.get("status").asText());
        assertEquals("failed", bad.get("outcome").asText());
        assertEquals("timeout", bad.get("status").asText());
        assertFalse(good.get("cached").asBoolean());
        assertTrue(good.get("elapsedMs").asDouble() >= 0);
        assertTrue(Instant.parse(good.get("at").asText()).isBefore(Instant.now().plusSeconds(1)));
        JsonNode sixth = items.get(items.size() - 3);
        assertEquals(List.of("www.example.com.", "AAAA", "6"), List.of(sixth.get("name").asText(), sixth.get("type").asText(),
                sixth.get("ipVersion").asText()));
        assertEquals(Set.of("example.org."), Set.copyOf(field(items, "name").subList(0, 2 * overviewTypes)));

        JsonNode bobs = ok("/v1/me/lookups", bobAuth).get("items");
        assertEquals(List.of("bob.example.", "bob.example."), field(bobs, "name"), "bob sees only his own");
    }

    @Test
    void whenNoProviderAnswersTheFailuresAreRecordedToo() throws Exception {
        dns.fail("good", Failure.UNREACHABLE, "port closed");
        problem(get("/v1/resolve/down.example/A", aliceAuth), 502);
        written();

        JsonNode items = ok("/v1/me/lookups", aliceAuth).get("items");
        assertEquals(Set.of("unreachable", "timeout"), Set.copyOf(field(items, "status")));
        assertEquals(List.of("failed", "failed"), field(items, "outcome"));
    }

    @Test
    void anonymousRefusedAndInvalidLookupsAreNotRecorded() throws Exception {
        ok("/v1/freesolve/www.example.com/A", null);
        problem(get("/v1/resolve/www.example.com/A", null), 401);
        problem(get("/v1/resolve/www.example.com/A", token(alice)), 403);
        problem(get("/v1/resolve/www.example.com/NOPE", aliceAuth), 400);
        problem(get("/v1/resolve/bad..name/A", aliceAuth), 400);
        written();

        assertEquals(0, ok("/v1/me/lookups", aliceAuth).get("items").size());
        assertEquals(List.of(), api.lookups.all());
    }

    @Test
    void pagesFollowTheNextLinkAndBadParametersAreProblems() throws Exception {
        for (String name : List.of("one", "two", "three")) {
            ok("/v1/resolve/" + name + ".example/A", aliceAuth);
        }
        written();

        List<String> seen = new ArrayList<>();
        String path = "/v1/me/lookups?limit=4";
        int pages = 0;
        while (path != null) {
            HttpResponse<String> response = get(path, aliceAuth);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode page = json(response);
            seen.addAll(field(page.get("items"), "id"));
            pages++;
            if (page.hasNonNull("next")) {
                String next = page.get("next").asText();
                assertEquals("<" + next + ">; rel=\"next\"", response.headers().firstValue("Link").orElseThrow());
                path = URI.create(next).getRawPath() + "?" + URI.create(next).getRawQuery();
            } else {
                assertTrue(response.headers().firstValue("Link").isEmpty());
                path = null;
            }
        }
        assertEquals(2, pages);
        assertEquals(6, seen.size());
        assertEquals(seen.stream().sorted(java.util.Comparator.reverseOrder()).toList(), seen, "newest first, each once");

        assertEquals("limit", problem(get("/v1/me/lookups?limit=0", aliceAuth), 400).get("parameter").asText());
        assertEquals("limit", problem(get("/v1/me/lookups?limit=101", aliceAuth), 400).get("parameter").asText());
        assertEquals("cursor", problem(get("/v1/me/lookups?cursor=bm90LWFuLWlk", aliceAuth), 400).get("parameter").asText());
        problem(get("/v1/me/lookups", null), 401);
    }

    @Test
    void providerStatisticsSummarizeEveryUsersLookupsInTheWindow() throws Exception {
        ok("/v1/resolve/www.example.com/A", aliceAuth);
        ok("/v1/resolve/www.example.com/MX", aliceAuth);
        ok("/v1/resolve/www.example.com/A", bobAuth);
        written();

        JsonNode stats = ok("/v1/stats/providers", bobAuth);
        assertEquals("PT1H", stats.get("window").asText());
        assertTrue(stats.get("complete").asBoolean());
        assertEquals("nearest-rank", stats.get("percentiles").asText());
        assertEquals(Duration.ofHours(1), Duration.between(Instant.parse(stats.get("from").asText()),
                Instant.parse(stats.get("until").asText())));
        assertEquals(List.of("bad", "good"), field(stats.get("providers"), "provider"));
        JsonNode bad = stats.get("providers").get(0);
        assertEquals(List.of(3, 0, 3), List.of(bad.get("count").asInt(), bad.get("answered").asInt(), bad.get("failed").asInt()));
        JsonNode good = stats.get("providers").get(1);
        assertEquals(List.of(3, 3, 0), List.of(good.get("count").asInt(), good.get("answered").asInt(), good.get("failed").asInt()));
        JsonNode latency = good.get("latencyMs");
        for (String member : List.of("mean", "p50", "p95", "p99", "max")) {
            assertTrue(latency.get(member).asDouble() >= 0, latency.toString());
        }
        assertTrue(latency.get("p50").asDouble() <= latency.get("p99").asDouble());

        assertEquals("PT15M", ok("/v1/stats/providers?window=15m", aliceAuth).get("window").asText());
        assertEquals("PT168H", ok("/v1/stats/providers?window=7d", aliceAuth).get("window").asText());
        assertEquals("PT1M30S", ok("/v1/stats/providers?window=PT90s", aliceAuth).get("window").asText());
        for (String bad2 : List.of("59s", "8d", "abc", "", "-1h", "P1Y", "99999999d")) {
            assertEquals("window", problem(get("/v1/stats/providers?window=" + bad2, aliceAuth), 400)
                    .get("parameter").asText(), bad2);
        }
        problem(get("/v1/stats/providers", token(alice)), 403);
        problem(get("/v1/stats/providers", null), 401);
    }

    @Test
    void deletingTheAccountDeletesItsLookups() throws Exception {
        ok("/v1/resolve/www.example.com/A", aliceAuth);
        ok("/v1/resolve/www.example.com/A", bobAuth);
        written();

        assertEquals(204, api.send("DELETE", "/v1/me", null, "Authorization", aliceAuth).statusCode());

        assertEquals(Set.of("bob"), Set.copyOf(api.lookups.all().stream()
                .map(l -> api.users.findById(l.user()).orElseThrow().username().value()).toList()));
    }
}
