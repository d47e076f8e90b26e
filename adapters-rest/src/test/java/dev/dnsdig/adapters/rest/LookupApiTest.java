package dev.dnsdig.adapters.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import dev.dnsdig.application.fakes.Records;
import dev.dnsdig.application.fakes.ScriptedDnsResolver;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import dev.dnsdig.application.service.ReadinessService;
import dev.dnsdig.application.service.ResolutionService;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.user.Permission;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reverse, propagation and bulk lookups over real HTTP, on the real services and the scripted DNS port. */
class LookupApiTest {
    private static final List<DnsProvider> PROVIDERS = List.of(
            new DnsProvider("alpha", List.of(new UpstreamServer("192.0.2.1", 53))),
            new DnsProvider("beta", List.of(new UpstreamServer("192.0.2.2", 53))),
            new DnsProvider("gamma", List.of(new UpstreamServer("192.0.2.3", 53))));

    private final ScriptedDnsResolver dns = new ScriptedDnsResolver();
    private final ResolutionService resolution = new ResolutionService(PROVIDERS, dns, Duration.ofMillis(400), Clock.systemUTC());
    private TestApi api = new TestApi(resolution, resolution, new ReadinessService(List.of()));
    private String bearer = api.bearer(api.user("alice"));

    @AfterEach
    void stop() {
        api.close();
        resolution.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return api.send("GET", path, null, "Authorization", bearer);
    }

    private HttpResponse<String> bulk(String body, String... headers) throws Exception {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Authorization";
        all[headers.length + 1] = bearer;
        return api.send("POST", "/v1/resolve/bulk", body, all);
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return TestApi.json(response);
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = TestApi.json(response);
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.hasNonNull("type") && body.hasNonNull("title") && body.hasNonNull("detail"), body::toString);
        assertFalse(response.body().contains("Exception"), response.body());
        return body;
    }

    private static ResourceRecord ptr(String owner, String target) {
        return new ResourceRecord(owner, "PTR", 3600, target, new RecordData.Ptr(target));
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    // ---- reverse ----

    @Test
    void reverseOfAnIpv4AddressAsksEveryProviderForThePtrOfItsInAddrArpaName() throws Exception {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, ptr("1.2.0.192.in-addr.arpa.", "Host.Example."));
        HttpResponse<String> response = get("/v1/reverse/192.0.2.1");
        JsonNode body = ok(response);
        assertEquals("192.0.2.1", body.get("ip").asText());
        assertEquals("1.2.0.192.in-addr.arpa.", body.get("reverseName").asText());
        assertEquals(List.of("host.example."), texts(body.get("names")));
        assertEquals("PTR", body.get("resolution").get("type").asText());
        assertEquals(3, body.get("resolution").get("summary").get("answered").asInt());
        assertEquals("private, max-age=3600", response.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(dns.queries().stream().allMatch(q -> q.type() == RecordType.PTR
                && q.name().fqdn().equals("1.2.0.192.in-addr.arpa.")), dns.queries()::toString);
    }

    @Test
    void reverseOfIpv6InAnyFormIsTheNibbleNameAndAMappedAddressIsItsIpv4() throws Exception {
        JsonNode compressed = ok(get("/v1/reverse/2001:DB8::1"));
        assertEquals("2001:db8::1", compressed.get("ip").asText());
        assertEquals("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
                compressed.get("reverseName").asText());
        assertEquals(compressed.get("reverseName"), ok(get("/v1/reverse/2001:db8:0:0:0:0:0:1")).get("reverseName"));
        assertEquals(List.of(), texts(compressed.get("names")), "NODATA: no host names");
        JsonNode mapped = ok(get("/v1/reverse/::ffff:192.0.2.1"));
        assertEquals("192.0.2.1", mapped.get("ip").asText());
        assertEquals("1.2.0.192.in-addr.arpa.", mapped.get("reverseName").asText());
    }

    @Test
    void aBadAddressIsA400NamingTheRule() throws Exception {
        for (String bad : List.of("192.0.2.256", "example.com", "2001:db8::1::2", "1.2.3")) {
            JsonNode problem = problem(get("/v1/reverse/" + bad), 400);
            assertEquals("urn:dnsdig:problem:invalid-value", problem.get("type").asText());
            assertEquals("ip", problem.get("field").asText());
            assertTrue(problem.get("detail").asText().contains(bad), problem.toString());
        }
        assertEquals(List.of(), dns.queries(), "nothing asked");
    }

    @Test
    void reverseAndPropagationNeedAUserWithReadResolver() throws Exception {
        for (String path : List.of("/v1/reverse/192.0.2.1", "/v1/propagation/example.com/A")) {
            problem(api.send("GET", path, null), 401);
            String todosOnly = "Bearer " + api.tokens.issue(api.user("bob" + path.length()).id(),
                    Set.of(Permission.READ_TODOS), Instant.now()).token();
            assertEquals("read:resolver", problem(api.send("GET", path, null, "Authorization", todosOnly), 403)
                    .get("missingPermission").asText());
        }
        problem(api.send("POST", "/v1/resolve/bulk", "{\"queries\":[]}"), 401);
    }

    @Test
    void whenNobodyAnswersTheLookupsFailLikeResolve() throws Exception {
        dns.fail(ScriptedDnsResolver.ANY_PROVIDER, Failure.UNREACHABLE, "port unreachable");
        JsonNode failed = problem(get("/v1/reverse/192.0.2.1"), 502);
        assertEquals("urn:dnsdig:problem:upstream-failed", failed.get("type").asText());
        dns.reset().fail(ScriptedDnsResolver.ANY_PROVIDER, Failure.TIMEOUT, "no answer");
        HttpResponse<String> timedOut = get("/v1/propagation/example.com/A?expect=192.0.2.10");
        problem(timedOut, 504);
        assertEquals("no-store", timedOut.headers().firstValue("Cache-Control").orElse(""));
    }

    // ---- propagation ----

    @Test
    void propagationSaysWhichProvidersMatchTheExpectation() throws Exception {
        dns.answer("alpha", DnsStatus.NOERROR, Records.a("example.com.", 300, "192.0.2.10"));
        dns.answer("beta", DnsStatus.NOERROR, Records.a("example.com.", 60, "192.0.2.99"));
        dns.fail("gamma", Failure.TIMEOUT, "no answer");
        HttpResponse<String> response = get("/v1/propagation/Example.com/a?expect=192.0.2.10");
        JsonNode body = ok(response);
        assertEquals("example.com.", body.get("name").asText());
        assertEquals("A", body.get("type").asText());
        assertEquals(List.of("192.0.2.10"), texts(body.get("expected")));
        assertEquals(List.of("alpha"), texts(body.get("matching")));
        assertEquals(List.of("beta"), texts(body.get("notMatching")));
        assertEquals(List.of("gamma"), texts(body.get("failed")));
        assertFalse(body.get("propagated").asBoolean());
        assertFalse(body.get("agree").asBoolean());
        assertEquals(3, body.get("resolution").get("providers").size(), "the resolution as /v1/resolve shows it");
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""), "a provider failed");
    }

    @Test
    void expectValuesRepeatOrSeparateByCommasAndCompareInCanonicalForm() throws Exception {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, Records.aaaa("example.com.", 300, "2001:db8::1"),
                Records.aaaa("example.com.", 300, "2001:db8::2"));
        JsonNode body = ok(get("/v1/propagation/example.com/AAAA?expect=2001:DB8:0:0:0:0:0:1,2001:db8::2"));
        assertTrue(body.get("propagated").asBoolean(), body.toString());
        assertEquals(List.of("alpha", "beta", "gamma"), texts(body.get("matching")));
        assertEquals(body.get("matching"), ok(get("/v1/propagation/example.com/AAAA?expect=2001:db8::2&expect=2001:db8::1"))
                .get("matching"));
        assertEquals(List.of(), texts(ok(get("/v1/propagation/example.com/AAAA?expect=2001:db8::1")).get("matching")),
                "one record short matches nobody");
        dns.reset().answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR,
                Records.cname("www.example.com.", 300, "Target.Example.NET."));
        assertTrue(ok(get("/v1/propagation/www.example.com/CNAME?expect=target.example.net")).get("propagated").asBoolean());
        dns.reset().answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR,
                Records.txt("example.com.", 300, "v=spf1 ", "a, mx -all"));
        assertTrue(ok(get("/v1/propagation/example.com/TXT?expect=v%3Dspf1%20a,%20mx%20-all")).get("propagated")
                .asBoolean(), "TXT: the joined text, commas and all");
    }

    @Test
    void withoutExpectPropagationIsAgreementOnly() throws Exception {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, Records.a("example.com.", 300, "192.0.2.10"));
        JsonNode body = ok(get("/v1/propagation/example.com/A"));
        assertTrue(body.get("agree").asBoolean());
        assertEquals(List.of(), texts(body.get("failed")));
        for (String absent : List.of("expected", "matching", "notMatching", "propagated")) {
            assertFalse(body.has(absent), absent + " without expect: " + body);
        }
    }

    @Test
    void aBadExpectationNameOrTypeIs400() throws Exception {
        JsonNode expect = problem(get("/v1/propagation/example.com/A?expect=2001:db8::1"), 400);
        assertEquals("expect", expect.get("field").asText());
        assertTrue(expect.get("detail").asText().contains("IPv4"), expect.toString());
        assertEquals("urn:dnsdig:problem:invalid-type", problem(get("/v1/propagation/example.com/BOGUS?expect=x"), 400)
                .get("type").asText());
        assertEquals("urn:dnsdig:problem:invalid-name", problem(get("/v1/propagation/a..b/A"), 400).get("type").asText());
        assertEquals(List.of(), dns.queries());
    }

    // ---- bulk ----

    @Test
    void bulkAnswersOneResultPerQuestionInOrderWithBrokenQuestionsAsProblems() throws Exception {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, RecordType.A, DnsStatus.NOERROR, Records.a("example.com.", 300, "192.0.2.10"));
        HttpResponse<String> response = bulk("""
                {"queries": [{"name": "example.com", "type": "A"}, {"name": "bad..name", "type": "A"},
                             {"name": "example.com", "type": "NOPE"}, {"type": "MX"}, {"name": "example.org", "type": "mx"}]}""");
        JsonNode body = ok(response);
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(5, body.get("count").asInt());
        assertEquals(2, body.get("resolved").asInt());
        assertEquals(3, body.get("rejected").asInt());
        assertEquals(4, body.get("ipVersion").asInt());
        JsonNode results = body.get("results");
        assertEquals(List.of(0, 1, 2, 3, 4), IntStream.range(0, 5).mapToObj(i -> results.get(i).get("index").asInt()).toList());
        assertEquals("192.0.2.10", results.get(0).get("resolution").get("providers").get(0).get("answers").get(0)
                .get("data").asText());
        assertFalse(results.get(0).has("problem"));
        JsonNode badName = results.get(1).get("problem");
        assertEquals("urn:dnsdig:problem:invalid-name", badName.get("type").asText());
        assertEquals(400, badName.get("status").asInt());
        assertFalse(results.get(1).has("resolution"));
        assertEquals("urn:dnsdig:problem:invalid-type", results.get(2).get("problem").get("type").asText());
        assertEquals("", results.get(3).get("name").asText(), "a missing name is an empty one");
        assertEquals("urn:dnsdig:problem:invalid-name", results.get(3).get("problem").get("type").asText());
        assertEquals("MX", results.get(4).get("resolution").get("type").asText());
        assertEquals(6, dns.queries().size(), "two valid questions, three providers each");
    }

    @Test
    void aHundredQuestionsAreAnsweredAndAHundredAndOneAre422() throws Exception {
        String hundred = IntStream.range(0, 100).mapToObj(i -> "{\"name\":\"host" + i + ".example.com\",\"type\":\"A\"}")
                .collect(Collectors.joining(",", "{\"queries\":[", "]}"));
        JsonNode body = ok(bulk(hundred));
        assertEquals(100, body.get("resolved").asInt());
        assertEquals("host99.example.com.", body.get("results").get(99).get("resolution").get("name").asText());
        JsonNode tooMany = problem(bulk(hundred.replace("]}", ",{\"name\":\"x.example\",\"type\":\"A\"}]}")), 422);
        assertEquals("urn:dnsdig:problem:validation", tooMany.get("type").asText());
        assertEquals("queries", tooMany.get("errors").get(0).get("field").asText());
        assertEquals(100, tooMany.get("maxQueries").asInt());
        assertEquals(300, dns.queries().size(), "the refused batch asked nothing");
    }

    @Test
    void aBodyThatIsNoBatchIsRefusedWhole() throws Exception {
        assertEquals("urn:dnsdig:problem:malformed-json", problem(bulk("{\"queries\": [{\"name\": \"a.example\" \"type\": \"A\"}]}"), 400).get("type").asText());
        assertEquals("queries", problem(bulk("{\"queries\": []}"), 422).get("errors").get(0).get("field").asText());
        assertEquals("queries", problem(bulk("{}"), 422).get("errors").get(0).get("field").asText());
        problem(bulk("{\"queries\": \"example.com\"}"), 422);
        problem(bulk("{\"queries\": [{\"name\": \"a.example\", \"type\": \"A\", \"class\": \"IN\"}]}"), 422);
        assertEquals("ipVersion", problem(bulk("{\"queries\": [{\"name\": \"a.example\", \"type\": \"A\"}], \"ipVersion\": 5}"),
                422).get("errors").get(0).get("field").asText());
        problem(bulk("{\"queries\": [{\"name\": \"" + "a".repeat(70 * 1024) + "\", \"type\": \"A\"}]}"), 413);
        problem(bulk("queries=a", "Content-Type", "text/plain"), 415);
        assertEquals(List.of(), dns.queries());
        // only POST is the batch: a GET is still the overview of the name "bulk"
        assertEquals("bulk.", ok(get("/v1/resolve/bulk")).get("name").asText());
    }

    @Test
    void eachQuestionOfABatchCountsAgainstTheUsersRateLimit() throws Exception {
        api.close();
        api = TestApi.withScriptedDns(new RateLimits(Optional.empty(),
                Optional.of(new Policy("user", 10, Duration.ofMinutes(1))), Optional.empty(),
                dev.dnsdig.adapters.rest.ratelimit.TrustedProxies.none()));
        bearer = api.bearer(api.user("carol"));
        String four = IntStream.range(0, 4).mapToObj(i -> "{\"name\":\"h" + i + ".example\",\"type\":\"A\"}")
                .collect(Collectors.joining(",", "{\"queries\":[", "]}"));
        HttpResponse<String> first = bulk(four);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("\"user\";r=6;t=" + TestApi.RATE_LIMIT_RESET_S, first.headers().firstValue("RateLimit").orElse(""),
                "four questions, four requests, one policy in the header");
        assertEquals(200, get("/v1/resolve/example.com/A").statusCode());
        assertEquals(200, bulk(four).statusCode(), "nine of ten");
        JsonNode refused = problem(bulk(four.replace("h0", "x0")), 429);
        assertEquals(List.of("user"), texts(refused.get("violated-policies")));
    }
}
