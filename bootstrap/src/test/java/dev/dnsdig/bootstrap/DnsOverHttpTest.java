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
 * against Knot on loopback; the first provider never answers, so every answer also shows the failover. DNSSEC: the
 * server trusts the real key of Knot's {@code signed.test} and, for {@code bogus.test}, a key Knot never made.
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
                "DNSDIG_DNSSEC_TRUST_ANCHORS", knot.trustAnchor("signed.test") + ";"
                        + knot.trustAnchor("signed.test").replaceFirst("^signed\\.test\\.", "bogus.test."),
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
        // the zone's 300 s; counted down if an earlier test of this class put the answer in the cache (a second
        // boundary can pass between them on a busy machine)
        int ttl = first.get("TTL").asInt();
        assertTrue(ttl <= 300 && ttl >= 290, "TTL " + ttl);
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

    @Test
    void theJsonApiShowsAdForSecureAndTheReasonForBogusAnswers() throws Exception {
        JsonNode secure = JSON.readTree(get("/resolve?name=www.signed.test&type=A&do=1").body());
        assertEquals(0, secure.get("Status").asInt());
        assertTrue(secure.get("AD").asBoolean(), secure.toString());
        assertEquals("192.0.2.100", secure.get("Answer").get(0).get("data").asText());
        assertEquals(46, secure.get("Answer").get(1).get("type").asInt(), "do=1 brings the RRSIG: " + secure);
        JsonNode withoutDo = JSON.readTree(get("/resolve?name=www.signed.test&type=A").body());
        assertTrue(withoutDo.get("AD").asBoolean(), "AD as Google shows it, DO or not");
        assertEquals(1, withoutDo.get("Answer").size(), "no signatures without do=1");

        HttpResponse<byte[]> bogusResponse = get("/resolve?name=www.bogus.test&type=A&do=1");
        assertEquals(200, bogusResponse.statusCode());
        assertEquals("no-store", bogusResponse.headers().firstValue("Cache-Control").orElse(""));
        JsonNode bogus = JSON.readTree(bogusResponse.body());
        assertEquals(2, bogus.get("Status").asInt());
        assertTrue(!bogus.get("AD").asBoolean() && bogus.get("Answer") == null, bogus.toString());
        assertTrue(bogus.get("Comment").asText().startsWith("DNSSEC validation failed: ")
                && bogus.get("Comment").asText().length() > "DNSSEC validation failed: ".length() + 10, bogus.toString());

        JsonNode unchecked = JSON.readTree(get("/resolve?name=www.bogus.test&type=A&do=1&cd=1").body());
        assertEquals(0, unchecked.get("Status").asInt());
        assertTrue(unchecked.get("CD").asBoolean() && !unchecked.get("AD").asBoolean(), unchecked.toString());
        assertEquals("192.0.2.200", unchecked.get("Answer").get(0).get("data").asText());

        JsonNode unsigned = JSON.readTree(get("/resolve?name=www.dnsdig.test&type=A&do=1").body());
        assertEquals(0, unsigned.get("Status").asInt());
        assertTrue(!unsigned.get("AD").asBoolean(), unsigned.toString());
        assertEquals(2, unsigned.get("Answer").size());
    }

    @Test
    void validationResultsAreCountedAndBogusAnswersLoggedAtMostOnceASecond() throws Exception {
        java.util.List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(MeteredMessageExchange.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            double before = bogusCount();
            Thread.sleep(1_100); // past any line another test's bogus answer logged
            for (int i = 0; i < 3; i++) {
                assertEquals(2, JSON.readTree(get("/resolve?name=www.bogus.test&type=A").body()).get("Status").asInt());
            }
            assertEquals(before + 3, bogusCount(), "bogus answers are never cached: each one is counted");
            assertEquals(1, logged.size(), "three within a second: one line");
            String line = logged.get(0).getMessage();
            assertEquals(java.util.logging.Level.WARNING, logged.get(0).getLevel());
            assertTrue(line.contains("www.bogus.test") && line.contains("provider knot"), line);

            get("/resolve?name=www.signed.test&type=TXT"); // another type than elsewhere: not answered from the cache
            assertTrue(server.meters().find(MeteredMessageExchange.VALIDATIONS).tags("provider", "knot", "result", "secure")
                    .counter().count() >= 1);
        } finally {
            logger.removeHandler(handler);
        }
    }

    private static double bogusCount() {
        var counter = server.meters().find(MeteredMessageExchange.VALIDATIONS)
                .tags("provider", "knot", "result", "bogus").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void dohAnswersCarryAdOnlyWhenValidatedAndAnExtendedErrorWhenBogus() throws Exception {
        Message secure = new Message(post(dnssecQuery("www.signed.test.", false)).body());
        assertTrue(secure.getHeader().getFlag(org.xbill.DNS.Flags.AD), secure.toString());
        assertEquals(Rcode.NOERROR, secure.getRcode());

        Message bogus = new Message(post(dnssecQuery("www.bogus.test.", false)).body());
        assertEquals(Rcode.SERVFAIL, bogus.getRcode());
        assertTrue(!bogus.getHeader().getFlag(org.xbill.DNS.Flags.AD));
        org.xbill.DNS.ExtendedErrorCodeOption error = (org.xbill.DNS.ExtendedErrorCodeOption)
                bogus.getOPT().getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
        assertTrue(error.getText() != null && !error.getText().isBlank(), bogus.toString());

        Message unchecked = new Message(post(dnssecQuery("www.bogus.test.", true)).body());
        assertEquals(Rcode.NOERROR, unchecked.getRcode());
        assertEquals(1, unchecked.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.A).count());

        Message unsigned = new Message(post(dnssecQuery("www.dnsdig.test.", false)).body());
        assertEquals(Rcode.NOERROR, unsigned.getRcode());
        assertTrue(!unsigned.getHeader().getFlag(org.xbill.DNS.Flags.AD));
    }

    /** A query as a validating client's stub sends it: EDNS with DO, and CD when it validates by itself. */
    private static byte[] dnssecQuery(String name, boolean checkingDisabled) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        query.getHeader().setID(0);
        query.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
        if (checkingDisabled) {
            query.getHeader().setFlag(org.xbill.DNS.Flags.CD);
        }
        return query.toWire();
    }
}
