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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
 * The wired server over real HTTP with a provider for every way an upstream fails (never answering, answering late,
 * noise, a wrong id, one byte, junk, a message cut short, another question, the query echoed, REFUSED, a closed
 * port), then Knot, then {@code twin}: a dead server before Knot's. The JSON API shows each failure in its provider's
 * entry and Knot's answer, within the deadline; DNS-over-HTTPS answers from Knot within the deadline and, once the
 * faulty servers failed, asks them last, so the next query costs no timeout; readiness and metrics name the dead.
 */
class UpstreamFaultsServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration DEADLINE = Duration.ofMillis(3000);
    /** Each faulty provider, with the failure its entry shows and a part of its error. */
    private static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();
    private static final Map<String, FaultyDnsServer> FAULTY = new LinkedHashMap<>();
    private static KnotServer knot;
    private static FaultyDnsServer dead;
    private static String closedPort;
    private static DnsDigServer server;

    @BeforeAll
    static void start() throws Exception {
        knot = KnotServer.start();
        fault("silent", FaultyDnsServer.silent("127.0.0.1"), "timeout", "no answer within 300 ms");
        fault("slow", FaultyDnsServer.slow("127.0.0.1", knot.ipv4(), Duration.ofMillis(1500)), "timeout", "no answer within 300 ms");
        fault("noise", FaultyDnsServer.noise("127.0.0.1"), "timeout", "no answer within 300 ms");
        fault("wrongid", FaultyDnsServer.wrongId("127.0.0.1", knot.ipv4()), "timeout", "no answer within 300 ms");
        fault("onebyte", FaultyDnsServer.oneByte("127.0.0.1"), "timeout", "no answer within 300 ms");
        fault("junk", FaultyDnsServer.garbage("127.0.0.1"), "bad-response", "malformed answer");
        fault("cut", FaultyDnsServer.cutShort("127.0.0.1", knot.ipv4()), "bad-response", "malformed answer");
        fault("question", FaultyDnsServer.wrongQuestion("127.0.0.1"), "bad-response", "another question");
        fault("echo", FaultyDnsServer.echo("127.0.0.1"), "bad-response", "not a response");
        fault("refused", FaultyDnsServer.refused("127.0.0.1"), "refused", "refused the query (REFUSED");
        closedPort = "127.0.0.1:" + KnotServer.freePort();
        EXPECTED.put("closed", List.of("unreachable", "port unreachable"));
        dead = FaultyDnsServer.relay("127.0.0.1", knot.ipv4());
        dead.mute(true);
        String providers = FAULTY.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().server())
                .collect(Collectors.joining(";")) + ";closed=" + closedPort + ";" + knot.providerSpec("knot")
                + ";twin=" + dead.server() + "," + knot.ipv4();
        server = DnsDigServer.start(Config.from(Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_DNS_PROVIDERS", providers,
                "DNSDIG_DNS_TIMEOUT_MS", "300", "DNSDIG_DNS_DEADLINE_MS", Long.toString(DEADLINE.toMillis()),
                "DNSDIG_RATELIMIT_ANONYMOUS", "off", "DNSDIG_DNSSEC_TRUST_ANCHORS", "off",
                "DNSDIG_DATA_DIR", java.nio.file.Files.createTempDirectory("dnsdig-faults-test").toString())));
    }

    private static void fault(String provider, FaultyDnsServer faulty, String failure, String error) {
        FAULTY.put(provider, faulty);
        EXPECTED.put(provider, List.of(failure, error));
    }

    @AfterAll
    static void stop() {
        server.close();
        FAULTY.values().forEach(FaultyDnsServer::close);
        dead.close();
        knot.close();
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/dns-message, application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<byte[]> response = get(path);
        assertEquals(200, response.statusCode(), new String(response.body()));
        return JSON.readTree(response.body());
    }

    @Test
    void everyFaultyProviderIsMarkedFailedWithItsReasonAndTheOthersAnswerWithinTheDeadline() throws Exception {
        JsonNode body = json("/v1/freesolve/www.dnsdig.test/A");
        // measured by the server: the HTTP round trip of a cold, loaded test JVM is not what the deadline bounds
        assertTrue(body.get("elapsedMs").asDouble() < DEADLINE.toMillis(), body.toString());
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        body.get("providers").forEach(entry -> entries.put(entry.get("provider").asText(), entry));
        EXPECTED.forEach((provider, expected) -> {
            JsonNode entry = entries.get(provider);
            assertEquals("failed", entry.get("outcome").asText(), entry.toString());
            assertEquals(expected.get(0), entry.get("failure").asText(), entry.toString());
            String server = provider.equals("closed") ? closedPort : FAULTY.get(provider).server().toString();
            assertTrue(entry.get("error").asText().startsWith(server + ": ")
                    && entry.get("error").asText().contains(expected.get(1)), entry.toString());
            assertEquals(server, entry.get("serversTried").get(0).asText());
        });
        for (String answering : List.of("knot", "twin")) {
            JsonNode entry = entries.get(answering);
            assertEquals("answered", entry.get("outcome").asText(), entry.toString());
            assertEquals("NOERROR", entry.get("status").asText());
            assertEquals(knot.ipv4().toString(), entry.get("server").asText());
            assertEquals(2, entry.get("answers").size());
        }
        assertEquals(2, body.get("summary").get("answered").asInt(), body.toString());
        assertEquals(EXPECTED.size(), body.get("summary").get("failed").asInt());
        assertTrue(body.get("summary").get("agree").asBoolean(), "the failed say nothing, the answered agree");

        // the next questions: twin goes straight to Knot; its dead server is tried once more at most, should its
        // back-off end meanwhile (the clock here is the wall clock), not once per question
        int deadQueries = dead.received();
        for (String question : List.of("mail.dnsdig.test/A", "alias.dnsdig.test/A", "alias2.dnsdig.test/A",
                "www.dnsdig.test/TXT", "dnsdig.test/MX")) {
            JsonNode next = json("/v1/freesolve/" + question);
            next.get("providers").forEach(entry -> entries.put(entry.get("provider").asText(), entry));
            assertEquals("answered", entries.get("twin").get("outcome").asText(), next.toString());
        }
        assertTrue(dead.received() <= deadQueries + 1, "asked " + (dead.received() - deadQueries) + " times more");
    }

    @Test
    void dnsOverHttpsAnswersFromKnotAndTheFaultyAreAskedLastOnceTheyFailed() throws Exception {
        // Knot is asked after every faulty provider: its answer came within the deadline, or there would be none
        Message first = new Message(dnsQuery("www.dnsdig.test.").body());
        assertEquals(Rcode.NOERROR, first.getRcode(), first.toString());
        assertEquals(2, first.getSection(Section.ANSWER).size());

        // a server that refuses is alive (one round trip, no timeout) and keeps its place; the others failed, and are
        // asked last: once more at most (a trial, should a back-off end meanwhile), not once per question
        Map<String, Integer> received = FAULTY.entrySet().stream().filter(e -> !e.getKey().equals("refused"))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().received()));
        for (String name : List.of("alias.dnsdig.test.", "mail.dnsdig.test.", "alias2.dnsdig.test.", "dnsdig.test.",
                "www.signed.test.")) {
            Message next = new Message(dnsQuery(name).body());
            assertEquals(Rcode.NOERROR, next.getRcode(), next.toString());
        }
        received.forEach((provider, count) -> assertTrue(FAULTY.get(provider).received() <= count + 1,
                provider + " was asked " + (FAULTY.get(provider).received() - count) + " times more"));

        // the JSON API, for a name nobody answers: every provider asked, each reason in the Comment
        JsonNode none = json("/resolve?name=example.com&type=A");
        assertEquals(2, none.get("Status").asInt(), none.toString());
        String comment = none.get("Comment").asText();
        for (String provider : EXPECTED.keySet()) {
            assertTrue(comment.contains(provider + ": "), provider + " in " + comment);
        }
        assertTrue(comment.contains("knot: " + knot.ipv6() + ": refused the query"), comment);
    }

    @Test
    void readinessAndMetricsNameTheFailingServers() throws Exception {
        json("/v1/freesolve/www.dnsdig.test/AAAA"); // every provider asked: the faulty ones fail, and stay failing
        JsonNode ready = json("/health/ready");
        JsonNode dns = ready.get("checks").get("dns");
        assertEquals("UP", dns.get("status").asText(), "knot answers: " + ready);
        assertEquals("answering", dns.get("details").get("knot").asText(), dns.toString());
        assertTrue(dns.get("details").get("silent").asText().startsWith("failing: "), dns.toString());
        for (FaultyDnsServer failing : List.of(dead, FAULTY.get("silent"), FAULTY.get("junk"))) {
            String detail = dns.get("details").path(failing.server().toString()).asText();
            assertTrue(detail.matches("(asked last for [0-9]+ s more|to be tried again by the next query) after [0-9]+ "
                    + "failures?: " + java.util.regex.Pattern.quote(failing.server().toString()) + ": .+"), dns.toString());
        }
        assertTrue(dns.get("details").path(FAULTY.get("refused").server().toString()).isMissingNode(),
                "a server that refuses answers: " + dns);

        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("dnsdig_dns_server_up{provider=\"twin\",server=\"" + dead.server() + "\"} 0.0"), metrics);
        assertTrue(metrics.contains("dnsdig_dns_server_up{provider=\"twin\",server=\"" + knot.ipv4() + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("dnsdig_dns_server_up{provider=\"refused\",server=\"" + FAULTY.get("refused").server()
                + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("dnsdig_dns_upstream_seconds_count{outcome=\"refused\",provider=\"refused\"}"), metrics);
    }

    private static HttpResponse<byte[]> dnsQuery(String name) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        query.getHeader().setID(0);
        HttpResponse<byte[]> response = get("/dns-query?dns="
                + Base64.getUrlEncoder().withoutPadding().encodeToString(query.toWire()));
        assertEquals(200, response.statusCode());
        return response;
    }
}
