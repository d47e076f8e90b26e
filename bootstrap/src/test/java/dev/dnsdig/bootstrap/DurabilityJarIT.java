package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.bootstrap.PackagedJar.Running;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost when the server is killed: clients write through the API at once (sign-ups, todo
 * creates with and without an idempotency key, changes, deletes, refresh-token rotations), the packaged jar is
 * killed with SIGKILL while their requests are in flight, and the restarted jar on the same data directory still has
 * every write that got a 2xx: the accounts log in, the todos read back exactly as last acknowledged (and no more of
 * them), deleted ones stay deleted, each key replays its first answer, the newest refresh token rotates and the ones
 * it replaced count as used. A write whose answer never came may have happened or not: both are accepted.
 */
class DurabilityJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 8;
    /** Kill once this many writes were acknowledged (and this many sign-ups among them). */
    private static final int KILL_AFTER_WRITES = 250;
    private static final int KILL_AFTER_SIGN_UPS = 5;
    private static final String PASSWORD = "Durable123";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Running start(Path workDir) throws Exception {
        // no lookups here: the provider is a loopback port nobody answers on; no limits: this is a flood on purpose
        return PackagedJar.start(workDir, Map.of("DNSDIG_HTTP_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", "none=127.0.0.1:" + PackagedJar.freeLoopbackPort(),
                "DNSDIG_RATELIMIT_ANONYMOUS", "off", "DNSDIG_RATELIMIT_USER", "off", "DNSDIG_RATELIMIT_LOGIN", "off"));
    }

    private HttpResponse<String> send(String base, String method, String path, String bearer, String body,
                                      String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** What one client saw acknowledged, and the one write it had in flight when the answers stopped. */
    private static final class Client {
        final int number;
        final Random random;
        String bearer;
        /** Refresh tokens in the order they were handed out; the last one is the live one. */
        final List<String> refreshTokens = new ArrayList<>();
        /** Each todo as its last acknowledged answer showed it; deleted ones map to empty. */
        final Map<String, Optional<JsonNode>> todos = new LinkedHashMap<>();
        /** Idempotency key -> the body of the acknowledged 201, and what was sent with it. */
        final Map<String, String[]> keyed = new LinkedHashMap<>();
        final List<String> signedUp = new ArrayList<>();
        int acknowledged;
        Pending pending;

        Client(int number) {
            this.number = number;
            this.random = new Random(number);
        }

        List<String> liveTodos() {
            return todos.entrySet().stream().filter(e -> e.getValue().isPresent()).map(Map.Entry::getKey).toList();
        }
    }

    /** A write sent whose answer never came: {@code todo} is the todo it was about, {@code title} what it set. */
    private record Pending(String kind, String todo, String title) {
    }

    @Test
    void everyAcknowledgedWriteSurvivesAKill(@TempDir Path workDir) throws Exception {
        Running first = start(workDir);
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Client client = new Client(i);
            signUp(first.base(), "owner" + i);
            JsonNode login = json(send(first.base(), "POST", "/v1/auth/login", null, credentials("owner" + i)));
            client.bearer = "Bearer " + login.get("access_token").asText();
            client.refreshTokens.add(login.get("refresh_token").asText());
            clients.add(client);
        }

        AtomicInteger writes = new AtomicInteger();
        AtomicInteger signUps = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger cutOff = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> running = new ArrayList<>();
            for (Client client : clients) {
                running.add(pool.submit(() -> {
                    while (true) {
                        try {
                            writeOnce(first.base(), client, writes, signUps);
                        } catch (IOException noAnswer) {
                            // the server died with this write in flight: it may or may not have happened
                            if (!killed.get()) {
                                throw noAnswer;
                            }
                            cutOff.incrementAndGet();
                            return null;
                        }
                        if (killed.get()) {
                            // answered in the last moment before the kill: acknowledged like the others
                            return null;
                        }
                    }
                }));
            }
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((writes.get() < KILL_AFTER_WRITES || signUps.get() < KILL_AFTER_SIGN_UPS) && System.nanoTime() < giveUp
                    && running.stream().noneMatch(Future::isDone)) {
                Thread.sleep(1);
            }
            assertTrue(running.stream().noneMatch(Future::isDone), "a client stopped before the kill: "
                    + running.stream().filter(Future::isDone).findFirst().map(DurabilityJarIT::failure).orElse(""));
            assertTrue(writes.get() >= KILL_AFTER_WRITES && signUps.get() >= KILL_AFTER_SIGN_UPS,
                    "too slow: " + writes + " writes, " + signUps + " sign-ups in 120 s");
            killed.set(true);
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
            for (Future<?> client : running) {
                client.get(60, TimeUnit.SECONDS);
            }
        }
        assertEquals(137, first.process().exitValue(), "killed by SIGKILL");
        // proof that the kill hit writes on their way, not a quiet server
        assertTrue(cutOff.get() > 0, "no write was in flight at the kill");

        Running second = start(workDir);
        try (second) {
            int checked = 0;
            for (Client client : clients) {
                checked += verify(second.base(), client);
            }
            assertTrue(checked >= KILL_AFTER_WRITES, "checked " + checked + " acknowledged writes");
            second.sigterm();
        }
    }

    private static String failure(Future<?> done) {
        try {
            done.get();
            return "finished";
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String credentials(String name) {
        return "{\"email\":\"" + name + "@example.com\",\"password\":\"" + PASSWORD + "\"}";
    }

    private void signUp(String base, String name) throws Exception {
        HttpResponse<String> created = send(base, "POST", "/v1/users", null, "{\"email\":\"" + name
                + "@example.com\",\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, created.statusCode(), created.body());
    }

    /** One write, chosen at random; what it was is kept as pending until its 2xx is recorded. */
    private void writeOnce(String base, Client client, AtomicInteger writes, AtomicInteger signUps)
            throws IOException, InterruptedException {
        int dice = client.random.nextInt(100);
        List<String> live = client.liveTodos();
        if (dice < 4) {
            String name = "c" + client.number + "u" + client.signedUp.size();
            client.pending = new Pending("sign-up", null, null);
            HttpResponse<String> created = send(base, "POST", "/v1/users", null, "{\"email\":\"" + name
                    + "@example.com\",\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
            expect(201, created);
            client.signedUp.add(name);
            signUps.incrementAndGet();
        } else if (dice < 10) {
            client.pending = new Pending("refresh", null, null);
            HttpResponse<String> rotated = send(base, "POST", "/v1/auth/refresh", null,
                    "{\"refresh_token\":\"" + client.refreshTokens.getLast() + "\"}");
            expect(200, rotated);
            client.refreshTokens.add(json(rotated).get("refresh_token").asText());
        } else if (dice < 45 || live.isEmpty()) {
            String title = "todo " + client.todos.size() + " of " + client.number;
            String body = "{\"title\":\"" + title + "\",\"description\":\"written before the kill\"}";
            client.pending = new Pending("create", null, title);
            HttpResponse<String> created;
            if (dice % 2 == 0) {
                String key = "key-" + client.number + "-" + client.keyed.size();
                created = send(base, "POST", "/v1/todos", client.bearer, body, "Idempotency-Key", key);
                expect(201, created);
                client.keyed.put(key, new String[] {body, created.body()});
            } else {
                created = send(base, "POST", "/v1/todos", client.bearer, body);
                expect(201, created);
            }
            client.todos.put(json(created).get("id").asText(), Optional.of(json(created)));
        } else if (dice < 85) {
            String id = live.get(client.random.nextInt(live.size()));
            String title = "changed " + client.random.nextInt(1_000_000);
            client.pending = new Pending("change", id, title);
            HttpResponse<String> changed = dice < 65
                    ? send(base, "PATCH", "/v1/todos/" + id, client.bearer, "{\"title\":\"" + title + "\",\"completed\":true}")
                    : send(base, "PUT", "/v1/todos/" + id, client.bearer, "{\"title\":\"" + title + "\"}");
            expect(200, changed);
            client.todos.put(id, Optional.of(json(changed)));
        } else {
            String id = live.get(client.random.nextInt(live.size()));
            client.pending = new Pending("delete", id, null);
            expect(204, send(base, "DELETE", "/v1/todos/" + id, client.bearer, null));
            client.todos.put(id, Optional.empty());
        }
        client.pending = null;
        client.acknowledged++;
        writes.incrementAndGet();
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Checks everything {@code client} saw acknowledged against the restarted server; returns how many writes. */
    private int verify(String base, Client client) throws Exception {
        Pending pending = client.pending;
        String who = "client " + client.number + " (in flight at the kill: " + pending + ")";
        for (String name : client.signedUp) {
            HttpResponse<String> login = send(base, "POST", "/v1/auth/login", null, credentials(name));
            assertEquals(200, login.statusCode(), who + ": account " + name + " lost: " + login.body());
        }

        for (Map.Entry<String, Optional<JsonNode>> todo : client.todos.entrySet()) {
            HttpResponse<String> read = send(base, "GET", "/v1/todos/" + todo.getKey(), client.bearer, null);
            boolean inFlight = pending != null && todo.getKey().equals(pending.todo());
            if (todo.getValue().isEmpty()) {
                assertEquals(404, read.statusCode(), who + ": deleted todo " + todo.getKey() + " is back: " + read.body());
            } else if (inFlight && "delete".equals(pending.kind()) && read.statusCode() == 404) {
                continue; // the delete in flight happened
            } else {
                assertEquals(200, read.statusCode(), who + ": todo " + todo.getKey() + " lost: " + read.body());
                JsonNode acknowledged = todo.getValue().get();
                JsonNode stored = json(read);
                if (inFlight && "change".equals(pending.kind()) && !stored.equals(acknowledged)) {
                    // the change in flight happened: one version on, with its title
                    assertEquals(pending.title(), stored.get("title").asText(), who);
                    assertEquals(acknowledged.get("version").asInt() + 1, stored.get("version").asInt(), who);
                } else {
                    assertEquals(acknowledged, stored, who + ": todo " + todo.getKey() + " is not as acknowledged");
                }
            }
        }
        // and no todo that was never acknowledged, but for a create in flight
        List<String> listed = new ArrayList<>();
        JsonNode page = json(send(base, "GET", "/v1/todos?limit=100", client.bearer, null));
        while (true) {
            page.get("items").forEach(item -> listed.add(item.get("id").asText()));
            if (!page.hasNonNull("next")) {
                break;
            }
            URI next = URI.create(page.get("next").asText());
            page = json(send(base, "GET", next.getRawPath() + "?" + next.getRawQuery(), client.bearer, null));
        }
        List<String> unknown = listed.stream().filter(id -> !client.todos.containsKey(id)).toList();
        assertTrue(unknown.isEmpty() || unknown.size() == 1 && pending != null && "create".equals(pending.kind()),
                who + ": todos nobody acknowledged: " + unknown);

        for (Map.Entry<String, String[]> keyed : client.keyed.entrySet()) {
            HttpResponse<String> replayed = send(base, "POST", "/v1/todos", client.bearer, keyed.getValue()[0],
                    "Idempotency-Key", keyed.getKey());
            assertEquals(201, replayed.statusCode(), who + ": key " + keyed.getKey() + ": " + replayed.body());
            assertEquals("true", replayed.headers().firstValue("Idempotent-Replayed").orElse(""), who + ": key " + keyed.getKey());
            assertEquals(keyed.getValue()[1], replayed.body(), who + ": key " + keyed.getKey() + " answers otherwise");
        }

        // a rotation in flight may have used the newest token up: then only the earlier ones can be checked
        if (pending == null || !"refresh".equals(pending.kind())) {
            HttpResponse<String> rotated = send(base, "POST", "/v1/auth/refresh", null,
                    "{\"refresh_token\":\"" + client.refreshTokens.getLast() + "\"}");
            assertEquals(200, rotated.statusCode(), who + ": the newest refresh token: " + rotated.body());
        }
        if (client.refreshTokens.size() > 1) {
            HttpResponse<String> reused = send(base, "POST", "/v1/auth/refresh", null,
                    "{\"refresh_token\":\"" + client.refreshTokens.get(client.refreshTokens.size() - 2) + "\"}");
            assertEquals(401, reused.statusCode(), who + ": a replaced refresh token still works: " + reused.body());
            assertTrue(reused.body().contains("already used"), who + ": " + reused.body());
        }
        return client.acknowledged;
    }
}
