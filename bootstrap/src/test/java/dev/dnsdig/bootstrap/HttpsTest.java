package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS listener in process, over real TLS on loopback: HTTP/2 by ALPN, HTTP/1.1 beside it, the same API. */
class HttpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dataDir;
    private static DnsDigServer server;
    private static X509Certificate certificate;
    private static HttpClient http2;

    @BeforeAll
    static void start() throws Exception {
        server = DnsDigServer.start(config(Map.of("DNSDIG_HTTPS_PORT", "0", "DNSDIG_DATA_DIR", dataDir.toString())));
        certificate = server.httpsCertificate().orElseThrow();
        http2 = client(HttpClient.Version.HTTP_2, certificate);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * The service on free ports, asking no DNS server but a (silent) one on loopback, with a short shutdown grace.
     */
    static Config config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of("DNSDIG_HTTP_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", "local=127.0.0.1:9", "DNSDIG_SHUTDOWN_GRACE_MS", "1000"));
        all.putAll(values);
        return Config.from(all);
    }

    /** A client that trusts exactly the one certificate given, and checks the host name against it as browsers do. */
    static HttpClient client(HttpClient.Version version, Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", trusted);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        return HttpClient.newBuilder().version(version).sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.httpsBaseUri().orElseThrow() + path)).timeout(Duration.ofSeconds(10));
    }

    @Test
    void liveOverHttp2NegotiatedByAlpn() throws Exception {
        HttpResponse<String> response = http2.send(request("/health/live").build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertTrue(response.sslSession().orElseThrow().getProtocol().matches("TLSv1\\.[23]"));
        assertEquals(certificate, response.sslSession().orElseThrow().getPeerCertificates()[0]);
    }

    @Test
    void anHttp11OnlyClientIsServedToo() throws Exception {
        HttpClient http11 = client(HttpClient.Version.HTTP_1_1, certificate);

        HttpResponse<String> response = http11.send(request("/health/live").build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
    }

    @Test
    void errorsAreProblemDocumentsOverHttp2() throws Exception {
        HttpResponse<String> response = http2.send(request("/no/such/thing").build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(404, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(404, JSON.readTree(response.body()).get("status").asInt());
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow(), "the same filters");
    }

    @Test
    void aPostWithABodyWorksOverHttp2() throws Exception {
        HttpResponse<String> signUp = http2.send(request("/v1/users").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"h2@example.com\",\"username\":\"htwo\",\"password\":\"Secret123\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, signUp.statusCode(), signUp.body());
        assertEquals(HttpClient.Version.HTTP_2, signUp.version());
        assertEquals("h2@example.com", JSON.readTree(signUp.body()).get("email").asText());
        HttpResponse<String> login = http2.send(request("/v1/auth/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"h2@example.com\",\"password\":\"Secret123\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        assertFalse(JSON.readTree(login.body()).get("access_token").asText().isEmpty());
    }

    @Test
    void theDevelopmentCertificateNamesLoopbackAndIsShortLived() throws Exception {
        List<String> names = certificate.getSubjectAlternativeNames().stream().map(name -> name.get(1).toString()).toList();

        assertTrue(names.containsAll(List.of("localhost", "127.0.0.1")), names.toString());
        assertTrue(names.stream().anyMatch(name -> name.equals("0:0:0:0:0:0:0:1") || name.equals("::1")), names.toString());
        long days = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()).toDays();
        assertTrue(days <= 8, "valid " + days + " days");
        assertEquals(-1, certificate.getBasicConstraints(), "not a CA");
        // the saved copy is the certificate served, so that curl --cacert can trust it
        try (var in = Files.newInputStream(dataDir.resolve(DnsDigServer.DEVELOPMENT_CERTIFICATE))) {
            assertEquals(certificate, CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    @Test
    void curlNegotiatesHttp2() throws Exception {
        String out = curl("--http2", "-k", "-s", "-i", server.httpsBaseUri().orElseThrow() + "/health/live");

        assertTrue(out.startsWith("HTTP/2 200"), out);
    }

    @Test
    void curlTrustsTheSavedDevelopmentCertificateForLocalhost() throws Exception {
        String out = curl("--http2", "-s", "-i", "--cacert", dataDir.resolve(DnsDigServer.DEVELOPMENT_CERTIFICATE).toString(),
                "https://localhost:" + server.httpsPort().orElseThrow() + "/health/live");

        assertTrue(out.startsWith("HTTP/2 200"), out);
    }

    @Test
    void anH2cUpgradeOfferOverTlsIsDeclinedAndTheBodyRead() throws Exception {
        // h2c exists only in cleartext; over TLS the offer is ignored and the request answered over HTTP/1.1
        String out = curl("--http1.1", "-k", "-s", "-i", "-H", "Upgrade: h2c", "-H", "Connection: Upgrade, HTTP2-Settings",
                "-H", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA", "-H", "Content-Type: application/json",
                "--data", "{\"email\":\"upgrade@example.com\",\"username\":\"upgrader\",\"password\":\"Secret123\"}",
                server.httpsBaseUri().orElseThrow() + "/v1/users");

        assertTrue(out.startsWith("HTTP/1.1 201"), out);
    }

    @Test
    void oversizedHttp11RequestLinesAreStillProblemDocuments() throws Exception {
        HttpClient http11 = client(HttpClient.Version.HTTP_1_1, certificate);

        HttpResponse<String> response = http11.send(request("/" + "a".repeat(20_000)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(414, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void headersOverTheLimitAreA431ProblemOverHttp2AndTheConnectionServesOn() throws Exception {
        // HPACK makes 17 KiB of one letter a few KiB on the wire: only the decoded size shows it is too large
        String url = server.httpsBaseUri().orElseThrow() + "/health/live";
        String out = curl("--http2", "-k", "-s", "-i", "-H", "X-Big: " + "a".repeat(17 * 1024), url,
                "-w", "\nconnects=%{num_connects}\n", "--next", "--http2", "-k", "-s", "-i", url,
                "-w", "\nconnects=%{num_connects}\n");

        String refused = out.substring(0, out.indexOf("connects="));
        assertTrue(refused.startsWith("HTTP/2 431"), out);
        assertTrue(refused.contains("content-type: application/problem+json"), out);
        assertTrue(refused.contains("x-content-type-options: nosniff"), out);
        JsonNode problem = JSON.readTree(refused.substring(refused.indexOf("\r\n\r\n") + 4));
        assertEquals(431, problem.get("status").asInt(), out);
        assertEquals(ProblemCodec.HEADERS_TOO_LARGE, problem.get("detail").asText(), out);
        String next = out.substring(out.indexOf("connects=") + "connects=1".length());
        assertTrue(next.contains("HTTP/2 200"), "the next request on the same connection is served: " + out);
        assertTrue(next.contains("connects=0"), "no new connection was needed: " + out);

        String justUnder = curl("--http2", "-k", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                "X-Big: " + "a".repeat(15 * 1024), url);
        assertEquals("200", justUnder, "the limit is what refused");
    }

    @Test
    void aHeaderBlockBeyondWhatIsKeptClosesItsConnectionAndNothingElse() throws Exception {
        // letters HPACK cannot shrink, 80 KiB of them: a header block in CONTINUATION frames over 64 KiB
        String noise = new java.util.Random(7).ints(80 * 1024, 0, 62)
                .mapToObj(i -> String.valueOf("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".charAt(i)))
                .collect(java.util.stream.Collectors.joining());
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger grizzly = Logger.getLogger("org.glassfish.grizzly");
        grizzly.addHandler(capture);
        try {
            // Java's client sends what it is given (curl's nghttp2 keeps to the server's advertised 64 KiB itself)
            HttpClient client = client(HttpClient.Version.HTTP_2, certificate);
            HttpRequest noisy = request("/health/live").header("X-Noise", noise).timeout(Duration.ofSeconds(10)).build();

            IOException closed = assertThrows(IOException.class,
                    () -> client.send(noisy, HttpResponse.BodyHandlers.ofString()), "closed, not answered");
            assertFalse(closed instanceof java.net.http.HttpTimeoutException, "closed at once, not left hanging");
        } finally {
            grizzly.removeHandler(capture);
        }
        assertEquals(List.of(), warnings.stream().map(LogRecord::getMessage).toList(), "no stack trace in the log");
        assertEquals(200, http2.send(request("/health/live").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void bothListenersTakeTheirNetworkBuffersFromAPoolOfDirectMemory() {
        // a heap buffer is copied into a new direct buffer per write on a virtual thread (see DnsDigServer)
        List<org.glassfish.grizzly.memory.MemoryManager> managers = server.memoryManagers();

        assertEquals(2, managers.size(), "HTTP and HTTPS");
        for (var manager : managers) {
            assertInstanceOf(org.glassfish.grizzly.memory.PooledMemoryManager.class, manager);
            org.glassfish.grizzly.Buffer buffer = manager.allocate(4096);
            assertTrue(buffer.isDirect(), "written to the socket as it is, without a copy");
            buffer.tryDispose();
        }
    }

    @Test
    void enginesSpeakTls12And13WithForwardSecretAeadSuitesOnly() {
        var engine = Tls.engines(Tls.selfSigned("127.0.0.1", java.time.Instant.now())).createSSLEngine();

        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, engine.getEnabledProtocols());
        for (String suite : engine.getEnabledCipherSuites()) {
            assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
                    || suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20")), suite);
        }
        assertTrue(List.of(engine.getEnabledCipherSuites()).contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
    }

    @Test
    void anIdleHttp2ConnectionDoesNotHoldTheShutdownForTheWholeGrace(@TempDir Path dir) throws Exception {
        DnsDigServer patient = DnsDigServer.start(config(Map.of("DNSDIG_HTTPS_PORT", "0", "DNSDIG_DATA_DIR",
                dir.toString(), "DNSDIG_SHUTDOWN_GRACE_MS", "20000")));
        HttpResponse<String> response = client(HttpClient.Version.HTTP_2, patient.httpsCertificate().orElseThrow())
                .send(HttpRequest.newBuilder(URI.create(patient.httpsBaseUri().orElseThrow() + "/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, response.version()); // and the client keeps its connection open
        int httpsPort = patient.httpsPort().orElseThrow();
        long start = System.nanoTime();
        patient.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // nothing in flight: done at once, not after the 20 s grace (Grizzly alone waited for all of it)
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", httpsPort).close());
    }

    @Test
    void anOperatorsPkcs12KeystoreIsServedAndBothListenersStopOnClose(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "api",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "s3cret pass"));
        Certificate expected = Tls.load(keystore, "s3cret pass".toCharArray()).certificate();

        DnsDigServer custom = DnsDigServer.start(config(Map.of("DNSDIG_HTTPS_PORT", "0", "DNSDIG_DATA_DIR", dir.toString(),
                "DNSDIG_TLS_KEYSTORE", keystore.toString(), "DNSDIG_TLS_KEYSTORE_PASSWORD", "s3cret pass")));
        int httpsPort = custom.httpsPort().orElseThrow();
        int httpPort = custom.port();
        try {
            HttpResponse<String> response = client(HttpClient.Version.HTTP_2, expected).send(HttpRequest.newBuilder(
                    URI.create(custom.httpsBaseUri().orElseThrow() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertEquals(expected, response.sslSession().orElseThrow().getPeerCertificates()[0]);
            assertFalse(Files.exists(dir.resolve(DnsDigServer.DEVELOPMENT_CERTIFICATE)), "no development certificate made");
        } finally {
            custom.close();
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", httpsPort).close());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", httpPort).close());
    }

    private static String curl(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "--noproxy", "*", "--max-time", "10"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running: " + command);
        assertEquals(0, process.exitValue(), () -> command + ": " + out);
        return out;
    }
}
