package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import dev.dnsdig.adapters.mongo.EmbeddedMongo;
import dev.dnsdig.bootstrap.PackagedJar.Running;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Todos end to end on the packaged jar and its embedded store: create (with an idempotency key), list in pages,
 * conditional changes racing, another user's todo hidden, a restart keeping everything, and an account's deletion
 * removing its todos from the data file itself.
 */
class TodosJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Running start(Path workDir) throws Exception {
        // no lookups here: the provider is a loopback port nobody answers on
        return PackagedJar.start(workDir, Map.of("DNSDIG_HTTP_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", "none=127.0.0.1:" + PackagedJar.freeLoopbackPort()));
    }

    private HttpResponse<String> send(Running jar, String method, String path, String bearer, String body,
                                      String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jar.base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        if (body != null && !List.of(headers).contains("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs up and logs in; returns the bearer header. */
    private String account(Running jar, String name) throws Exception {
        assertEquals(201, send(jar, "POST", "/v1/users", null, "{\"email\":\"" + name + "@example.com\",\"username\":\""
                + name + "\",\"password\":\"Secret123\"}").statusCode());
        HttpResponse<String> login = send(jar, "POST", "/v1/auth/login", null,
                "{\"email\":\"" + name + "@example.com\",\"password\":\"Secret123\"}");
        assertEquals(200, login.statusCode(), login.body());
        return "Bearer " + JSON.readTree(login.body()).get("access_token").asText();
    }

    @Test
    void todosLiveInTheEmbeddedStoreBelongToTheirOwnerAndGoWithTheAccount(@TempDir Path workDir) throws Exception {
        Running first = start(workDir);
        String ann = account(first, "ann");
        String bob = account(first, "bob");

        // created with a key; the repeat gets the first answer, not a second todo
        String body = "{\"title\":\"  file taxes \",\"dueAt\":\"2027-04-15T12:00:00+02:00\"}";
        HttpResponse<String> created = send(first, "POST", "/v1/todos", ann, body, "Idempotency-Key", "taxes-2027");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode todo = JSON.readTree(created.body());
        String id = todo.get("id").asText();
        assertEquals("file taxes", todo.get("title").asText());
        assertEquals("2027-04-15T10:00:00Z", todo.get("dueAt").asText());
        assertEquals(first.base() + "/v1/todos/" + id, created.headers().firstValue("Location").orElseThrow());
        assertEquals("\"0\"", created.headers().firstValue("ETag").orElseThrow());
        HttpResponse<String> repeated = send(first, "POST", "/v1/todos", ann, body, "Idempotency-Key", "taxes-2027");
        assertEquals(201, repeated.statusCode());
        assertEquals(created.body(), repeated.body());
        assertEquals(422, send(first, "POST", "/v1/todos", ann, "{\"title\":\"other\"}", "Idempotency-Key", "taxes-2027").statusCode());

        // 25 more, listed newest first in pages of 10 that follow the next links
        for (int i = 0; i < 25; i++) {
            assertEquals(201, send(first, "POST", "/v1/todos", ann, "{\"title\":\"todo " + i + "\",\"completed\":" + (i % 5 == 0) + "}").statusCode());
        }
        List<String> titles = new ArrayList<>();
        String next = "/v1/todos?limit=10";
        while (next != null) {
            HttpResponse<String> page = send(first, "GET", next, ann, null);
            assertEquals(200, page.statusCode(), page.body());
            JsonNode json = JSON.readTree(page.body());
            json.get("items").forEach(item -> titles.add(item.get("title").asText()));
            next = json.hasNonNull("next") ? URI.create(json.get("next").asText()).getRawPath() + "?"
                    + URI.create(json.get("next").asText()).getRawQuery() : null;
        }
        assertEquals(26, titles.size());
        assertEquals("todo 24", titles.get(0));
        assertEquals("file taxes", titles.get(25));
        JsonNode done = JSON.readTree(send(first, "GET", "/v1/todos?completed=true&limit=100", ann, null).body());
        assertEquals(5, done.get("items").size());

        // bob sees none of it, and cannot touch it
        assertEquals(0, JSON.readTree(send(first, "GET", "/v1/todos", bob, null).body()).get("items").size());
        assertEquals(404, send(first, "GET", "/v1/todos/" + id, bob, null).statusCode());
        assertEquals(404, send(first, "PATCH", "/v1/todos/" + id, bob, "{\"completed\":true}").statusCode());
        assertEquals(404, send(first, "DELETE", "/v1/todos/" + id, bob, null).statusCode());

        // two changes with the same ETag at once: exactly one wins, the other is told its ETag is stale
        List<Integer> statuses = race(first, ann, id, "\"0\"");
        assertEquals(List.of(200, 412), statuses.stream().sorted().toList(), statuses.toString());
        JsonNode after = JSON.readTree(send(first, "GET", "/v1/todos/" + id, ann, null).body());
        assertEquals(1, after.get("version").asInt());
        assertTrue(after.get("title").asText().startsWith("racer "), after.toString());

        first.sigterm();
        assertEquals(0, first.process().exitValue(), String.join("\n", first.output()));

        // everything acknowledged is still there after a restart, and the key is still remembered
        Running second = start(workDir);
        HttpResponse<String> kept = send(second, "GET", "/v1/todos/" + id, ann, null);
        assertEquals(200, kept.statusCode(), kept.body());
        assertEquals(after, JSON.readTree(kept.body()));
        HttpResponse<String> replayed = send(second, "POST", "/v1/todos", ann, body, "Idempotency-Key", "taxes-2027");
        assertEquals(created.body(), replayed.body(), "the first response again, after the restart too");
        String annId = JSON.readTree(send(second, "GET", "/v1/me", ann, null).body()).get("id").asText();
        String bobsTodo = JSON.readTree(send(second, "POST", "/v1/todos", bob, "{\"title\":\"bob's\"}").body()).get("id").asText();

        assertEquals(204, send(second, "DELETE", "/v1/me", ann, null).statusCode());
        assertEquals(200, send(second, "GET", "/v1/todos/" + bobsTodo, bob, null).statusCode());
        second.sigterm();
        assertEquals(0, second.process().exitValue(), String.join("\n", second.output()));

        // the data file itself: none of ann's todos or keys left, bob's todo still there
        try (EmbeddedMongo store = EmbeddedMongo.start(workDir.resolve("data"))) {
            MongoCollection<Document> todos = store.client().getDatabase("dnsdig").getCollection("todos");
            assertEquals(0, todos.countDocuments(new Document("ownerId", annId)));
            assertEquals(1, todos.countDocuments());
            assertEquals(0, store.client().getDatabase("dnsdig").getCollection("idempotency_keys")
                    .countDocuments(new Document("ownerId", annId)));
        }
    }

    /** Two PATCHes with the same If-Match, released together; their statuses. */
    private List<Integer> race(Running jar, String bearer, String id, String etag) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String title = "racer " + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return send(jar, "PATCH", "/v1/todos/" + id, bearer, "{\"title\":\"" + title + "\"}",
                            "If-Match", etag, "Content-Type", "application/merge-patch+json").statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            return statuses;
        }
    }
}
