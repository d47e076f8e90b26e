package dev.dnsdig.adapters.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.application.fakes.Records;
import dev.dnsdig.application.fakes.ScriptedDnsResolver;
import dev.dnsdig.application.port.in.CheckReadiness;
import dev.dnsdig.application.port.in.ResolveOverview;
import dev.dnsdig.application.port.in.ResolveRecords;
import dev.dnsdig.application.port.out.DependencyProbe;
import dev.dnsdig.application.service.ReadinessService;
import dev.dnsdig.application.service.ResolutionService;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API over real HTTP on an ephemeral port, with the real use cases and a scripted DNS port. */
class RestApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<DnsProvider> PROVIDERS = List.of(
            new DnsProvider("alpha", List.of(new UpstreamServer("192.0.2.1", 53), new UpstreamServer("2001:db8::1", 53))),
            new DnsProvider("beta", List.of(new UpstreamServer("192.0.2.2", 53))));

    private final ScriptedDnsResolver dns = new ScriptedDnsResolver();
    private final AtomicBoolean dependencyUp = new AtomicBoolean(true);
    private ResolutionService resolution;
    private TestApi api;
    private String bearer;

    @BeforeEach
    void start() {
        resolution = new ResolutionService(PROVIDERS, dns, Duration.ofMillis(400), Clock.systemUTC());
        DependencyProbe probe = () -> new DependencyProbe.Report("fake", dependencyUp.get(), Map.of("state", "scripted"));
        startWith(resolution, resolution, new ReadinessService(List.of(probe)));
    }

    private void startWith(ResolveRecords records, ResolveOverview overview, CheckReadiness readiness) {
        if (api != null) {
            api.close();
        }
        api = new TestApi(records, overview, readiness);
        bearer = api.bearer(api.user("alice"));
    }

    @AfterEach
    void stop() {
        api.close();
        resolution.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    /** Every request of this class is made by a user with the default permissions. */
    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Authorization";
        all[headers.length + 1] = bearer;
        return api.send(method, path, null, all);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = json(response);
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.hasNonNull("type") && body.hasNonNull("title") && body.hasNonNull("detail"), body::toString);
        assertEquals(response.headers().firstValue("X-Request-Id").orElseThrow(), body.get("requestId").asText());
        assertFalse(response.body().contains("Exception"), response.body());
        assertFalse(response.body().contains("at dev.dnsdig"), response.body());
        return body;
    }

    @Test
    void resolveReturnsEveryProviderWithTypedRecordsAndASummary() throws Exception {
        dns.answer("alpha", DnsStatus.NOERROR, Records.mx("example.com.", 300, 10, "mail.example.com."));
        dns.answer("beta", DnsStatus.NOERROR, Records.mx("example.com.", 120, 10, "mail.example.com."));
        HttpResponse<String> response = get("/v1/resolve/Example.COM/mx");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("private, max-age=120", response.headers().firstValue("Cache-Control").orElse(""),
                "the smallest TTL over both providers, for the signed-in user's browser only");
        JsonNode body = json(response);
        assertEquals(List.of("name", "unicodeName", "type", "ipVersion", "elapsedMs", "summary", "providers"),
                iterate(body.fieldNames()), "the resolution it shows stays out of the body");
        assertEquals("example.com.", body.get("name").asText());
        assertEquals("MX", body.get("type").asText());
        assertEquals(4, body.get("ipVersion").asInt());
        assertEquals(2, body.get("summary").get("answered").asInt());
        assertTrue(body.get("summary").get("agree").asBoolean(), "TTLs differ, records do not");
        JsonNode alpha = body.get("providers").get(0);
        assertEquals("alpha", alpha.get("provider").asText());
        assertEquals("answered", alpha.get("outcome").asText());
        assertEquals("NOERROR", alpha.get("status").asText());
        assertEquals("192.0.2.1", alpha.get("server").asText());
        assertEquals("udp", alpha.get("transport").asText());
        assertTrue(alpha.get("flags").get("rd").asBoolean());
        JsonNode mx = alpha.get("answers").get(0);
        assertEquals("10 mail.example.com.", mx.get("data").asText());
        assertEquals(10, mx.get("rdata").get("preference").asInt());
        assertEquals("mail.example.com.", mx.get("rdata").get("exchange").asText());
        assertFalse(alpha.has("error"), "no null fields in answers");
        assertFalse(alpha.get("cached").asBoolean(), "straight from upstream");
    }

    private String cacheControl(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Control").orElse("(none)");
    }

    @Test
    void negativeAnswersMayBeKeptForTheirNegativeTtlAndFailuresNotAtAll() throws Exception {
        ResourceRecord soa = Records.soa("example.com.", 3600, "ns.example.com.", "hostmaster.example.com.", 1, 7200, 3600,
                1209600, 45);
        dns.answer("alpha", DnsStatus.NXDOMAIN, List.of(), List.of(soa));
        dns.answer("beta", DnsStatus.NXDOMAIN, List.of(), List.of(soa));
        assertEquals("private, max-age=45", cacheControl(get("/v1/resolve/nope.example.com/A")), "RFC 2308: the SOA minimum");

        dns.answer("beta", DnsStatus.NXDOMAIN);
        assertEquals("no-store", cacheControl(get("/v1/resolve/nope.example.com/A")), "no SOA: not to be kept");
        dns.answer("beta", DnsStatus.SERVFAIL);
        assertEquals("no-store", cacheControl(get("/v1/resolve/nope.example.com/A")));
        dns.answer("beta", DnsStatus.NOERROR, Records.a("example.com.", 0, "192.0.2.1"));
        assertEquals("no-store", cacheControl(get("/v1/resolve/example.com/A")), "TTL 0");
        dns.fail("beta", Failure.TIMEOUT, "192.0.2.2: no answer");
        HttpResponse<String> partial = get("/v1/resolve/nope.example.com/A");
        assertEquals(200, partial.statusCode());
        assertEquals("no-store", cacheControl(partial), "one provider failed: of the moment");
        assertFalse(json(partial).get("providers").get(1).has("cached"), "failures have no cached flag");

        dns.fail("alpha", Failure.TIMEOUT, "192.0.2.1: no answer");
        HttpResponse<String> failed = api.send("GET", "/v1/freesolve/example.com/A", null);
        assertEquals(504, failed.statusCode());
        assertEquals("no-store", cacheControl(failed), "an anonymous failure too");
    }

    @Test
    void theOverviewMayBeKeptForItsSmallestTtlOverEveryType() throws Exception {
        dns.answer("alpha", DnsStatus.NOERROR, Records.a("example.com.", 600, "192.0.2.10"));
        dns.answer("beta", DnsStatus.NOERROR, Records.a("example.com.", 500, "192.0.2.10"));
        dns.answer("beta", RecordType.TXT, DnsStatus.NOERROR, Records.txt("example.com.", 30, "v=spf1 -all"));
        assertEquals("private, max-age=30", cacheControl(get("/v1/resolve/example.com")));
    }

    @Test
    void anonymousAnswersMayBeSharedAndOnesWithCredentialsNot() throws Exception {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, Records.a("example.com.", 300, "192.0.2.10"));
        assertEquals("max-age=300", cacheControl(api.send("GET", "/v1/freesolve/example.com/A", null)));
        assertEquals("private, max-age=300", cacheControl(api.send("GET", "/v1/freesolve/example.com/A", null,
                "Authorization", bearer)));
    }

    @Test
    void providersThatDisagreeAreGroupedAndAFailedProviderShowsWhy() throws Exception {
        dns.answer("alpha", DnsStatus.NOERROR, Records.a("example.com.", 60, "192.0.2.10"));
        dns.fail("beta", Failure.UNREACHABLE, "192.0.2.2: port unreachable");
        JsonNode body = json(get("/v1/resolve/example.com/A"));
        assertEquals(1, body.get("summary").get("failed").asInt());
        JsonNode beta = body.get("providers").get(1);
        assertEquals("failed", beta.get("outcome").asText());
        assertEquals("unreachable", beta.get("failure").asText());
        assertEquals("192.0.2.2: port unreachable", beta.get("error").asText());
        assertEquals("192.0.2.2", beta.get("serversTried").get(0).asText());

        dns.answer("beta", DnsStatus.NOERROR, Records.a("example.com.", 60, "192.0.2.99"));
        body = json(get("/v1/resolve/example.com/A"));
        assertFalse(body.get("summary").get("agree").asBoolean());
        assertEquals(2, body.get("summary").get("answerSets").size());
    }

    @Test
    void nxdomainAndNodataAreAnswersNotErrors() throws Exception {
        dns.answer("alpha", DnsStatus.NXDOMAIN);
        dns.answer("beta", DnsStatus.NXDOMAIN);
        HttpResponse<String> response = get("/v1/resolve/nope.example.com/A");
        assertEquals(200, response.statusCode());
        assertEquals("NXDOMAIN", json(response).get("providers").get(0).get("status").asText());
        dns.answer("alpha", DnsStatus.NOERROR);
        assertEquals(0, json(get("/v1/resolve/example.com/A")).get("providers").get(0).get("answers").size());
    }

    @Test
    void resolve6AsksOnlyIpv6Servers() throws Exception {
        dns.answer("alpha", DnsStatus.NOERROR, Records.aaaa("example.com.", 60, "2001:db8::5"));
        HttpResponse<String> response = get("/v1/resolve6/example.com/AAAA");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals(6, body.get("ipVersion").asInt());
        assertEquals(1, body.get("providers").size(), "beta has no IPv6 server");
        assertEquals("[2001:db8::1]", body.get("providers").get(0).get("server").asText());
        assertEquals(List.of(new UpstreamServer("2001:db8::1", 53)), dns.queries("alpha").get(0).servers());
    }

    @Test
    void overviewHasTheFiveEverydayTypes() throws Exception {
        dns.answer("alpha", DnsStatus.NOERROR, Records.a("example.com.", 60, "192.0.2.10"));
        dns.answer("beta", DnsStatus.NOERROR, Records.a("example.com.", 60, "192.0.2.10"));
        HttpResponse<String> response = get("/v1/resolve/example.com");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode types = json(response).get("types");
        assertEquals(List.of("A", "AAAA", "MX", "TXT", "SOA"), iterate(types.fieldNames()));
        assertEquals("TXT", types.get("TXT").get("type").asText());
        assertEquals(6, json(get("/v1/resolve6/example.com")).get("ipVersion").asInt());
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void internationalizedNamesAreResolvedInPunycode() throws Exception {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR);
        JsonNode body = json(get("/v1/resolve/b%C3%BCcher.example/A"));
        assertEquals("xn--bcher-kva.example.", body.get("name").asText());
        assertEquals("bücher.example.", body.get("unicodeName").asText());
        assertEquals("xn--bcher-kva.example", dns.queries("alpha").get(0).name().ascii());
    }

    @Test
    void anInvalidNameIs400NamingTheRule() throws Exception {
        JsonNode body = problem(get("/v1/resolve/" + "a".repeat(64) + ".com/A"), 400);
        assertEquals("urn:dnsdig:problem:invalid-name", body.get("type").asText());
        assertTrue(body.get("detail").asText().contains("at most 63"), body.toString());
        assertTrue(problem(get("/v1/resolve/a..b/A"), 400).get("detail").asText().contains("empty label"));
        assertTrue(problem(get("/v1/resolve/bad!name.com/A"), 400).get("detail").asText().contains("illegal character"));
        assertTrue(dns.queries().isEmpty(), "nothing is sent upstream for bad input");
    }

    @Test
    void anUnknownTypeIs400ListingTheValidOnes() throws Exception {
        JsonNode body = problem(get("/v1/resolve/example.com/BOGUS"), 400);
        assertEquals("urn:dnsdig:problem:invalid-type", body.get("type").asText());
        assertEquals(RecordType.names().size(), body.get("validTypes").size());
        assertTrue(body.get("detail").asText().contains("HTTPS"));
        assertEquals("/v1/resolve/example.com/BOGUS", body.get("instance").asText());
    }

    @Test
    void allProvidersTimingOutIs504WithTheDetails() throws Exception {
        dns.hang(ScriptedDnsResolver.ANY_PROVIDER);
        JsonNode body = problem(get("/v1/resolve/example.com/A"), 504);
        assertEquals("urn:dnsdig:problem:upstream-timeout", body.get("type").asText());
        assertEquals("timeout", body.get("resolution").get("providers").get(0).get("failure").asText());
    }

    @Test
    void allProvidersFailingIs502() throws Exception {
        dns.fail("alpha", Failure.UNREACHABLE, "port unreachable");
        dns.hang("beta");
        assertEquals("urn:dnsdig:problem:upstream-failed", problem(get("/v1/resolve/example.com/A"), 502).get("type").asText());
        assertEquals(502, get("/v1/resolve/example.com").statusCode(), "the overview too, when no type got an answer");
    }

    @Test
    void noProviderForTheFamilyIs503() throws Exception {
        List<DnsProvider> v4only = List.of(new DnsProvider("beta", List.of(new UpstreamServer("192.0.2.2", 53))));
        try (ResolutionService service = new ResolutionService(v4only, dns, Duration.ofMillis(400), Clock.systemUTC())) {
            startWith(service, service, new ReadinessService(List.of()));
            assertEquals("urn:dnsdig:problem:no-providers", problem(get("/v1/resolve6/example.com/A"), 503).get("type").asText());
        }
    }

    @Test
    void anUnexpectedFailureIs500WithoutInternals() throws Exception {
        ResolveRecords broken = query -> {
            throw new IllegalStateException("secret internal detail");
        };
        startWith(broken, resolution, new ReadinessService(List.of()));
        HttpResponse<String> response = get("/v1/resolve/example.com/A");
        JsonNode body = problem(response, 500);
        assertFalse(response.body().contains("secret"), response.body());
        assertEquals("about:blank", body.get("type").asText());
    }

    @Test
    void unknownPathsAndMethodsAreProblems() throws Exception {
        assertEquals("Not Found", problem(get("/v2/nothing"), 404).get("title").asText());
        HttpResponse<String> post = send("POST", "/v1/resolve/example.com/A");
        problem(post, 405);
        assertTrue(post.headers().firstValue("Allow").orElse("").contains("GET"), post.headers().toString());
        problem(get("/v1/resolve/example.com/A", "Accept", "text/html"), 406);
    }

    @Test
    void headWorksWhereGetDoes() throws Exception {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR);
        HttpResponse<String> head = send("HEAD", "/v1/resolve/example.com/A");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(200, send("HEAD", "/health/live").statusCode());
        assertEquals(400, send("HEAD", "/v1/resolve/example.com/BOGUS").statusCode());
    }

    @Test
    void requestIdsAreEchoedOrGenerated() throws Exception {
        assertEquals("abc-123", get("/health/live", "X-Request-Id", "abc-123").headers().firstValue("X-Request-Id").orElseThrow());
        String generated = get("/health/live").headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(generated.matches("[0-9a-f]{24}"), generated);
        String replaced = get("/health/live", "X-Request-Id", "bad id <script>").headers().firstValue("X-Request-Id").orElseThrow();
        assertNotEquals("bad id <script>", replaced);
        assertEquals("trace-404", problem(get("/missing", "X-Request-Id", "trace-404"), 404).get("requestId").asText());
    }

    @Test
    void liveAndReadyReportHealth() throws Exception {
        HttpResponse<String> live = get("/health/live");
        assertEquals(200, live.statusCode());
        assertEquals("UP", json(live).get("status").asText());
        HttpResponse<String> ready = get("/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("UP", json(ready).get("checks").get("fake").get("status").asText());
        dependencyUp.set(false);
        JsonNode down = problem(get("/health/ready"), 503);
        assertEquals("DOWN", down.get("checks").get("fake").get("status").asText());
        assertEquals("scripted", down.get("checks").get("fake").get("details").get("state").asText());
    }

    @Test
    void freesolveNeedsNoTokenAndResolveDoes() throws Exception {
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR, Records.a("example.com.", 60, "192.0.2.10"));
        HttpResponse<String> free = api.send("GET", "/v1/freesolve/example.com/A", null);
        assertEquals(200, free.statusCode(), free.body());
        assertEquals("192.0.2.10", json(free).get("providers").get(0).get("answers").get(0).get("data").asText());
        HttpResponse<String> anonymous = api.send("GET", "/v1/resolve/example.com/A", null);
        problem(anonymous, 401);
        assertEquals("Bearer realm=\"dnsdig\"", anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        problem(api.send("GET", "/v1/freesolve/example.com/NOPE", null), 400);
    }
}
