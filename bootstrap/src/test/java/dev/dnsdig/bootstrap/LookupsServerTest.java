package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reverse, propagation and bulk lookups end to end: the wired server over real HTTP, two providers on the real Knot
 * and a third that relays to it but still has an old address for every A record.
 */
class LookupsServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static KnotServer knot;
    private static FaultyDnsServer stale;
    private static DnsDigServer server;
    private static String bearer;

    @BeforeAll
    static void start() throws Exception {
        knot = KnotServer.start();
        stale = FaultyDnsServer.stale("127.0.0.1", knot.ipv4(), "192.0.2.99");
        server = DnsDigServer.start(Config.from(Map.of("DNSDIG_HTTP_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot") + ";again=127.0.0.1:" + knot.port()
                        + ";stale=127.0.0.1:" + stale.server().port(),
                "DNSDIG_DNS_TIMEOUT_MS", "1000", "DNSDIG_DNS_DEADLINE_MS", "3000",
                "DNSDIG_DATA_DIR", java.nio.file.Files.createTempDirectory("dnsdig-lookups-test").toString())));
        send("POST", "/v1/users", "{\"email\":\"lookups@example.com\",\"username\":\"lookups\",\"password\":\"Secret123\"}");
        HttpResponse<String> login = send("POST", "/v1/auth/login", "{\"email\":\"lookups@example.com\",\"password\":\"Secret123\"}");
        assertEquals(200, login.statusCode(), login.body());
        bearer = "Bearer " + JSON.readTree(login.body()).get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
        stale.close();
        knot.close();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return HTTP11.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void reverseOfAnIpv4AddressFindsThePtrInKnotsInAddrArpaZone() throws Exception {
        JsonNode body = ok(send("GET", "/v1/reverse/192.0.2.25", null));
        assertEquals("25.2.0.192.in-addr.arpa.", body.get("reverseName").asText());
        assertEquals(List.of("mail.dnsdig.test."), texts(body.get("names")));
        assertTrue(body.get("resolution").get("summary").get("agree").asBoolean(), body.toString());
        assertEquals(3, body.get("resolution").get("summary").get("answered").asInt());
        // an IPv4-mapped address is its IPv4 host
        assertEquals(List.of("mapped.dnsdig.test."), texts(ok(send("GET", "/v1/reverse/::ffff:192.0.2.1", null)).get("names")));
    }

    @Test
    void reverseOfAnIpv6AddressFindsThePtrInKnotsIp6ArpaZone() throws Exception {
        JsonNode body = ok(send("GET", "/v1/reverse/2001:DB8:0:0:0:0:0:10", null));
        assertEquals("2001:db8::10", body.get("ip").asText());
        assertTrue(body.get("reverseName").asText().endsWith(".8.b.d.0.1.0.0.2.ip6.arpa."), body.toString());
        assertEquals(List.of("www.dnsdig.test."), texts(body.get("names")));
        JsonNode absent = ok(send("GET", "/v1/reverse/2001:db8::99", null));
        assertEquals(List.of(), texts(absent.get("names")));
        assertEquals("NXDOMAIN", absent.get("resolution").get("providers").get(0).get("status").asText());
        assertEquals(400, send("GET", "/v1/reverse/2001:db8::1::2", null).statusCode());
    }

    @Test
    void propagationTellsTheProvidersWithTheNewAddressFromTheOneWithTheOld() throws Exception {
        JsonNode body = ok(send("GET", "/v1/propagation/WWW.dnsdig.test./A?expect=192.0.2.11,192.0.2.10", null));
        assertEquals(List.of("knot", "again"), texts(body.get("matching")));
        assertEquals(List.of("stale"), texts(body.get("notMatching")));
        assertEquals(List.of(), texts(body.get("failed")));
        assertFalse(body.get("propagated").asBoolean());
        assertFalse(body.get("agree").asBoolean());
        // no A record involved: the relay passes Knot's answer on, and all three agree
        JsonNode aaaa = ok(send("GET", "/v1/propagation/www.dnsdig.test/AAAA?expect=2001:db8:0::10", null));
        assertTrue(aaaa.get("propagated").asBoolean(), aaaa.toString());
        assertEquals(List.of("knot", "again", "stale"), texts(aaaa.get("matching")));
        assertTrue(ok(send("GET", "/v1/propagation/spf.dnsdig.test/TXT", null)).get("agree").asBoolean());
    }

    @Test
    void aBulkOfAHundredQuestionsWithSomeBrokenOnesIsAnsweredInOrder() throws Exception {
        String[] names = {"www.dnsdig.test", "mail.dnsdig.test", "dnsdig.test", "spf.dnsdig.test", "nothing.dnsdig.test"};
        String[] types = {"AAAA", "A", "MX", "TXT", "A"};
        String queries = IntStream.range(0, 100).mapToObj(i -> i % 25 == 7
                        ? "{\"name\":\"bad..name\",\"type\":\"A\"}"
                        : i % 25 == 8 ? "{\"name\":\"dnsdig.test\",\"type\":\"NOPE\"}"
                        : "{\"name\":\"" + names[i % 5] + "\",\"type\":\"" + types[i % 5] + "\"}")
                .collect(Collectors.joining(",", "{\"queries\":[", "]}"));
        JsonNode body = ok(send("POST", "/v1/resolve/bulk", queries));
        assertEquals(100, body.get("count").asInt());
        assertEquals(8, body.get("rejected").asInt());
        assertEquals(92, body.get("resolved").asInt());
        JsonNode results = body.get("results");
        for (int i = 0; i < 100; i++) {
            JsonNode item = results.get(i);
            assertEquals(i, item.get("index").asInt());
            if (i % 25 == 7 || i % 25 == 8) {
                assertEquals(i % 25 == 7 ? "urn:dnsdig:problem:invalid-name" : "urn:dnsdig:problem:invalid-type",
                        item.get("problem").get("type").asText(), item.toString());
                continue;
            }
            JsonNode resolution = item.get("resolution");
            assertEquals(names[i % 5] + ".", resolution.get("name").asText());
            assertEquals(3, resolution.get("summary").get("answered").asInt(), item.toString());
        }
        assertEquals("NXDOMAIN", results.get(4).get("resolution").get("providers").get(0).get("status").asText());
        assertEquals(422, send("POST", "/v1/resolve/bulk", queries.replace("]}", ",{\"name\":\"a.test\",\"type\":\"A\"}]}"))
                .statusCode());
    }
}
