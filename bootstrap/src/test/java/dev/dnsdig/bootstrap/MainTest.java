package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line. Only paths that return are run here: a successful start blocks until the JVM shuts down.
 * No configuration here names a DNS server beyond loopback.
 */
class MainTest {
    /** Loopback only, and never asked: the runs below stop before any lookup. */
    private static final String LOOPBACK_PROVIDER = "local=127.0.0.1:5301";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(Map<String, String> environment, String... args) {
        return run(environment, dir.resolve("absent.env"), args);
    }

    private int run(Map<String, String> environment, Path envFile, String... args) {
        // a guard only: should a start unexpectedly succeed, the test fails instead of hanging
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            // data in the test's own directory, never in the working tree
            Map<String, String> withData = new java.util.HashMap<>(environment);
            withData.putIfAbsent("DNSDIG_DATA_DIR", dir.resolve("data").toString());
            try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
                 PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
                return Main.run(args, withData, envFile, out, err);
            }
        });
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpPrintsUsageWithEveryVariableAndSucceeds(String flag) {
        int code = run(Map.of(), flag);

        assertEquals(0, code);
        assertEquals("", err());
        String usage = out();
        assertTrue(usage.startsWith("Usage: java -jar dnsdig.jar [--help | --version | --aot-training]"), usage);
        for (Config.Variable variable : Config.Variable.values()) {
            assertTrue(usage.contains("  " + variable.name() + "\n"), variable.name());
            assertTrue(usage.contains(variable.meaning()), variable.name() + " meaning");
            assertTrue(usage.contains("default: " + variable.defaultValue()), variable.name() + " default");
        }
    }

    @Test
    void helpIgnoresAnInvalidConfiguration() {
        int code = run(Map.of("DNSDIG_HTTP_PORT", "abc"), "--help");

        assertEquals(0, code);
        assertEquals("", err());
        assertEquals(Main.usage(), out());
    }

    @Test
    void versionPrintsTheProgramNameAndVersionAndSucceeds() {
        int code = run(Map.of(), "--version");

        assertEquals(0, code);
        assertEquals("", err());
        assertEquals("dnsdig " + Main.version() + System.lineSeparator(), out());
        assertTrue(out().matches("dnsdig \\S+\\R"), out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "serve", "-v", "--HELP", ""})
    void anUnknownArgumentIsAUsageErrorWithTheUsageOnStderr(String argument) {
        int code = run(Map.of(), argument);

        assertEquals(64, code);
        assertEquals("", out());
        assertTrue(err().startsWith("dnsdig: unknown argument '" + argument + "'" + System.lineSeparator()), err());
        assertTrue(err().endsWith(Main.usage()), err());
    }

    @Test
    void aKeystoreThatIsNotOneExitsWith2SayingSoWithoutAStackTrace() throws Exception {
        Path notKeystore = java.nio.file.Files.writeString(dir.resolve("server.p12"), "-----BEGIN CERTIFICATE-----");

        int code = run(Map.of("DNSDIG_HTTPS_PORT", "0", "DNSDIG_TLS_KEYSTORE", notKeystore.toString(),
                "DNSDIG_DNS_PROVIDERS", LOOPBACK_PROVIDER));

        assertEquals(2, code);
        assertEquals(List.of("dnsdig: invalid configuration:", "  DNSDIG_TLS_KEYSTORE='" + notKeystore
                + "': not a PKCS12 keystore, or a wrong password (DNSDIG_TLS_KEYSTORE_PASSWORD)"), err().lines().toList());
    }

    @Test
    void anInvalidConfigurationExitsWith2AndListsEveryProblemOnePerLine() {
        int code = run(Map.of("DNSDIG_HTTP_PORT", "abc", "DNSDIG_DNS_TIMEOUT_MS", "-5",
                "DNSDIG_DNS_PROVIDERS", LOOPBACK_PROVIDER));

        assertEquals(2, code);
        assertEquals("", out());
        List<String> lines = err().lines().toList();
        assertEquals(3, lines.size(), err());
        assertEquals("dnsdig: invalid configuration:", lines.get(0));
        assertTrue(lines.get(1).startsWith("  DNSDIG_HTTP_PORT='abc': "), lines.get(1));
        assertTrue(lines.get(2).startsWith("  DNSDIG_DNS_TIMEOUT_MS='-5': "), lines.get(2));
    }

    @Test
    void theEnvFileIsReadAndTheEnvironmentWinsOverIt() throws IOException {
        Path envFile = dir.resolve(".env");
        Files.writeString(envFile, """
                DNSDIG_HTTP_PORT=from-file
                DNSDIG_DNS_TIMEOUT_MS=also-from-file
                DNSDIG_DNS_PROVIDERS=local=not-an-address
                """);

        int code = run(Map.of("DNSDIG_DNS_TIMEOUT_MS", "0", "DNSDIG_DNS_PROVIDERS", LOOPBACK_PROVIDER), envFile);

        assertEquals(2, code);
        List<String> lines = err().lines().toList();
        assertEquals(3, lines.size(), err());
        assertTrue(lines.get(1).startsWith("  DNSDIG_HTTP_PORT='from-file': "), lines.get(1));
        assertTrue(lines.get(2).startsWith("  DNSDIG_DNS_TIMEOUT_MS='0': "), lines.get(2));
    }

    @Test
    void anUnreadableEnvFileIsAConfigurationProblem() throws IOException {
        Path envFile = dir.resolve(".env");
        Files.write(envFile, new byte[] {'A', '=', (byte) 0xFF, '\n'}); // not UTF-8

        int code = run(Map.of("DNSDIG_DNS_PROVIDERS", LOOPBACK_PROVIDER), envFile);

        assertEquals(2, code);
        List<String> lines = err().lines().toList();
        assertEquals(2, lines.size(), err());
        assertEquals("dnsdig: invalid configuration:", lines.get(0));
        assertTrue(lines.get(1).startsWith("  " + envFile + ": cannot be read"), lines.get(1));
    }

    @Test
    void aPortAlreadyInUseExitsWith1AndSaysItCannotStart() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            int code = run(Map.of(
                    "DNSDIG_HTTP_HOST", "127.0.0.1",
                    "DNSDIG_HTTP_PORT", Integer.toString(port),
                    "DNSDIG_DNS_PROVIDERS", LOOPBACK_PROVIDER));

            assertEquals(1, code, () -> "out: " + out() + "\nerr: " + err());
            assertEquals("", out());
            List<String> lines = err().lines().toList();
            assertEquals(1, lines.size(), err());
            assertTrue(lines.get(0).startsWith("dnsdig: cannot start: "), lines.get(0));
            assertTrue(lines.get(0).contains("127.0.0.1:" + port), lines.get(0));
        }
    }

    @Test
    void aotTrainingStartsServesAndStopsWithoutLeavingData() {
        assertEquals(Main.EXIT_OK, run(Map.of(), "--aot-training"), errBytes::toString);
    }
}
