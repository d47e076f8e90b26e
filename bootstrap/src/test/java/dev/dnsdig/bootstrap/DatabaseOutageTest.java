package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database stops under load and comes back: the server, pointed at a Mongo-wire server of its own
 * ({@code DNSDIG_MONGODB_URI}), is busy with todos, sign-ups, logins, authenticated lookups, anonymous lookups against
 * Knot and readiness checks when that database is stopped, and started again on the same port three seconds later.
 * Meanwhile every request that needs the database answers 503 problem+json with Retry-After within a second, readiness
 * is 503 naming the database, anonymous lookups go on, and a signed-in user whose account was read shortly before keeps
 * resolving; afterwards everything works again without a restart of the server, and no request ever got a 500.
 */
class DatabaseOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final long OUTAGE_MILLIS = 3_000;
    /** What the issue asks of a request while the database is down. */
    private static final Duration PROMPT = Duration.ofSeconds(1);
    private static final String PASSWORD = "Outage123";

    /** The kinds of request the load is made of, and whether they need the database. */
    private enum Kind {
        TODO_CREATE(true), TODO_READ(true), SIGN_UP(true), LOGIN(true), RESOLVE(false), FREESOLVE(false), JSON_API(false),
        READY(false);

        final boolean needsDatabase;

        Kind(boolean needsDatabase) {
            this.needsDatabase = needsDatabase;
        }
    }

    /** One answer, with when it was asked for and came, in nanoseconds of {@link System#nanoTime()}. */
    private record Answer(Kind kind, long sent, long done, int status, String contentType, String retryAfter, String body) {
        Duration took() {
            return Duration.ofNanos(done - sent);
        }

        @Override
        public String toString() {
            return kind + " " + status + " in " + took().toMillis() + " ms: " + body.substring(0, Math.min(200, body.length()));
        }
    }

    private static MongoServer database(Path file, int port) {
        MongoServer server = new MongoServer(new H2Backend(file.toString()));
        server.bind("127.0.0.1", port);
        return server;
    }

    @Test
    void requestsNeedingTheDatabaseAnswer503PromptlyWhileItIsDownAndAllRecoversByItself(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("outage.mv");
        int port = PackagedJar.freeLoopbackPort();
        MongoServer database = database(file, port);
        try (KnotServer knot = KnotServer.start()) {
            String limit = "1000000/60s"; // counted (in the database) on every request, never reached
            Config config = Config.from(Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot"),
                    "DNSDIG_MONGODB_URI", "mongodb://127.0.0.1:" + port + "/outage", "DNSDIG_SHUTDOWN_GRACE_MS", "1000",
                    "DNSDIG_RATELIMIT_ANONYMOUS", limit, "DNSDIG_RATELIMIT_USER", limit, "DNSDIG_RATELIMIT_LOGIN", limit,
                    "DNSDIG_DNSSEC_TRUST_ANCHORS", "off"));
            try (DnsDigServer server = DnsDigServer.start(config)) {
                String base = server.baseUri();
                String reader = signUpAndLogIn(base, "reader");
                String writer = signUpAndLogIn(base, "writer");
                HttpResponse<String> first = send(base, "POST", "/v1/todos", writer, "{\"title\":\"before the outage\"}");
                assertEquals(201, first.statusCode(), first.body());
                String todo = "/v1/todos/" + JSON.readTree(first.body()).get("id").asText();
                assertEquals(200, send(base, "GET", "/v1/resolve/www.dnsdig.test/A", reader, null).statusCode());

                Map<Kind, Function<Integer, HttpRequest>> requests = Map.of(
                        Kind.TODO_CREATE, i -> request(base, "POST", "/v1/todos", writer, "{\"title\":\"todo " + i + "\"}"),
                        Kind.TODO_READ, i -> request(base, "GET", todo, writer, null),
                        Kind.SIGN_UP, i -> request(base, "POST", "/v1/users", null, "{\"email\":\"user" + i
                                + "@example.com\",\"username\":\"user" + i + "\",\"password\":\"" + PASSWORD + "\"}"),
                        Kind.LOGIN, i -> request(base, "POST", "/v1/auth/login", null, credentials("writer")),
                        Kind.RESOLVE, i -> request(base, "GET", "/v1/resolve/www.dnsdig.test/A", reader, null),
                        Kind.FREESOLVE, i -> request(base, "GET", "/v1/freesolve/www.dnsdig.test/A", null, null),
                        Kind.JSON_API, i -> request(base, "GET", "/resolve?name=www.dnsdig.test&type=A", null, null),
                        Kind.READY, i -> request(base, "GET", "/health/ready", null, null));
                ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger sequence = new AtomicInteger();
                long stopped;
                long restarted;
                long recovered;
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> load = new ArrayList<>();
                    for (Kind kind : Kind.values()) {
                        load.add(clients.submit(() -> {
                            while (!stop.get()) {
                                answers.add(ask(kind, requests.get(kind).apply(sequence.incrementAndGet())));
                                // a short pause: the sign-ups' password hashing must not take the machine
                                Thread.sleep(kind == Kind.SIGN_UP || kind == Kind.LOGIN ? 50 : 10);
                            }
                            return null;
                        }));
                    }
                    Thread.sleep(1_000);
                    database.shutdownNow();
                    stopped = System.nanoTime();
                    Thread.sleep(OUTAGE_MILLIS);
                    restarted = System.nanoTime();
                    database = database(file, port);
                    recovered = awaitRecovery(answers, restarted);
                    Thread.sleep(1_000); // and some load after it
                    stop.set(true);
                    for (Future<?> client : load) {
                        client.get(30, TimeUnit.SECONDS);
                    }
                }

                List<Answer> all = List.copyOf(answers);
                // never a 500, nor anything unexpected, at any time; every request answered
                Set<Integer> expected = Set.of(200, 201, 503);
                assertEquals(List.of(), all.stream().filter(a -> !expected.contains(a.status())).toList());
                assertEquals(0.0, count(server.meters(), "500"), "500s in the server's own meters");

                List<Answer> during = all.stream().filter(a -> a.sent() > stopped && a.done() < restarted).toList();
                Map<Kind, List<Answer>> byKind = during.stream().collect(Collectors.groupingBy(Answer::kind));
                for (Kind kind : Kind.values()) {
                    // readiness waits for its ping to fail (0.3 s): fewer of those
                    assertTrue(byKind.getOrDefault(kind, List.of()).size() >= 2, kind + " was hardly asked during the outage: "
                            + byKind.get(kind));
                }
                for (Answer answer : during) {
                    if (answer.kind().needsDatabase) {
                        assertEquals(503, answer.status(), answer::toString);
                        assertEquals("application/problem+json", answer.contentType(), answer::toString);
                        assertEquals("urn:dnsdig:problem:dependency-unavailable", JSON.readTree(answer.body()).get("type").asText());
                        assertTrue(!answer.retryAfter().isEmpty(), "no Retry-After: " + answer);
                        assertTrue(answer.took().compareTo(PROMPT) < 0, "not within a second: " + answer);
                    }
                }
                for (Answer ready : byKind.get(Kind.READY)) {
                    assertEquals(503, ready.status(), ready::toString);
                    JsonNode mongo = JSON.readTree(ready.body()).get("checks").get("mongodb");
                    assertEquals("DOWN", mongo.get("status").asText(), ready::toString);
                    assertTrue(ready.took().compareTo(PROMPT) < 0, "not within a second: " + ready);
                }
                // lookups need no database: anonymous ones go on; a signed-in user read shortly before keeps resolving
                for (Answer lookup : during.stream().filter(a -> !a.kind().needsDatabase && a.kind() != Kind.READY).toList()) {
                    assertEquals(200, lookup.status(), lookup::toString);
                }

                // back by itself, soon after the database, and everything works as before
                assertTrue(Duration.ofNanos(recovered - restarted).compareTo(Duration.ofSeconds(5)) < 0,
                        "recovered only " + Duration.ofNanos(recovered - restarted).toMillis() + " ms after the restart");
                assertEquals(200, send(base, "GET", todo, writer, null).statusCode());
                assertEquals(201, send(base, "POST", "/v1/users", null, "{\"email\":\"after@example.com\",\"username\":"
                        + "\"after\",\"password\":\"" + PASSWORD + "\"}").statusCode());
                signUpAndLogIn(base, "later");
                assertEquals(200, awaitReady(base), "readiness after the outage");

                // what could not be written meanwhile was counted, not waited for
                MeterRegistry meters = server.meters();
                assertTrue(meters.get("dnsdig.history.failed").functionCounter().count() > 0, "lookup records lost, uncounted");
                assertTrue(meters.get("dnsdig.ratelimit.fallback").functionCounter().count() > 0, "rate limits not counted here");
                assertTrue(meters.get("dnsdig.storage.unavailable").functionCounter().count() > 0, "refusals uncounted");
            } finally {
                database.shutdownNow();
            }
        }
    }

    private static double count(MeterRegistry meters, String status) {
        return Search.in(meters).name("http.server.requests").tag("status", status).timers().stream()
                .mapToDouble(timer -> timer.count()).sum();
    }

    /** When a todo could first be created again, after {@code restarted}. */
    private static long awaitRecovery(ConcurrentLinkedQueue<Answer> answers, long restarted) throws InterruptedException {
        long giveUp = restarted + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < giveUp) {
            for (Answer answer : answers) {
                if (answer.kind() == Kind.TODO_CREATE && answer.sent() > restarted && answer.status() == 201) {
                    return answer.done();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no todo created within 15 s of the database's restart");
    }

    /** Readiness asks the database itself: it follows within a moment. */
    private static int awaitReady(String base) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int status;
        do {
            status = send(base, "GET", "/health/ready", null, null).statusCode();
        } while (status != 200 && System.nanoTime() < giveUp && sleep());
        return status;
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }

    private static Answer ask(Kind kind, HttpRequest request) throws IOException, InterruptedException {
        long sent = System.nanoTime();
        HttpResponse<String> response = HTTP11.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(kind, sent, System.nanoTime(), response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.headers().firstValue("Retry-After").orElse(""),
                response.body());
    }

    private static String credentials(String name) {
        return "{\"email\":\"" + name + "@example.com\",\"password\":\"" + PASSWORD + "\"}";
    }

    private static HttpRequest request(String base, String method, String path, String bearer, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return request.build();
    }

    private static HttpResponse<String> send(String base, String method, String path, String bearer, String json)
            throws Exception {
        return HTTP11.send(request(base, method, path, bearer, json), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs up and logs in: a bearer header. */
    private static String signUpAndLogIn(String base, String name) throws Exception {
        HttpResponse<String> created = send(base, "POST", "/v1/users", null, "{\"email\":\"" + name
                + "@example.com\",\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> login = send(base, "POST", "/v1/auth/login", null, credentials(name));
        assertEquals(200, login.statusCode(), login.body());
        return "Bearer " + JSON.readTree(login.body()).get("access_token").asText();
    }
}
