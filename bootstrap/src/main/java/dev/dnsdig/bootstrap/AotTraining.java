package dev.dnsdig.bootstrap;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code --aot-training}: starts the server on a free loopback port with a throw-away data directory, sends it the
 * requests a real start-up and first use load classes for, and stops. Run under {@code -XX:AOTCacheOutput}
 * (JDK 25) it leaves an ahead-of-time cache that makes later starts about twice as fast. It sends no DNS query:
 * the provider it names is never asked.
 */
final class AotTraining {
    private AotTraining() {
    }

    static int run() throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("dnsdig-aot-");
        try (DnsDigServer server = DnsDigServer.start(Config.from(Map.of("DNSDIG_HTTP_PORT", "0",
                "DNSDIG_DATA_DIR", data.toString(), "DNSDIG_DNS_PROVIDERS", "unused=127.0.0.1:9")))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = server.baseUri();
            send(http, base, "GET", "/health/live", null, null);
            send(http, base, "GET", "/health/ready", null, null);
            send(http, base, "POST", "/v1/users", "{\"email\":\"aot@example.com\",\"username\":\"aot\",\"password\":\"Training1\"}", null);
            String login = send(http, base, "POST", "/v1/auth/login", "{\"email\":\"aot@example.com\",\"password\":\"Training1\"}", null);
            String token = login.replaceAll("(?s).*\"access_token\":\"([^\"]+)\".*", "$1");
            send(http, base, "GET", "/v1/me", null, "Bearer " + token);
            send(http, base, "POST", "/v1/todos", "{\"title\":\"train\"}", "Bearer " + token);
            send(http, base, "GET", "/v1/todos", null, "Bearer " + token);
            send(http, base, "GET", "/v1/freesolve/example.com/BOGUS", null, null);
            send(http, base, "GET", "/not/here", null, null);
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        return Main.EXIT_OK;
    }

    private static String send(HttpClient http, String base, String method, String path, String json, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
