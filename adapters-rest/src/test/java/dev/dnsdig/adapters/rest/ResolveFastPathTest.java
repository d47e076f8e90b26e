package dev.dnsdig.adapters.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import dev.dnsdig.adapters.rest.ratelimit.TrustedProxies;
import dev.dnsdig.application.fakes.ScriptedDnsResolver;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import dev.dnsdig.application.port.in.ResolveRecords;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.application.service.ReadinessService;
import dev.dnsdig.application.service.ResolutionService;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.user.User;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The resolve fast path answers exactly as the API behind it: every request here is sent twice, once as the fast path
 * takes it and once with a query string, which it leaves to Jersey, and the two answers must not differ but in what
 * differs between any two requests (the date, timings, the rate limit's remaining count). Requests it must not take
 * reach Jersey, which answers them as it always did.
 */
class ResolveFastPathTest {
    private static final List<DnsProvider> PROVIDERS = List.of(
            new DnsProvider("alpha", List.of(new UpstreamServer("192.0.2.1", 53), new UpstreamServer("2001:db8::1", 53))),
            new DnsProvider("beta", List.of(new UpstreamServer("192.0.2.2", 53))));
    private static final int LIMIT = 20;
    /** Fields that differ between any two answers, whoever gives them. */
    private static final Set<String> OF_THE_MOMENT = Set.of("date", "content-length", "ratelimit");

    private final ScriptedDnsResolver dns = new ScriptedDnsResolver();
    private ResolutionService resolution;
    private TestApi api;
    private User alice;
    private String bearer;

    @BeforeEach
    void start() {
        resolution = new ResolutionService(PROVIDERS, dns, Duration.ofMillis(300), Clock.systemUTC());
        startWith(resolution);
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR);
    }

    private void startWith(ResolveRecords records) {
        if (api != null) {
            api.close();
        }
        api = new TestApi(records, resolution, new ReadinessService(List.of()), new RateLimits(Optional.empty(),
                Optional.of(new Policy("user", LIMIT, Duration.ofMinutes(1))), Optional.empty(), TrustedProxies.none()));
        alice = api.user("alice");
        bearer = api.bearer(alice);
    }

    @AfterEach
    void stop() {
        api.close();
        resolution.close();
    }

    /** The answer of the fast path and the API's to the same request, checked to be the same; the fast path's. */
    private HttpResponse<String> same(String method, String path, String... headers) throws Exception {
        long before = api.fastPath.answered();
        HttpResponse<String> fast = api.send(method, path, null, with(headers));
        assertEquals(before + 1, api.fastPath.answered(), "the fast path answered " + method + " " + path);
        HttpResponse<String> jersey = api.send(method, path + "?via=api", null, with(headers));
        assertEquals(before + 1, api.fastPath.answered(), "the API answered " + method + " " + path + "?via=api");

        assertEquals(jersey.statusCode(), fast.statusCode(), fast.body());
        assertEquals(fields(jersey), fields(fast));
        assertEquals(jersey.headers().firstValue("RateLimit").isPresent(), fast.headers().firstValue("RateLimit").isPresent());
        assertEquals(jersey.body().isEmpty(), fast.body().isEmpty());
        if (!fast.body().isEmpty()) {
            assertEquals(timeless(TestApi.JSON.readTree(jersey.body())), timeless(TestApi.JSON.readTree(fast.body())));
        }
        return fast;
    }

    private String[] with(String... headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 4);
        all[headers.length] = "Authorization";
        all[headers.length + 1] = bearer;
        all[headers.length + 2] = "X-Request-Id";
        all[headers.length + 3] = "same-id";
        return all;
    }

    /** The header fields, by lower-case name, without those of the moment. */
    private static Map<String, List<String>> fields(HttpResponse<String> response) {
        Map<String, List<String>> fields = new TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!OF_THE_MOMENT.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                fields.put(name.toLowerCase(java.util.Locale.ROOT), values);
            }
        });
        return fields;
    }

    /** The document without its timings. */
    private static JsonNode timeless(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("elapsedMs");
        }
        node.forEach(ResolveFastPathTest::timeless);
        return node;
    }

    @Test
    void anAnswerIsTheApisToTheLetter() throws Exception {
        HttpResponse<String> answer = same("GET", "/v1/resolve/example.com/A");
        assertEquals(200, answer.statusCode());
        assertEquals("application/json", answer.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("same-id", answer.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("\"user\";q=" + LIMIT + ";w=60", answer.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertEquals(2, TestApi.json(answer).get("providers").size());

        assertEquals(200, same("GET", "/v1/resolve6/example.com/AAAA").statusCode());
        assertEquals(200, same("GET", "/v1/resolve/EXAMPLE.com./mx", "Accept", "application/json").statusCode());
        assertEquals(200, same("GET", "/v1/resolve/example.com/28", "Accept", "*/*").statusCode());
        HttpResponse<String> head = same("HEAD", "/v1/resolve/example.com/A");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void negativeAnswersAndFailuresToo() throws Exception {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NXDOMAIN);
        assertEquals(200, same("GET", "/v1/resolve/gone.example/A").statusCode());
        dns.fail("alpha", Failure.UNREACHABLE, "port unreachable");
        dns.fail("beta", Failure.UNREACHABLE, "port unreachable");
        HttpResponse<String> failed = same("GET", "/v1/resolve/example.com/A");
        assertEquals(502, failed.statusCode());
        assertEquals("application/problem+json", failed.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("/v1/resolve/example.com/A", TestApi.json(failed).get("instance").asText());
        dns.hang(ScriptedDnsResolver.ANY_PROVIDER);
        assertEquals(504, same("GET", "/v1/resolve/example.com/A").statusCode());
    }

    @Test
    void aFailureNobodyExpectedIsThe500OfTheApi() throws Exception {
        startWith(query -> {
            throw new IllegalStateException("secret internal detail");
        });
        HttpResponse<String> broken = same("GET", "/v1/resolve/example.com/A");
        assertEquals(500, broken.statusCode());
        assertTrue(!broken.body().contains("secret"), broken.body());
    }

    @Test
    void theUserLimitCountsBothAlikeAndRefusesAlike() throws Exception {
        for (int i = 0; i < LIMIT / 2; i++) {
            assertEquals(200, same("GET", "/v1/resolve/example.com/A").statusCode());
        }
        HttpResponse<String> refused = same("GET", "/v1/resolve/example.com/A");
        assertEquals(429, refused.statusCode());
        assertEquals("\"user\";r=0;t=" + TestApi.RATE_LIMIT_RESET_S, refused.headers().firstValue("RateLimit").orElseThrow());
        assertEquals("no-store", refused.headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    void eachAnswerIsRecordedInTheHistoryAsTheApiRecordsIt() throws Exception {
        same("GET", "/v1/resolve/example.com/A");
        dns.fail("alpha", Failure.UNREACHABLE, "port unreachable");
        dns.fail("beta", Failure.UNREACHABLE, "port unreachable");
        same("GET", "/v1/resolve/example.com/MX");
        assertTrue(api.recorder.awaitWritten(Duration.ofSeconds(10)));

        List<Lookup> lookups = api.lookups.all();
        assertEquals(8, lookups.size(), lookups.toString()); // two providers, two requests, both ways
        assertTrue(lookups.stream().allMatch(lookup -> lookup.user().equals(alice.id())));
        Map<Object, Long> byWhat = new TreeMap<>();
        lookups.forEach(lookup -> byWhat.merge(lookup.result().provider() + " " + lookup.result().type() + " "
                + lookup.result().status() + " " + lookup.result().outcome(), 1L, Long::sum));
        assertTrue(byWhat.values().stream().allMatch(count -> count == 2), "each one the fast path's and the API's: " + byWhat);
    }

    @Test
    void whatItMustNotTakeTheApiAnswers() throws Exception {
        // each: the request, and the status the API gives it
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        long before = api.fastPath.answered();
        assertEquals(401, api.send("GET", "/v1/resolve/example.com/A", null).statusCode());
        assertEquals(401, api.send("GET", "/v1/resolve/example.com/A", null, "Authorization", "Bearer nonsense").statusCode());
        String mayNotResolve = "Bearer " + api.tokens.issue(alice.id(), Set.of(), java.time.Instant.now()).token();
        assertEquals(403, api.send("GET", "/v1/resolve/example.com/A", null, "Authorization", mayNotResolve).statusCode());
        cases.put("GET /v1/resolve/a..b/A", 400);
        cases.put("GET /v1/resolve/example.com/BOGUS", 400);
        cases.put("GET /v1/resolve/b%C3%BCcher.example/A", 200); // an escape to decode: the API's
        cases.put("GET /v1/resolve/example.com", 200); // the overview
        cases.put("GET /v1/resolve/example.com/A/", 200); // Jersey matches a trailing slash
        cases.put("GET /v1/resolve//A", 404);
        cases.put("POST /v1/resolve/example.com/A", 405);
        for (var request : cases.entrySet()) {
            String[] parts = request.getKey().split(" ");
            assertEquals(request.getValue(), api.send(parts[0], parts[1], null, with()).statusCode(), request.getKey());
        }
        assertEquals(406, api.send("GET", "/v1/resolve/example.com/A", null, with("Accept", "text/html")).statusCode());
        assertEquals(200, api.send("GET", "/v1/resolve/example.com/A", null,
                with("Accept", "application/json;q=0.9, */*;q=0.1")).statusCode());
        assertEquals(200, api.send("GET", "/v1/resolve/example.com/A", null, with("Origin", "https://app.example")).statusCode());
        assertEquals(before, api.fastPath.answered(), "every one of them went to the API");
    }
}
