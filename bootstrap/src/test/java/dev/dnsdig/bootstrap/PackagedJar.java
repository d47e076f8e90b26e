package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
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

/**
 * The packaged target/dnsdig.jar as a process, for the end-to-end tests (*IT): started with an environment of its
 * own (no inherited DNSDIG_ variable), its output collected, its base URL read from the "listening on" line.
 */
final class PackagedJar {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private PackagedJar() {
    }

    /** A running jar with its output collected on a thread of its own. */
    record Running(Process process, List<String> output, String base, long startupMillis) implements AutoCloseable {
        void sigterm() throws Exception {
            signalTerm();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "did not stop after SIGTERM");
        }

        /** Sends SIGTERM and returns at once. */
        void signalTerm() throws Exception {
            // kill(1) rather than Process.destroy(), which would also close our end of its output
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
        }

        /** Leaves no process behind when a test failed before its SIGTERM. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The command line that runs the jar in {@code workDir} with exactly these DNSDIG_ variables. */
    static ProcessBuilder command(Path workDir, Map<String, String> env) {
        String jar = System.getProperty("dnsdig.jar", "target/dnsdig.jar");
        String java = System.getProperty("dnsdig.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertTrue(Files.isRegularFile(Path.of(jar)), "packaged jar missing: " + jar);
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", Path.of(jar).toAbsolutePath().toString())
                .directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("DNSDIG_"));
        builder.environment().putAll(env);
        return builder;
    }

    /** Starts the jar and waits until it listens and answers {@code /health/live}. */
    static Running start(Path workDir, Map<String, String> env) throws Exception {
        long launched = System.nanoTime();
        Process process = command(workDir, env).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException closed) {
                // the process is gone
            }
        });
        String base = null;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (base == null && System.nanoTime() < giveUp && process.isAlive()) {
            base = output.stream().map(LISTENING::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst().orElse(null);
            Thread.sleep(5);
        }
        if (base == null) {
            process.destroyForcibly();
        }
        assertNotNull(base, "never listened: " + output);
        try {
            HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode());
        } catch (Exception | AssertionError e) {
            // no server left running behind a failed test (one did, for half an hour, when the URL was misread)
            process.destroyForcibly();
            throw e;
        }
        return new Running(process, output, base, Duration.ofNanos(System.nanoTime() - launched).toMillis());
    }

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago, for when the jar's URL must be known before it starts
     * (another process could take it in between; on a test machine that is rare enough).
     */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        }
    }
}
