package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.dns.testing.KnotServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real DNS-over-HTTPS clients from Debian against both our listeners that serve it, the API's HTTPS one and the
 * dedicated DoH one (HTTP/2, the self-signed development certificate), with Knot behind them: kdig, curl resolving a
 * host name through us, and a short h2load run. Missing tools fail the test with the command that installs them;
 * they are never skipped.
 */
class DohClientsTest {
    private static final String INSTALL = "sudo apt-get install knot-dnsutils curl nghttp2-client";
    /** www.dnsdig.test A, id 0, recursion desired, in base64url (RFC 8484 section 4.1). */
    private static final String QUERY = "AAABAAABAAAAAAAAA3d3dwZkbnNkaWcEdGVzdAAAAQAB";
    private static KnotServer knot;
    private static DnsDigServer server;
    private static List<Integer> ports;

    @BeforeAll
    static void start() throws Exception {
        knot = KnotServer.start();
        server = DnsDigServer.start(Config.from(Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_HTTPS_PORT", "0", "DNSDIG_DOH_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot"), "DNSDIG_RATELIMIT_ANONYMOUS", "off",
                "DNSDIG_DNSSEC_TRUST_ANCHORS", "off", // Knot serves a zone the root does not delegate
                "DNSDIG_SHUTDOWN_GRACE_MS", "500",
                "DNSDIG_DATA_DIR", Files.createTempDirectory("dnsdig-doh-clients").toString())));
        ports = List.of(server.httpsPort().orElseThrow(), server.dohPort().orElseThrow());
    }

    @AfterAll
    static void stop() {
        server.close();
        knot.close();
    }

    private static String tool(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new AssertionError(name + " is needed by this test: install it with '" + INSTALL + "'");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        line.set(0, tool(command[0]));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        // no proxy may see the request, whatever the environment says
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running: " + line);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), line + " failed:\n" + output);
        return output;
    }

    private static String doh(int port) {
        return "https://127.0.0.1:" + port + "/dns-query";
    }

    @Test
    void kdigOverHttps() throws Exception {
        for (int port : ports) {
            String answer = run("kdig", "@127.0.0.1", "-p", Integer.toString(port), "+https=/dns-query", "+time=5",
                    "+retry=0", "www.dnsdig.test", "A");
            assertTrue(answer.contains("192.0.2.10") && answer.contains("192.0.2.11"), answer);
            assertTrue(answer.contains("HTTP session (HTTP/2-"), "the answer came over DoH on HTTP/2: " + answer);
            assertTrue(answer.contains("NOERROR"), answer);
            String nx = run("kdig", "@127.0.0.1", "-p", Integer.toString(port), "+https=/dns-query", "+time=5",
                    "+retry=0", "nope.dnsdig.test", "A");
            assertTrue(nx.contains("NXDOMAIN"), nx);
        }
    }

    @Test
    void curlResolvesAHostNameThroughUs() throws Exception {
        // ns1.dnsdig.test is 127.0.0.1 in the test zone: curl learns that from our DoH, then fetches from our own
        // plain listener (nothing but loopback is ever contacted)
        for (int port : ports) {
            String body = run("curl", "-q", "-s", "-4", "--noproxy", "*", "--doh-url", doh(port), "--doh-insecure",
                    "http://ns1.dnsdig.test:" + server.port() + "/health/live");
            assertTrue(body.contains("\"status\":\"UP\""), body);
        }
    }

    @Test
    void h2loadGetsOnlyAnswers() throws Exception {
        for (int port : ports) {
            String report = run("h2load", "-n", "400", "-c", "4", "-m", "8", "-H", "accept: application/dns-message",
                    doh(port) + "?dns=" + QUERY);
            assertTrue(report.contains("Application protocol: h2"), report);
            assertTrue(report.contains("400 total, 400 started, 400 done, 400 succeeded, 0 failed, 0 errored"), report);
            assertTrue(report.contains("status codes: 400 2xx"), report);
        }
    }
}
