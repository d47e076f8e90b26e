package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.adapters.mongo.EmbeddedMongo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Two server instances on one Mongo-wire database share their rate limits exactly: N allowed across both, the rest 429. */
class SharedRateLimitTest {
    private static final int LIMIT = 10;
    private static final int WINDOW_S = 86_400;
    private static final Pattern REMAINING = Pattern.compile("\"anonymous\";r=(\\d+);t=\\d+");
    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** The status and the remaining count a response announced. */
    private record Answer(int status, int remaining) {
    }

    private static Answer freesolve(DnsDigServer server) throws Exception {
        HttpResponse<String> response = HTTP11.send(HttpRequest.newBuilder(URI.create(server.baseUri()
                + "/v1/freesolve/www.dnsdig.test/A")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher remaining = REMAINING.matcher(response.headers().firstValue("RateLimit").orElse(""));
        if (!remaining.matches()) {
            throw new AssertionError("no RateLimit field: " + response.headers().map());
        }
        return new Answer(response.statusCode(), Integer.parseInt(remaining.group(1)));
    }

    @Test
    void twoInstancesOnOneDatabaseAllowTheLimitOnceBetweenThem() throws Exception {
        try (KnotServer knot = KnotServer.start(); EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            Config config = Config.from(Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot"),
                    "DNSDIG_MONGODB_URI", mongo.connectionString() + "/shared", "DNSDIG_SHUTDOWN_GRACE_MS", "1000",
                    "DNSDIG_RATELIMIT_ANONYMOUS", LIMIT + "/" + WINDOW_S + "s"));
            clearOfAWindowBoundary();
            try (DnsDigServer first = DnsDigServer.start(config); DnsDigServer second = DnsDigServer.start(config)) {
                List<DnsDigServer> servers = List.of(first, second);
                // three times the limit at once, every other request to the other instance
                List<Answer> answers = new ArrayList<>();
                try (ExecutorService pool = Executors.newFixedThreadPool(3 * LIMIT)) {
                    List<Future<Answer>> sent = new ArrayList<>();
                    for (int i = 0; i < 3 * LIMIT; i++) {
                        DnsDigServer server = servers.get(i % 2);
                        sent.add(pool.submit(() -> freesolve(server)));
                    }
                    for (Future<Answer> answer : sent) {
                        answers.add(answer.get());
                    }
                }
                List<Answer> allowed = answers.stream().filter(a -> a.status() == 200).toList();
                assertEquals(2 * LIMIT, answers.stream().filter(a -> a.status() == 429).count(), answers::toString);
                // one shared count: each allowed request saw another one of 0..LIMIT-1 remaining
                assertEquals(IntStream.range(0, LIMIT).boxed().toList(),
                        allowed.stream().map(Answer::remaining).sorted().toList(), answers::toString);
                // and each instance goes on refusing
                assertEquals(new Answer(429, 0), freesolve(first));
                assertEquals(new Answer(429, 0), freesolve(second));
            }
        }
    }

    /** Fixed windows turn at multiples of their length: the test must not straddle one. */
    private static void clearOfAWindowBoundary() throws InterruptedException {
        long intoWindow = Instant.now().getEpochSecond() % WINDOW_S;
        if (intoWindow > WINDOW_S - 60) {
            Thread.sleep(Duration.ofSeconds(WINDOW_S - intoWindow + 1));
        }
    }
}
