package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged target/dnsdig.jar as an operator runs it: start, resolve against Knot, SIGTERM, clean exit. */
class PackagedJarIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
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

    private static ProcessBuilder jar(Path workDir, Map<String, String> env) {
        String jar = System.getProperty("dnsdig.jar", "target/dnsdig.jar");
        String java = System.getProperty("dnsdig.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertTrue(Files.isRegularFile(Path.of(jar)), "packaged jar missing: " + jar);
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", Path.of(jar).toAbsolutePath().toString())
                .directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("DNSDIG_"));
        builder.environment().putAll(env);
        return builder;
    }

    @Test
    void startsResolvesAndStopsCleanlyOnSigterm(@TempDir Path workDir) throws Exception {
        // the .env file is read from the working directory; the environment overrides it
        Files.writeString(workDir.resolve(".env"), "DNSDIG_HTTP_PORT=1\nDNSDIG_DNS_PROVIDERS=" + knot.providerSpec("knot") + "\n");
        long launched = System.nanoTime();
        Process process = jar(workDir, Map.of("DNSDIG_HTTP_PORT", "0")).start();
        // read on a thread of its own: destroy() closes the process's streams
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (java.io.IOException closed) {
                // the process is gone
            }
        });
        String base = null;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (base == null && System.nanoTime() < giveUp && process.isAlive()) {
            base = output.stream().map(LISTENING::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst().orElse(null);
            Thread.sleep(5);
        }
        assertTrue(base != null, "never listened: " + output);
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        long firstMillis = Duration.ofNanos(System.nanoTime() - launched).toMillis();
        assertEquals(200, first.statusCode());
        // generous bound for a loaded CI machine; the benchmark measures the real figure
        assertTrue(firstMillis < 15_000, "first answer after " + firstMillis + " ms");

        HttpResponse<String> resolved = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/resolve/alias.dnsdig.test/A")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resolved.statusCode(), resolved.body());
        JsonNode answers = new ObjectMapper().readTree(resolved.body()).get("providers").get(0).get("answers");
        assertEquals("CNAME", answers.get(0).get("type").asText());
        assertEquals(4, answers.size());

        // SIGTERM by kill(1): Process.destroy() would also close our end of its output
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "did not stop after SIGTERM");
        reader.join(5000);
        assertEquals(0, process.exitValue(), String.join("\n", output));
        assertTrue(output.stream().anyMatch(line -> line.contains("stopped")), String.join("\n", output));
    }

    @Test
    void invalidConfigurationListsEveryProblemAndExits2(@TempDir Path workDir) throws Exception {
        Process process = jar(workDir, Map.of("DNSDIG_HTTP_PORT", "http", "DNSDIG_DNS_TIMEOUT_MS", "-1",
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
