package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.bootstrap.PackagedJar.Running;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged target/dnsdig.jar as an operator runs it, on the embedded default database: start, sign up,
 * log in, resolve against Knot, refresh, log out, SIGTERM, restart on the same data, log in again.
 */
class PackagedJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KnotServer knot;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startKnot() {
        knot = KnotServer.start();
    }

    @AfterAll
    static void stopKnot() {
        knot.close();
    }

    private Running start(Path workDir) throws Exception {
        return PackagedJar.start(workDir, Map.of("DNSDIG_HTTP_PORT", "0"));
    }

    private HttpResponse<String> post(Running jar, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(jar.base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Running jar, String path, String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(jar.base() + path)).header("Authorization", bearer).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void accountsAndLookupsSurviveARestartOnTheEmbeddedDefault(@TempDir Path workDir) throws Exception {
        // the .env file is read from the working directory; the environment overrides it (port 1 loses to 0)
        Files.writeString(workDir.resolve(".env"), "DNSDIG_HTTP_PORT=1\nDNSDIG_DNS_PROVIDERS=" + knot.providerSpec("knot") + "\n");
        Running first = start(workDir);
        // generous bound for a loaded CI machine; the benchmark measures the real figure
        assertTrue(first.startupMillis() < 30_000, "first answer after " + first.startupMillis() + " ms");

        assertEquals(201, post(first, "/v1/users", "{\"email\":\"op@example.com\",\"username\":\"operator\",\"password\":\"Secret123\"}").statusCode());
        String credentials = "{\"email\":\"op@example.com\",\"password\":\"Secret123\"}";
        JsonNode tokens = JSON.readTree(post(first, "/v1/auth/login", credentials).body());
        String bearer = "Bearer " + tokens.get("access_token").asText();

        HttpResponse<String> resolved = get(first, "/v1/resolve/alias.dnsdig.test/A", bearer);
        assertEquals(200, resolved.statusCode(), resolved.body());
        JsonNode answers = JSON.readTree(resolved.body()).get("providers").get(0).get("answers");
        assertEquals("CNAME", answers.get(0).get("type").asText());
        assertEquals(4, answers.size());

        String oldRefresh = "{\"refresh_token\":\"" + tokens.get("refresh_token").asText() + "\"}";
        HttpResponse<String> refreshed = post(first, "/v1/auth/refresh", oldRefresh);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        String newRefresh = "{\"refresh_token\":\"" + JSON.readTree(refreshed.body()).get("refresh_token").asText() + "\"}";
        assertEquals(204, post(first, "/v1/auth/logout", newRefresh).statusCode());
        assertEquals(401, post(first, "/v1/auth/refresh", oldRefresh).statusCode());
        assertEquals(401, post(first, "/v1/auth/refresh", newRefresh).statusCode());

        first.sigterm();
        assertEquals(0, first.process().exitValue(), String.join("\n", first.output()));
        assertTrue(first.output().stream().anyMatch(line -> line.contains("stopped")), String.join("\n", first.output()));

        Running second = start(workDir);
        HttpResponse<String> again = post(second, "/v1/auth/login", credentials);
        assertEquals(200, again.statusCode(), "the account survived the restart: " + again.body());
        String newBearer = "Bearer " + JSON.readTree(again.body()).get("access_token").asText();
        assertEquals(200, get(second, "/v1/me", newBearer).statusCode());
        assertEquals(200, get(second, "/v1/me", bearer).statusCode(), "tokens signed before the restart stay valid");
        second.sigterm();
        assertEquals(0, second.process().exitValue(), String.join("\n", second.output()));
    }

    /**
     * The DNS-over-HTTPS listener from the shaded jar (Netty's classes and service files as packaged): the start line
     * names it, and HTTP/2 over TLS with the development certificate written to the data directory answers a query.
     */
    @Test
    void theDnsOverHttpsListenerAnswersFromThePackagedJar(@TempDir Path workDir) throws Exception {
        try (Running jar = PackagedJar.start(workDir, Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_DOH_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot"), "DNSDIG_DNSSEC_TRUST_ANCHORS", "off"))) {
            String doh = jar.output().stream()
                    .map(java.util.regex.Pattern.compile("DNS-over-HTTPS on (https://\\S+/dns-query)")::matcher)
                    .filter(java.util.regex.Matcher::find).map(m -> m.group(1)).findFirst().orElseThrow();
            java.security.cert.Certificate certificate;
            try (var pem = Files.newInputStream(workDir.resolve("data").resolve(DnsDigServer.DEVELOPMENT_CERTIFICATE))) {
                certificate = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(pem);
            }
            HttpClient http2 = HttpsTest.client(HttpClient.Version.HTTP_2, certificate);
            // www.dnsdig.test A, id 0, recursion desired (RFC 8484 section 4.1)
            HttpResponse<byte[]> answer = http2.send(HttpRequest.newBuilder(URI.create(doh
                    + "?dns=AAABAAABAAAAAAAAA3d3dwZkbnNkaWcEdGVzdAAAAQAB")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, answer.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, answer.version());
            org.xbill.DNS.Message message = new org.xbill.DNS.Message(answer.body());
            assertEquals(2, message.getSection(org.xbill.DNS.Section.ANSWER).size(), message::toString);
            jar.sigterm();
            assertEquals(0, jar.process().exitValue());
        }
    }

    @Test
    void invalidConfigurationListsEveryProblemAndExits2(@TempDir Path workDir) throws Exception {
        Process process = PackagedJar.command(workDir, Map.of("DNSDIG_HTTP_PORT", "http", "DNSDIG_DNS_TIMEOUT_MS", "-1",
                "DNSDIG_DNS_PROVIDERS", "broken=dns.google")).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("DNSDIG_HTTP_PORT"), output);
        assertTrue(output.contains("DNSDIG_DNS_TIMEOUT_MS"), output);
        assertTrue(output.contains("DNSDIG_DNS_PROVIDERS"), output);
        assertEquals(3, output.lines().filter(line -> line.startsWith("  DNSDIG_")).count(), output);
    }
}
