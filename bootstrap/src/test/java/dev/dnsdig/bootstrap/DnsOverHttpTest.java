package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Base64;
import java.util.Map;
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
 * RFC 8484 {@code /dns-query} and the Google-compatible {@code /resolve} of the wired server, with real DNS messages
 * against Knot on loopback; the first provider never answers, so every answer also shows the failover.
 */
class DnsOverHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static KnotServer knot;
    private static FaultyDnsServer silent;
    private static DnsDigServer server;

    @BeforeAll
    static void start() throws Exception {
        knot = KnotServer.start();
        silent = FaultyDnsServer.silent("127.0.0.1");
        server = DnsDigServer.start(Config.from(Map.of("DNSDIG_HTTP_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", "dead=" + silent.server() + ";" + knot.providerSpec("knot"),
                "DNSDIG_DNS_TIMEOUT_MS", "300", "DNSDIG_DNS_DEADLINE_MS", "3000",
                "DNSDIG_RATELIMIT_ANONYMOUS", "off",
                "DNSDIG_DATA_DIR", java.nio.file.Files.createTempDirectory("dnsdig-doh-test").toString())));
    }

    @AfterAll
    static void stop() {
        server.close();
        silent.close();
        knot.close();
    }

    private static byte[] query(String name, int type) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.getHeader().setID(0); // RFC 8484 section 4.1
        return query.toWire();
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Accept", "application/dns-message, application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void dohGetAnswersWithKnotsMessageAndItsTtl() throws Exception {
        HttpResponse<byte[]> response = get("/dns-query?dns="
                + Base64.getUrlEncoder().withoutPadding().encodeToString(query("www.dnsdig.test.", Type.A)));
        assertEquals(200, response.statusCode());
        assertEquals("application/dns-message", response.headers().firstValue("Content-Type").orElse(""));
        Message answer = new Message(response.body());
        assertEquals(0, answer.getHeader().getID());
        assertEquals(Rcode.NOERROR, answer.getRcode());
        assertEquals(2, answer.getSection(Section.ANSWER).size());
        assertEquals("max-age=300", response.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void dohPostPassesNegativeAndTruncatedAnswersOnWhole() throws Exception {
        HttpResponse<byte[]> nx = post(query("nope.dnsdig.test.", Type.A));
        assertEquals(Rcode.NXDOMAIN, new Message(nx.body()).getRcode());
        // RFC 2308: the smaller of the SOA's TTL (300) and its minimum (60)
        assertEquals("max-age=60", nx.headers().firstValue("Cache-Control").orElse(""));
        Message big = new Message(post(query("big.dnsdig.test.", Type.TXT)).body());
        assertEquals(40, big.getSection(Section.ANSWER).size(), "fetched over TCP after the truncated UDP answer");
    }

    private static HttpResponse<byte[]> post(byte[] message) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/dns-query"))
                .header("Content-Type", "application/dns-message").header("Accept", "application/dns-message")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theJsonApiAnswersAsGoogleDoes() throws Exception {
        HttpResponse<byte[]> response = get("/resolve?name=www.dnsdig.test&type=A");
        assertEquals(200, response.statusCode(), new String(response.body()));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(0, body.get("Status").asInt());
        assertEquals("www.dnsdig.test.", body.get("Question").get(0).get("name").asText());
        assertEquals(1, body.get("Question").get(0).get("type").asInt());
        assertEquals(2, body.get("Answer").size());
        JsonNode first = body.get("Answer").get(0);
        assertEquals(1, first.get("type").asInt());
        assertEquals(300, first.get("TTL").asInt());
        assertTrue(first.get("data").asText().matches("192\\.0\\.2\\.1[01]"), first.toString());
        assertEquals("Response from 127.0.0.1.", body.get("Comment").asText());

        JsonNode txt = JSON.readTree(get("/resolve?name=multi.dnsdig.test&type=TXT").body());
        assertEquals("first string second string", txt.get("Answer").get(0).get("data").asText());
        JsonNode mx = JSON.readTree(get("/resolve?name=dnsdig.test&type=15").body());
        assertEquals(15, mx.get("Answer").get(0).get("type").asInt());
        JsonNode nx = JSON.readTree(get("/resolve?name=nope.dnsdig.test").body());
        assertEquals(3, nx.get("Status").asInt());
        assertEquals(6, nx.get("Authority").get(0).get("type").asInt());

        HttpResponse<byte[]> wire = get("/resolve?name=alias.dnsdig.test&type=A&ct=application/dns-message");
        Message chain = new Message(wire.body());
        assertEquals(Type.CNAME, chain.getSection(Section.ANSWER).get(0).getType(), "the CNAME chain comes along");
    }
}
