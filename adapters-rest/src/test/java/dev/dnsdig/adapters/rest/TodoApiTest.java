package dev.dnsdig.adapters.rest;

import static dev.dnsdig.adapters.rest.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dnsdig.application.port.out.IdempotencyStore;
import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/todos} over real HTTP: CRUD, ETags and preconditions, idempotent creation, pagination, isolation. */
class TodoApiTest {
    private static final String TODOS = "/v1/todos";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final int LIMIT = 64 * 1024;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestApi api;
    private User alice;
    private User bob;
    private String aliceAuth;
    private String bobAuth;

    @BeforeEach
    void start() {
        api = TestApi.withScriptedDns();
        alice = api.user("alice");
        bob = api.user("bob");
        aliceAuth = api.bearer(alice);
        bobAuth = api.bearer(bob);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    // ---- helpers

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), response.body());
        JsonNode body = json(response);
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.hasNonNull("type") && body.hasNonNull("title") && body.hasNonNull("detail"), body.toString());
        for (String leak : List.of("Exception", "com.fasterxml", "dev.dnsdig", "jersey", "at java.")) {
            assertFalse(response.body().contains(leak), "nothing internal reaches the client: " + response.body());
        }
        return body;
    }

    /** The fields a 422 names, in the order given. */
    private static List<String> errorFields(JsonNode problem) {
        assertEquals("urn:dnsdig:problem:validation", problem.get("type").asText(), problem.toString());
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> {
            assertFalse(error.get("message").asText().isBlank(), problem.toString());
            fields.add(error.get("field").asText());
        });
        return fields;
    }

    private static List<String> sorted(String... fields) {
        return java.util.Arrays.stream(fields).sorted().toList();
    }

    private static String etag(HttpResponse<String> response) {
        return response.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag: " + response.headers()));
    }

    private static String quoted(long version) {
        return "\"" + version + "\"";
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        return api.send(method, path, body, headers);
    }

    private JsonNode create(String auth, String body, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = auth;
        System.arraycopy(headers, 0, all, 2, headers.length);
        HttpResponse<String> response = send("POST", TODOS, body, all);
        assertEquals(201, response.statusCode(), response.body());
        return json(response);
    }

    private String createId(String auth, String title) throws Exception {
        return create(auth, "{\"title\":\"" + title + "\"}").get("id").asText();
    }

    private HttpResponse<String> get(String auth, String id, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = auth;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("GET", TODOS + "/" + id, null, all);
    }

    private JsonNode getBody(String auth, String id) throws Exception {
        HttpResponse<String> response = get(auth, id);
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    private HttpResponse<String> getUrl(String url, String auth) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> chunked(String method, String path, byte[] body, String auth) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base + path))
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .header("Content-Type", "application/json").header("Authorization", auth).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private List<Todo> stored(User user) {
        return api.todos.list(user.id(), Optional.empty(), Optional.empty(), 100).items();
    }

    private String token(User user, Permission... permissions) {
        return "Bearer " + api.tokens.issue(user.id(), Set.of(permissions), Instant.now()).token();
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /** A valid id of a todo nobody has. */
    private static String unknownId() {
        return TodoId.generate(Instant.now()).value();
    }

    /** A problem body without what names this one request: instance, request id, and the id asked for. */
    private static JsonNode comparable(JsonNode problem, String id) {
        ObjectNode copy = problem.deepCopy();
        copy.remove("instance");
        copy.remove("requestId");
        copy.put("detail", copy.get("detail").asText().replace(id, "{id}"));
        return copy;
    }

    private static Set<String> headerNames(HttpResponse<String> response) {
        Set<String> names = new TreeSet<>(response.headers().map().keySet().stream().map(String::toLowerCase).toList());
        names.remove("date");
        return names;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static List<String> titles(JsonNode page) {
        List<String> titles = new ArrayList<>();
        page.get("items").forEach(item -> titles.add(item.get("title").asText()));
        return titles;
    }

    // ---- create

    @Test
    void createAnswers201WithLocationETagAndTheTodo() throws Exception {
        HttpResponse<String> response = send("POST", TODOS,
                "{\"title\":\"  Buy milk  \",\"description\":\"2 litres\",\"dueAt\":\"2026-12-24T18:00:00.123456+01:00\"}",
                "Authorization", aliceAuth);
        assertEquals(201, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode todo = json(response);
        String id = todo.get("id").asText();
        assertTrue(TodoId.isValid(id), id);
        assertEquals(api.base + TODOS + "/" + id, response.headers().firstValue("Location").orElseThrow());
        assertEquals("\"0\"", etag(response));
        assertTrue(response.headers().firstValue("Idempotent-Replayed").isEmpty());
        assertEquals("Buy milk", todo.get("title").asText(), "the title is trimmed");
        assertEquals("2 litres", todo.get("description").asText());
        assertFalse(todo.get("completed").asBoolean());
        assertEquals("2026-12-24T17:00:00.123Z", todo.get("dueAt").asText(), "UTC, whole milliseconds");
        assertEquals(0, todo.get("version").asLong());
        Instant createdAt = Instant.parse(todo.get("createdAt").asText());
        assertEquals(createdAt, Instant.parse(todo.get("updatedAt").asText()));
        assertTrue(Duration.between(createdAt, Instant.now()).abs().toSeconds() < 60, createdAt::toString);
        assertEquals(Set.of("id", "title", "description", "completed", "dueAt", "createdAt", "updatedAt", "version"),
                fieldNames(todo), "no owner or anything else");

        HttpResponse<String> read = getUrl(response.headers().firstValue("Location").orElseThrow(), aliceAuth);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(todo, json(read));
        assertEquals("\"0\"", etag(read));
        assertEquals(1, stored(alice).size());
        assertEquals(alice.id(), stored(alice).get(0).owner());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void createDefaultsTheOptionalFieldsAndAcceptsTheLimits() throws Exception {
        JsonNode minimal = create(aliceAuth, "{\"title\":\"x\"}");
        assertEquals("", minimal.get("description").asText());
        assertFalse(minimal.get("completed").asBoolean());
        assertTrue(minimal.has("dueAt") && minimal.get("dueAt").isNull(), minimal.toString());

        JsonNode nulls = create(aliceAuth, "{\"title\":\"y\",\"description\":null,\"dueAt\":null,\"completed\":true}");
        assertEquals("", nulls.get("description").asText());
        assertTrue(nulls.get("dueAt").isNull());
        assertTrue(nulls.get("completed").asBoolean());

        String title = repeat('t', 200);
        String description = repeat('d', 2000);
        JsonNode longest = create(aliceAuth, "{\"title\":\"" + title + "\",\"description\":\"" + description
                + "\",\"dueAt\":\"9999-12-31T23:59:59.999Z\"}");
        assertEquals(title, longest.get("title").asText());
        assertEquals(description, longest.get("description").asText());
        assertEquals("9999-12-31T23:59:59.999Z", longest.get("dueAt").asText());
        String emoji = "\uD83D\uDE00".repeat(200);
        assertEquals(emoji, create(aliceAuth, "{\"title\":\"" + emoji + "\"}").get("title").asText(),
                "200 characters, not 200 UTF-16 units");
        assertEquals(4, stored(alice).size());
    }

    // ---- idempotency

    @Test
    void aRepeatedIdempotencyKeyReplaysTheFirstResponse() throws Exception {
        String body = "{\"title\":\"Pay rent\",\"dueAt\":\"2026-01-01T00:00:00Z\"}";
        HttpResponse<String> first = send("POST", TODOS, body, "Authorization", aliceAuth, "Idempotency-Key", "key-1");
        assertEquals(201, first.statusCode(), first.body());
        assertTrue(first.headers().firstValue("Idempotent-Replayed").isEmpty());
        HttpResponse<String> again = send("POST", TODOS, body, "Authorization", aliceAuth, "Idempotency-Key", "key-1");
        assertEquals(201, again.statusCode(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(json(first), json(again), "the same todo, same id");
        assertEquals(first.headers().firstValue("Location"), again.headers().firstValue("Location"));
        assertEquals(etag(first), etag(again));
        assertEquals(1, stored(alice).size());

        JsonNode reused = problem(send("POST", TODOS, "{\"title\":\"Pay more rent\"}", "Authorization", aliceAuth,
                "Idempotency-Key", "key-1"), 422);
        assertEquals("urn:dnsdig:problem:idempotency-key-reused", reused.get("type").asText());
        assertEquals(1, stored(alice).size(), "nothing created for a reused key");
        assertEquals("Pay rent", stored(alice).get(0).content().title());

        HttpResponse<String> bobs = send("POST", TODOS, body, "Authorization", bobAuth, "Idempotency-Key", "key-1");
        assertEquals(201, bobs.statusCode(), bobs.body());
        assertTrue(bobs.headers().firstValue("Idempotent-Replayed").isEmpty(), "keys are per user");
        assertNotEquals(json(first).get("id"), json(bobs).get("id"));
        assertEquals(1, stored(bob).size());
        assertEquals(bob.id(), stored(bob).get(0).owner());
        assertEquals(1, stored(alice).size());

        HttpResponse<String> otherKey = send("POST", TODOS, body, "Authorization", aliceAuth, "Idempotency-Key", "key-2");
        assertEquals(201, otherKey.statusCode());
        assertTrue(otherKey.headers().firstValue("Idempotent-Replayed").isEmpty());
        HttpResponse<String> noKey = send("POST", TODOS, body, "Authorization", aliceAuth);
        assertEquals(201, noKey.statusCode());
        assertEquals(3, stored(alice).size());
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOneTodo() throws Exception {
        for (int round = 0; round < 5; round++) {
            String key = "race-" + round;
            String body = "{\"title\":\"race " + round + "\"}";
            List<HttpResponse<String>> responses = together(4, i -> send("POST", TODOS, body, "Authorization", aliceAuth,
                    "Idempotency-Key", key));
            Set<String> ids = new HashSet<>();
            int replayed = 0;
            for (HttpResponse<String> response : responses) {
                assertEquals(201, response.statusCode(), response.body());
                ids.add(json(response).get("id").asText());
                replayed += response.headers().firstValue("Idempotent-Replayed").isPresent() ? 1 : 0;
            }
            assertEquals(1, ids.size(), "one todo per key: " + ids);
            assertEquals(3, replayed);
            assertEquals(round + 1, stored(alice).size());
        }
    }

    @Test
    void invalidIdempotencyKeysAre400() throws Exception {
        for (String key : List.of(repeat('k', 256), "has space", "tab\there", "")) {
            JsonNode bad = problem(send("POST", TODOS, "{\"title\":\"x\"}", "Authorization", aliceAuth, "Idempotency-Key", key), 400);
            assertEquals("Idempotency-Key", bad.get("header").asText(), bad.toString());
        }
        assertTrue(stored(alice).isEmpty(), "nothing created");
        // a request refused for its body does not use up its key
        problem(send("POST", TODOS, "{\"title\":\"\"}", "Authorization", aliceAuth, "Idempotency-Key", "k1"), 422);
        HttpResponse<String> fresh = send("POST", TODOS, "{\"title\":\"x\"}", "Authorization", aliceAuth, "Idempotency-Key", "k1");
        assertEquals(201, fresh.statusCode(), fresh.body());
        assertTrue(fresh.headers().firstValue("Idempotent-Replayed").isEmpty());
        HttpResponse<String> longest = send("POST", TODOS, "{\"title\":\"x\"}", "Authorization", aliceAuth,
                "Idempotency-Key", repeat('k', 255));
        assertEquals(201, longest.statusCode(), longest.body());
        assertEquals(2, stored(alice).size());
    }

    // ---- list

    @Test
    void theListHasOnlyTheCallersTodosNewestFirst() throws Exception {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(createId(aliceAuth, "a" + i));
            Thread.sleep(3); // distinct creation times: "newest" is then well defined
        }
        String bobsId = createId(bobAuth, "b0");

        HttpResponse<String> response = send("GET", TODOS, null, "Authorization", aliceAuth);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode page = json(response);
        assertEquals(List.of("a3", "a2", "a1", "a0"), titles(page));
        assertEquals(created.reversed(), ids(page));
        assertFalse(page.has("next"), page.toString());
        assertTrue(response.headers().firstValue("Link").isEmpty());
        assertFalse(response.body().contains(bobsId));

        JsonNode bobsPage = json(send("GET", TODOS, null, "Authorization", bobAuth));
        assertEquals(List.of(bobsId), ids(bobsPage));
        assertEquals("b0", bobsPage.get("items").get(0).get("title").asText());
        assertEquals(0, json(send("GET", TODOS, null, "Authorization", api.bearer(api.user("carol")))).get("items").size());
    }

    @Test
    void paginationFollowsNextUntilItIsAbsentAndSeesEveryTodoOnce() throws Exception {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            created.add(createId(aliceAuth, "t" + i)); // quickly: several share a millisecond
        }
        createId(bobAuth, "not alice's");

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        List<Instant> createdAts = new ArrayList<>();
        String url = api.base + TODOS + "?limit=5";
        while (url != null) {
            HttpResponse<String> response = getUrl(url, aliceAuth);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode page = json(response);
            sizes.add(page.get("items").size());
            seen.addAll(ids(page));
            page.get("items").forEach(item -> createdAts.add(Instant.parse(item.get("createdAt").asText())));
            Optional<String> link = response.headers().firstValue("Link");
            if (page.hasNonNull("next")) {
                url = page.get("next").asText();
                assertTrue(url.startsWith(api.base + TODOS + "?"), url);
                assertTrue(url.contains("limit=5"), "the next page keeps the limit: " + url);
                assertEquals("<" + url + ">; rel=\"next\"", link.orElseThrow());
            } else {
                assertTrue(link.isEmpty(), link::toString);
                url = null;
            }
            assertTrue(sizes.size() < 10, "pagination ends");
        }
        assertEquals(List.of(5, 5, 5, 5, 3), sizes);
        assertEquals(23, seen.size());
        assertEquals(created, new HashSet<>(seen), "every todo exactly once");
        List<Instant> newestFirst = new ArrayList<>(createdAts);
        newestFirst.sort(Comparator.reverseOrder());
        assertEquals(newestFirst, createdAts);

        JsonNode defaults = json(send("GET", TODOS, null, "Authorization", aliceAuth));
        assertEquals(20, defaults.get("items").size(), "20 by default");
        assertTrue(defaults.hasNonNull("next"));
        JsonNode all = json(send("GET", TODOS + "?limit=100", null, "Authorization", aliceAuth));
        assertEquals(seen, ids(all), "pages join up to the whole list, in order");
        assertFalse(all.has("next"));
        JsonNode exact = json(send("GET", TODOS + "?limit=23", null, "Authorization", aliceAuth));
        assertEquals(23, exact.get("items").size());
        assertFalse(exact.has("next"), "no next page when the last item is on this one");
    }

    @Test
    void aCursorShowsNothingOfAnotherUsersTodos() throws Exception {
        for (int i = 0; i < 3; i++) {
            createId(aliceAuth, "a" + i);
            createId(bobAuth, "b" + i);
        }
        JsonNode page = json(send("GET", TODOS + "?limit=1", null, "Authorization", aliceAuth));
        String next = page.get("next").asText();
        // alice's cursor used by bob: bob sees only his own todos after that point
        JsonNode bobs = json(getUrl(next, bobAuth));
        bobs.get("items").forEach(item -> assertTrue(item.get("title").asText().startsWith("b"), bobs.toString()));
    }

    @Test
    void theCompletedFilterSelectsAndKeepsThroughPages() throws Exception {
        List<String> done = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = createId(aliceAuth, "t" + i);
            if (i % 2 == 0) {
                assertEquals(200, send("PATCH", TODOS + "/" + id, "{\"completed\":true}", "Authorization", aliceAuth,
                        "Content-Type", MERGE_PATCH).statusCode());
                done.add(id);
            } else {
                open.add(id);
            }
        }
        String bobsDone = create(bobAuth, "{\"title\":\"b\",\"completed\":true}").get("id").asText();

        JsonNode completed = json(send("GET", TODOS + "?completed=true", null, "Authorization", aliceAuth));
        assertEquals(new HashSet<>(done), new HashSet<>(ids(completed)));
        assertEquals(3, completed.get("items").size());
        completed.get("items").forEach(item -> assertTrue(item.get("completed").asBoolean()));
        JsonNode notCompleted = json(send("GET", TODOS + "?completed=false", null, "Authorization", aliceAuth));
        assertEquals(new HashSet<>(open), new HashSet<>(ids(notCompleted)));
        assertFalse(completed.toString().contains(bobsDone));

        Set<String> paged = new HashSet<>();
        String url = api.base + TODOS + "?completed=true&limit=2";
        int pages = 0;
        while (url != null) {
            JsonNode page = json(getUrl(url, aliceAuth));
            page.get("items").forEach(item -> assertTrue(item.get("completed").asBoolean(), page.toString()));
            paged.addAll(ids(page));
            url = page.hasNonNull("next") ? page.get("next").asText() : null;
            if (url != null) {
                assertTrue(url.contains("completed=true"), url);
            }
            pages++;
        }
        assertEquals(2, pages);
        assertEquals(new HashSet<>(done), paged);
    }

    @Test
    void badListParametersAre400() throws Exception {
        createId(aliceAuth, "x");
        for (String limit : List.of("0", "101", "x", "-1", "1.5", "")) {
            JsonNode bad = problem(send("GET", TODOS + "?limit=" + limit, null, "Authorization", aliceAuth), 400);
            assertEquals("limit", bad.get("parameter").asText(), bad.toString());
        }
        assertEquals(200, send("GET", TODOS + "?limit=100", null, "Authorization", aliceAuth).statusCode());
        assertEquals(200, send("GET", TODOS + "?limit=1", null, "Authorization", aliceAuth).statusCode());
        String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString("12~not-an-id".getBytes(StandardCharsets.UTF_8));
        String noTilde = Base64.getUrlEncoder().withoutPadding().encodeToString(unknownId().getBytes(StandardCharsets.UTF_8));
        for (String cursor : List.of("abc", "!!!", "%25%25", b64, noTilde)) {
            JsonNode bad = problem(send("GET", TODOS + "?cursor=" + cursor, null, "Authorization", aliceAuth), 400);
            assertEquals("cursor", bad.get("parameter").asText(), bad.toString());
        }
        for (String completed : List.of("maybe", "1", "")) {
            JsonNode bad = problem(send("GET", TODOS + "?completed=" + completed, null, "Authorization", aliceAuth), 400);
            assertEquals("completed", bad.get("parameter").asText(), bad.toString());
        }
    }

    // ---- get, ETag, If-None-Match

    @Test
    void getCarriesTheETagAndIfNoneMatchAnswers304() throws Exception {
        String id = createId(aliceAuth, "cached");
        HttpResponse<String> first = get(aliceAuth, id);
        assertEquals(200, first.statusCode());
        assertEquals("\"0\"", etag(first));

        for (String tag : List.of("\"0\"", "W/\"0\"", "\"7\", \"0\"", "*")) {
            HttpResponse<String> notModified = get(aliceAuth, id, "If-None-Match", tag);
            assertEquals(304, notModified.statusCode(), tag);
            assertEquals("\"0\"", etag(notModified));
            assertEquals("", notModified.body());
        }
        assertEquals(200, get(aliceAuth, id, "If-None-Match", "\"1\"").statusCode());
        assertEquals(200, get(aliceAuth, id, "If-None-Match", "\"00\"").statusCode(), "tags compare as text");
        assertEquals(200, get(aliceAuth, id, "If-None-Match", "W/\"+0\"").statusCode(), "tags compare as text");
        assertEquals(304, get(aliceAuth, id, "If-None-Match", ", \"5\",,\"0\" ,").statusCode(), "empty list elements are ignored");

        assertEquals(200, send("PATCH", TODOS + "/" + id, "{\"title\":\"changed\"}", "Authorization", aliceAuth).statusCode());
        HttpResponse<String> changed = get(aliceAuth, id, "If-None-Match", "\"0\"");
        assertEquals(200, changed.statusCode(), "the old tag no longer matches");
        assertEquals("\"1\"", etag(changed));
        assertEquals("changed", json(changed).get("title").asText());
        assertEquals(304, get(aliceAuth, id, "If-None-Match", "\"1\"").statusCode());
    }

    // ---- put, patch, delete

    @Test
    void putReplacesTheWholeTodo() throws Exception {
        JsonNode created = create(aliceAuth,
                "{\"title\":\"Old\",\"description\":\"desc\",\"completed\":true,\"dueAt\":\"2030-01-01T00:00:00Z\"}");
        String id = created.get("id").asText();
        Thread.sleep(2);
        HttpResponse<String> response = send("PUT", TODOS + "/" + id, "{\"title\":\"New\"}", "Authorization", aliceAuth);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode replaced = json(response);
        assertEquals("\"1\"", etag(response));
        assertEquals(id, replaced.get("id").asText());
        assertEquals("New", replaced.get("title").asText());
        assertEquals("", replaced.get("description").asText(), "omitted fields reset to their defaults");
        assertFalse(replaced.get("completed").asBoolean());
        assertTrue(replaced.get("dueAt").isNull());
        assertEquals(1, replaced.get("version").asLong());
        assertEquals(created.get("createdAt"), replaced.get("createdAt"));
        assertTrue(Instant.parse(replaced.get("updatedAt").asText()).isAfter(Instant.parse(created.get("createdAt").asText())));
        assertEquals(replaced, getBody(aliceAuth, id));

        JsonNode full = json(send("PUT", TODOS + "/" + id,
                "{\"title\":\"Full\",\"description\":\"d\",\"completed\":true,\"dueAt\":\"2031-02-03T04:05:06Z\"}",
                "Authorization", aliceAuth));
        assertEquals("d", full.get("description").asText());
        assertTrue(full.get("completed").asBoolean());
        assertEquals("2031-02-03T04:05:06Z", full.get("dueAt").asText());
        assertEquals(2, full.get("version").asLong());

        assertEquals(List.of("title"), errorFields(problem(send("PUT", TODOS + "/" + id, "{\"description\":\"no title\"}",
                "Authorization", aliceAuth), 422)));
        assertEquals("Full", getBody(aliceAuth, id).get("title").asText(), "nothing changed");
    }

    @Test
    void patchMergesAndNullClears() throws Exception {
        JsonNode created = create(aliceAuth, "{\"title\":\"Plan\",\"description\":\"desc\",\"dueAt\":\"2030-01-01T00:00:00Z\"}");
        String path = TODOS + "/" + created.get("id").asText();

        HttpResponse<String> completed = send("PATCH", path, "{\"completed\":true}", "Authorization", aliceAuth,
                "Content-Type", MERGE_PATCH);
        assertEquals(200, completed.statusCode(), completed.body());
        assertEquals("\"1\"", etag(completed));
        JsonNode body = json(completed);
        assertTrue(body.get("completed").asBoolean());
        assertEquals("Plan", body.get("title").asText(), "absent fields stay");
        assertEquals("desc", body.get("description").asText());
        assertEquals("2030-01-01T00:00:00Z", body.get("dueAt").asText());

        JsonNode cleared = json(send("PATCH", path, "{\"description\":null,\"dueAt\":null}", "Authorization", aliceAuth,
                "Content-Type", MERGE_PATCH));
        assertEquals("", cleared.get("description").asText());
        assertTrue(cleared.get("dueAt").isNull());
        assertTrue(cleared.get("completed").asBoolean());
        assertEquals(2, cleared.get("version").asLong());

        HttpResponse<String> plainJson = send("PATCH", path, "{\"title\":\" Renamed \"}", "Authorization", aliceAuth);
        assertEquals(200, plainJson.statusCode(), "application/json is accepted too: " + plainJson.body());
        assertEquals("Renamed", json(plainJson).get("title").asText());

        JsonNode nullTitle = problem(send("PATCH", path, "{\"title\":null}", "Authorization", aliceAuth,
                "Content-Type", MERGE_PATCH), 422);
        assertEquals(List.of("title"), errorFields(nullTitle));
        assertEquals(getBody(aliceAuth, created.get("id").asText()), json(plainJson), "nothing changed");

        HttpResponse<String> empty = send("PATCH", path, "{}", "Authorization", aliceAuth, "Content-Type", MERGE_PATCH);
        assertEquals(200, empty.statusCode());
        assertEquals(3, json(empty).get("version").asLong(), "an empty patch changes nothing");
    }

    @Test
    void otherContentTypesAre415() throws Exception {
        String id = createId(aliceAuth, "typed");
        problem(send("POST", TODOS, "{\"title\":\"x\"}", "Authorization", aliceAuth, "Content-Type", "text/plain"), 415);
        problem(send("PUT", TODOS + "/" + id, "{\"title\":\"x\"}", "Authorization", aliceAuth, "Content-Type", "text/plain"), 415);
        problem(send("PATCH", TODOS + "/" + id, "{\"title\":\"x\"}", "Authorization", aliceAuth, "Content-Type", "text/plain"), 415);
        problem(send("PATCH", TODOS + "/" + id, "title=x", "Authorization", aliceAuth,
                "Content-Type", "application/x-www-form-urlencoded"), 415);
        assertEquals(1, stored(alice).size());
        assertEquals("typed", stored(alice).get(0).content().title());
        assertEquals(0, stored(alice).get(0).version());
    }

    @Test
    void deleteAnswers204AndTheTodoIsGone() throws Exception {
        String id = createId(aliceAuth, "doomed");
        String keep = createId(aliceAuth, "kept");
        HttpResponse<String> deleted = send("DELETE", TODOS + "/" + id, null, "Authorization", aliceAuth);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("", deleted.body());
        problem(get(aliceAuth, id), 404);
        problem(send("DELETE", TODOS + "/" + id, null, "Authorization", aliceAuth), 404);
        problem(send("PUT", TODOS + "/" + id, "{\"title\":\"back\"}", "Authorization", aliceAuth), 404);
        problem(send("PATCH", TODOS + "/" + id, "{\"title\":\"back\"}", "Authorization", aliceAuth), 404);
        assertEquals(List.of(keep), ids(json(send("GET", TODOS, null, "Authorization", aliceAuth))));
        assertEquals(1, stored(alice).size());
    }

    // ---- If-Match

    @Test
    void aStaleIfMatchIs412AndChangesNothing() throws Exception {
        String id = createId(aliceAuth, "guarded");
        String path = TODOS + "/" + id;
        assertEquals(200, send("PATCH", path, "{\"description\":\"v1\"}", "Authorization", aliceAuth).statusCode());
        JsonNode before = getBody(aliceAuth, id);

        List<HttpResponse<String>> stale = List.of(
                send("PUT", path, "{\"title\":\"lost\"}", "Authorization", aliceAuth, "If-Match", "\"0\""),
                send("PATCH", path, "{\"title\":\"lost\"}", "Authorization", aliceAuth, "If-Match", "\"0\"",
                        "Content-Type", MERGE_PATCH),
                send("DELETE", path, null, "Authorization", aliceAuth, "If-Match", "\"0\""),
                send("PUT", path, "{\"title\":\"lost\"}", "Authorization", aliceAuth, "If-Match", "W/\"1\""),
                send("PATCH", path, "{\"title\":\"lost\"}", "Authorization", aliceAuth, "If-Match", "W/\"1\""),
                send("DELETE", path, null, "Authorization", aliceAuth, "If-Match", "W/\"1\""),
                send("PATCH", path, "{\"title\":\"lost\"}", "Authorization", aliceAuth, "If-Match", "\"5\", \"0\""),
                send("PATCH", path, "{\"title\":\"lost\"}", "Authorization", aliceAuth, "If-Match", "\"x\""),
                // entity tags compare character by character: these name no tag we handed out
                send("PATCH", path, "{\"title\":\"lost\"}", "Authorization", aliceAuth, "If-Match", "\"01\""),
                send("PUT", path, "{\"title\":\"lost\"}", "Authorization", aliceAuth, "If-Match", "\"+1\""),
                send("DELETE", path, null, "Authorization", aliceAuth, "If-Match", "\"1.0\""));
        for (HttpResponse<String> response : stale) {
            JsonNode body = problem(response, 412);
            assertEquals("urn:dnsdig:problem:precondition-failed", body.get("type").asText());
            assertEquals("\"1\"", etag(response), "the current ETag comes with the 412");
        }
        assertEquals(before, getBody(aliceAuth, id), "nothing changed");

        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            for (String malformed : List.of("abc", "\"1", "1", "\"1\" \"2\"", ",", "\"1\", W/", "w/\"1\"", "*, \"1\"")) {
                JsonNode bad = problem(send(method, path, method.equals("DELETE") ? null : "{\"title\":\"lost\"}",
                        "Authorization", aliceAuth, "If-Match", malformed), 400);
                assertEquals("If-Match", bad.get("header").asText(), bad.toString());
            }
        }
        assertEquals(before, getBody(aliceAuth, id), "nothing changed");
    }

    @Test
    void theCurrentETagOrAStarPassesIfMatch() throws Exception {
        String id = createId(aliceAuth, "guarded");
        String path = TODOS + "/" + id;
        HttpResponse<String> put = send("PUT", path, "{\"title\":\"v1\"}", "Authorization", aliceAuth, "If-Match", "\"0\"");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("\"1\"", etag(put));
        HttpResponse<String> patch = send("PATCH", path, "{\"title\":\"v2\"}", "Authorization", aliceAuth, "If-Match", etag(put),
                "Content-Type", MERGE_PATCH);
        assertEquals(200, patch.statusCode(), patch.body());
        assertEquals("\"2\"", etag(patch));
        HttpResponse<String> list = send("PATCH", path, "{\"title\":\"v3\"}", "Authorization", aliceAuth, "If-Match",
                ", \"9\" ,, W/\"2\",\t\"2\","); // empty list elements are ignored (RFC 9110 5.6.1.2)
        assertEquals(200, list.statusCode(), list.body());
        HttpResponse<String> star = send("PUT", path, "{\"title\":\"v4\"}", "Authorization", aliceAuth, "If-Match", "*");
        assertEquals(200, star.statusCode(), star.body());
        assertEquals("\"4\"", etag(star));
        assertEquals("v4", getBody(aliceAuth, id).get("title").asText());

        problem(send("PUT", TODOS + "/" + unknownId(), "{\"title\":\"x\"}", "Authorization", aliceAuth, "If-Match", "*"), 404);
        problem(send("DELETE", TODOS + "/" + unknownId(), null, "Authorization", aliceAuth, "If-Match", "\"0\""), 404);

        assertEquals(204, send("DELETE", path, null, "Authorization", aliceAuth, "If-Match", "\"4\"").statusCode());
        problem(get(aliceAuth, id), 404);
        String other = createId(aliceAuth, "other");
        assertEquals(204, send("DELETE", TODOS + "/" + other, null, "Authorization", aliceAuth, "If-Match", "*").statusCode());
        assertTrue(stored(alice).isEmpty());
    }

    // ---- isolation

    /** Every way of touching one todo, with the tag a client could hold. */
    private List<HttpResponse<String>> everyMethod(String auth, String id) throws Exception {
        String path = TODOS + "/" + id;
        List<HttpResponse<String>> responses = new ArrayList<>();
        responses.add(get(auth, id));
        responses.add(get(auth, id, "If-None-Match", "\"0\""));
        responses.add(get(auth, id, "If-None-Match", "*"));
        responses.add(send("PUT", path, "{\"title\":\"mine now\"}", "Authorization", auth));
        responses.add(send("PUT", path, "{\"title\":\"mine now\"}", "Authorization", auth, "If-Match", "\"0\""));
        responses.add(send("PUT", path, "{\"title\":\"mine now\"}", "Authorization", auth, "If-Match", "\"7\""));
        responses.add(send("PUT", path, "{\"title\":\"mine now\"}", "Authorization", auth, "If-Match", "*"));
        responses.add(send("PATCH", path, "{\"completed\":true}", "Authorization", auth, "Content-Type", MERGE_PATCH));
        responses.add(send("PATCH", path, "{\"completed\":true}", "Authorization", auth, "If-Match", "\"0\""));
        responses.add(send("PATCH", path, "{\"completed\":true}", "Authorization", auth, "If-Match", "W/\"0\""));
        responses.add(send("DELETE", path, null, "Authorization", auth, "If-Match", "\"7\""));
        responses.add(send("DELETE", path, null, "Authorization", auth, "If-Match", "\"0\""));
        responses.add(send("DELETE", path, null, "Authorization", auth, "If-Match", "*"));
        responses.add(send("DELETE", path, null, "Authorization", auth));
        return responses;
    }

    @Test
    void anotherUsersTodoIsNotFoundOnEveryMethodExactlyLikeAnUnknownOne() throws Exception {
        JsonNode created = create(aliceAuth, "{\"title\":\"secret\",\"description\":\"alice's\"}");
        String id = created.get("id").asText();
        String unknown = unknownId();

        List<HttpResponse<String>> foreign = everyMethod(bobAuth, id);
        List<HttpResponse<String>> missing = everyMethod(bobAuth, unknown);
        for (int i = 0; i < foreign.size(); i++) {
            JsonNode theirs = problem(foreign.get(i), 404);
            JsonNode none = problem(missing.get(i), 404);
            assertEquals("urn:dnsdig:problem:todo-not-found", theirs.get("type").asText());
            assertEquals(comparable(none, unknown), comparable(theirs, id), "request " + i);
            assertEquals(headerNames(missing.get(i)), headerNames(foreign.get(i)), "request " + i);
            assertTrue(foreign.get(i).headers().firstValue("ETag").isEmpty(), "request " + i);
            assertFalse(foreign.get(i).body().contains("secret") || foreign.get(i).body().contains(alice.id().value()));
        }
        JsonNode bobsList = json(send("GET", TODOS, null, "Authorization", bobAuth));
        assertEquals(0, bobsList.get("items").size());
        assertFalse(bobsList.toString().contains(id));

        HttpResponse<String> still = get(aliceAuth, id);
        assertEquals(created, json(still), "alice's todo is unchanged");
        assertEquals("\"0\"", etag(still));
        assertEquals(List.of(id), ids(json(send("GET", TODOS, null, "Authorization", aliceAuth))));

        // and once it really is gone, bob's answers are the same as before, byte for byte but the request id
        assertEquals(204, send("DELETE", TODOS + "/" + id, null, "Authorization", aliceAuth).statusCode());
        List<HttpResponse<String>> gone = everyMethod(bobAuth, id);
        for (int i = 0; i < foreign.size(); i++) {
            ObjectNode before = json(foreign.get(i)).deepCopy();
            ObjectNode after = json(gone.get(i)).deepCopy();
            before.remove("requestId");
            after.remove("requestId");
            assertEquals(after, before, "request " + i);
            assertEquals(headerNames(gone.get(i)), headerNames(foreign.get(i)));
            assertEquals(gone.get(i).headers().firstValue("Content-Length"), foreign.get(i).headers().firstValue("Content-Length"));
        }
    }

    @Test
    void somethingThatIsNotAnIdIs404() throws Exception {
        String unknown = unknownId();
        JsonNode reference = comparable(problem(get(aliceAuth, unknown), 404), unknown);
        for (String id : List.of("abc", unknown.toLowerCase(), unknown + "0", "8" + unknown.substring(1), "not-an-id")) {
            String shown = id;
            assertEquals(reference, comparable(problem(get(aliceAuth, id), 404), shown), id);
            assertEquals(reference, comparable(problem(send("PUT", TODOS + "/" + id, "{\"title\":\"x\"}",
                    "Authorization", aliceAuth), 404), shown), id);
            assertEquals(reference, comparable(problem(send("PATCH", TODOS + "/" + id, "{\"title\":\"x\"}",
                    "Authorization", aliceAuth), 404), shown), id);
            assertEquals(reference, comparable(problem(send("DELETE", TODOS + "/" + id, null,
                    "Authorization", aliceAuth), 404), shown), id);
        }
        assertTrue(stored(alice).isEmpty());
    }

    // ---- bad input

    @Test
    void malformedOrEmptyBodiesAre400() throws Exception {
        String id = createId(aliceAuth, "target");
        for (String malformed : List.of("{\"title\":", "{\"title\":\"a\",\"title\":\"b\"}", "{title:\"x\"}", "not json", "{\"title\":\"x\"} trailing")) {
            for (String[] request : List.of(new String[] {"POST", TODOS}, new String[] {"PUT", TODOS + "/" + id},
                    new String[] {"PATCH", TODOS + "/" + id})) {
                JsonNode bad = problem(send(request[0], request[1], malformed, "Authorization", aliceAuth), 400);
                assertEquals("urn:dnsdig:problem:malformed-json", bad.get("type").asText(), request[0] + " " + malformed);
            }
        }
        for (String[] request : List.of(new String[] {"POST", TODOS}, new String[] {"PUT", TODOS + "/" + id},
                new String[] {"PATCH", TODOS + "/" + id})) {
            problem(send(request[0], request[1], "", "Authorization", aliceAuth), 400);
            assertEquals(List.of("body"), errorFields(problem(send(request[0], request[1], "[1]", "Authorization", aliceAuth), 422)));
            assertEquals(List.of("body"), errorFields(problem(send(request[0], request[1], "\"x\"", "Authorization", aliceAuth), 422)));
        }
        problem(send("PATCH", TODOS + "/" + id, "", "Authorization", aliceAuth, "Content-Type", MERGE_PATCH), 400);
        assertEquals(1, stored(alice).size(), "nothing created");
        assertEquals(0, stored(alice).get(0).version(), "nothing changed");
    }

    @Test
    void eachInvalidFieldIs422NamingIt() throws Exception {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{\"title\":\"" + repeat('t', 201) + "\"}", "title"),
                Map.entry("{\"title\":\"   \"}", "title"),
                Map.entry("{\"title\":\"\"}", "title"),
                Map.entry("{\"title\":5}", "title"),
                Map.entry("{\"title\":[\"x\"]}", "title"),
                Map.entry("{\"title\":null}", "title"),
                Map.entry("{\"description\":\"no title\"}", "title"),
                Map.entry("{\"title\":\"x\",\"description\":\"" + repeat('d', 2001) + "\"}", "description"),
                Map.entry("{\"title\":\"x\",\"description\":7}", "description"),
                Map.entry("{\"title\":\"x\",\"completed\":\"yes\"}", "completed"),
                Map.entry("{\"title\":\"x\",\"completed\":null}", "completed"),
                Map.entry("{\"title\":\"x\",\"completed\":1}", "completed"),
                Map.entry("{\"title\":\"x\",\"dueAt\":\"tomorrow\"}", "dueAt"),
                Map.entry("{\"title\":\"x\",\"dueAt\":\"10000-01-01T00:00:00Z\"}", "dueAt"),
                Map.entry("{\"title\":\"x\",\"dueAt\":\"+10000-01-01T00:00:00Z\"}", "dueAt"),
                Map.entry("{\"title\":\"x\",\"dueAt\":\"2026-12-24T18:00:00\"}", "dueAt"),
                Map.entry("{\"title\":\"x\",\"dueAt\":\"2026-12-24\"}", "dueAt"),
                Map.entry("{\"title\":\"x\",\"dueAt\":\"1969-12-31T23:59:59Z\"}", "dueAt"),
                Map.entry("{\"title\":\"x\",\"dueAt\":1767225600}", "dueAt"),
                Map.entry("{\"title\":\"x\",\"owner\":\"" + bob.id().value() + "\"}", "owner"),
                Map.entry("{\"title\":\"x\",\"id\":\"" + unknownId() + "\"}", "id"),
                Map.entry("{\"title\":\"x\",\"version\":3}", "version"),
                Map.entry("{\"title\":\"x\",\"createdAt\":\"2020-01-01T00:00:00Z\"}", "createdAt"),
                Map.entry("{\"title\":\"x\",\"foo\":1}", "foo"));
        String id = createId(aliceAuth, "target");
        for (Map.Entry<String, String> invalid : cases.entrySet()) {
            String body = invalid.getKey();
            JsonNode post = problem(send("POST", TODOS, body, "Authorization", aliceAuth), 422);
            assertEquals(List.of(invalid.getValue()), errorFields(post), body);
            JsonNode put = problem(send("PUT", TODOS + "/" + id, body, "Authorization", aliceAuth), 422);
            assertEquals(List.of(invalid.getValue()), errorFields(put), body);
            if (!body.equals("{\"description\":\"no title\"}")) { // a patch may leave the title out
                JsonNode patch = problem(send("PATCH", TODOS + "/" + id, body, "Authorization", aliceAuth,
                        "Content-Type", MERGE_PATCH), 422);
                assertEquals(List.of(invalid.getValue()), errorFields(patch), body);
            }
        }
        assertEquals(1, stored(alice).size(), "nothing created");
        assertEquals(0, stored(alice).get(0).version(), "nothing changed");
        assertEquals("target", stored(alice).get(0).content().title());
    }

    @Test
    void severalInvalidFieldsAreListedInOneResponse() throws Exception {
        String body = "{\"title\":\"   \",\"description\":\"" + repeat('d', 2001) + "\",\"completed\":\"no\","
                + "\"dueAt\":\"2026-12-24T18:00:00\",\"owner\":\"x\",\"id\":\"y\",\"version\":1,\"foo\":true}";
        List<String> expected = sorted("title", "description", "completed", "dueAt", "owner", "id", "version", "foo");
        JsonNode post = problem(send("POST", TODOS, body, "Authorization", aliceAuth), 422);
        assertEquals(expected, errorFields(post).stream().sorted().toList());
        assertTrue(post.get("detail").asText().contains("8 fields"), post.toString());

        String id = createId(aliceAuth, "target");
        assertEquals(expected, errorFields(problem(send("PUT", TODOS + "/" + id, body, "Authorization", aliceAuth), 422))
                .stream().sorted().toList());
        String patch = "{\"title\":null,\"description\":5,\"dueAt\":\"+10000-01-01T00:00:00Z\",\"updatedAt\":\"x\",\"bar\":null}";
        assertEquals(sorted("title", "description", "dueAt", "updatedAt", "bar"), errorFields(problem(send("PATCH",
                TODOS + "/" + id, patch, "Authorization", aliceAuth, "Content-Type", MERGE_PATCH), 422)).stream().sorted().toList());
        assertEquals(1, stored(alice).size());
        assertEquals(0, stored(alice).get(0).version());
    }

    /** A valid todo padded with white space to exactly {@code size} bytes. */
    private static byte[] padded(String title, int size) {
        String head = "{\"title\":\"" + title + "\"";
        return (head + " ".repeat(size - head.length() - 1) + "}").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void bodiesOver64KiBAre413WithOrWithoutContentLength() throws Exception {
        byte[] tooBig = padded("too big", LIMIT + 1);
        JsonNode declared = problem(send("POST", TODOS, new String(tooBig, StandardCharsets.US_ASCII), "Authorization", aliceAuth), 413);
        assertEquals(LIMIT, declared.get("maxBytes").asInt(), declared.toString());
        problem(chunked("POST", TODOS, tooBig, aliceAuth), 413);
        problem(chunked("POST", TODOS, padded("way too big", 10 * LIMIT), aliceAuth), 413);
        byte[] trailing = ("{\"title\":\"small\"}" + " ".repeat(LIMIT)).getBytes(StandardCharsets.US_ASCII);
        problem(chunked("POST", TODOS, trailing, aliceAuth), 413); // the object ends early; the body does not
        problem(send("POST", TODOS, new String(padded("way too big", 10 * LIMIT), StandardCharsets.US_ASCII),
                "Authorization", aliceAuth), 413);
        assertTrue(stored(alice).isEmpty(), "nothing created");

        // exactly the limit is fine, both ways: so the 413s above are the limit's doing
        assertEquals("at the limit", create(aliceAuth, new String(padded("at the limit", LIMIT), StandardCharsets.US_ASCII))
                .get("title").asText());
        HttpResponse<String> chunkedAtLimit = chunked("POST", TODOS, padded("chunked at the limit", LIMIT), aliceAuth);
        assertEquals(201, chunkedAtLimit.statusCode(), chunkedAtLimit.body());
        assertEquals(2, stored(alice).size());

        String id = json(chunkedAtLimit).get("id").asText();
        problem(chunked("PUT", TODOS + "/" + id, tooBig, aliceAuth), 413);
        problem(chunked("PATCH", TODOS + "/" + id, tooBig, aliceAuth), 413);
        problem(send("PUT", TODOS + "/" + id, new String(tooBig, StandardCharsets.US_ASCII), "Authorization", aliceAuth), 413);
        problem(send("PATCH", TODOS + "/" + id, new String(tooBig, StandardCharsets.US_ASCII), "Authorization", aliceAuth,
                "Content-Type", MERGE_PATCH), 413);
        JsonNode after = getBody(aliceAuth, id);
        assertEquals("chunked at the limit", after.get("title").asText(), "nothing changed");
        assertEquals(0, after.get("version").asLong());
        assertEquals(2, stored(alice).size());
    }

    // ---- permissions

    @Test
    void writesNeedWriteTodosAndReadsNeedReadTodos() throws Exception {
        String id = createId(aliceAuth, "guarded");
        String path = TODOS + "/" + id;
        String readOnly = token(alice, Permission.READ_TODOS, Permission.READ_RESOLVER);
        String writeOnly = token(alice, Permission.WRITE_TODOS, Permission.READ_RESOLVER);

        for (HttpResponse<String> response : List.of(
                send("POST", TODOS, "{\"title\":\"x\"}", "Authorization", readOnly),
                send("PUT", path, "{\"title\":\"x\"}", "Authorization", readOnly),
                send("PATCH", path, "{\"title\":\"x\"}", "Authorization", readOnly),
                send("DELETE", path, null, "Authorization", readOnly))) {
            assertEquals("write:todos", problem(response, 403).get("missingPermission").asText());
        }
        for (HttpResponse<String> response : List.of(
                send("GET", TODOS, null, "Authorization", writeOnly),
                get(writeOnly, id),
                get(writeOnly, id, "If-None-Match", "\"0\""))) {
            assertEquals("read:todos", problem(response, 403).get("missingPermission").asText());
        }
        for (HttpResponse<String> response : List.of(
                send("GET", TODOS, null),
                send("GET", path, null),
                send("POST", TODOS, "{\"title\":\"x\"}"),
                send("PUT", path, "{\"title\":\"x\"}"),
                send("PATCH", path, "{\"title\":\"x\"}"),
                send("DELETE", path, null),
                send("GET", path, null, "Authorization", "Bearer opaque.forged"))) {
            problem(response, 401);
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        }
        assertEquals(1, stored(alice).size());
        assertEquals(0, stored(alice).get(0).version(), "nothing changed");

        // the same tokens do what they do allow
        assertEquals(200, send("GET", TODOS, null, "Authorization", readOnly).statusCode());
        assertEquals(200, get(readOnly, id).statusCode());
        assertEquals(201, send("POST", TODOS, "{\"title\":\"x\"}", "Authorization", writeOnly).statusCode());
        assertEquals(200, send("PATCH", path, "{\"title\":\"y\"}", "Authorization", writeOnly).statusCode());
        assertEquals(204, send("DELETE", path, null, "Authorization", writeOnly).statusCode());
    }

    // ---- concurrency

    private interface Call {
        HttpResponse<String> send(int i) throws Exception;
    }

    /** Sends {@code n} requests at once (released together by a barrier) and returns their responses in order. */
    private List<HttpResponse<String>> together(int n, Call call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return call.send(index);
                }));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get(30, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void ofTwoPatchesWithTheSameETagExactlyOneWins() throws Exception {
        String id = createId(aliceAuth, "contested");
        String path = TODOS + "/" + id;
        for (int round = 0; round < 15; round++) {
            HttpResponse<String> current = get(aliceAuth, id);
            String tag = etag(current);
            long version = json(current).get("version").asLong();
            int r = round;
            List<HttpResponse<String>> responses = together(2, i -> send("PATCH", path,
                    "{\"title\":\"round " + r + " by " + i + "\"}", "Authorization", aliceAuth, "If-Match", tag,
                    "Content-Type", MERGE_PATCH));
            List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).sorted().toList();
            assertEquals(List.of(200, 412), statuses, "round " + round + ": " + responses.stream().map(HttpResponse::body).toList());
            int winner = responses.get(0).statusCode() == 200 ? 0 : 1;
            HttpResponse<String> lost = responses.get(1 - winner);
            problem(lost, 412);
            assertEquals(quoted(version + 1), etag(lost), "the 412 names the winner's version");
            JsonNode after = getBody(aliceAuth, id);
            assertEquals("round " + round + " by " + winner, after.get("title").asText());
            assertEquals(version + 1, after.get("version").asLong());
            assertEquals(json(responses.get(winner)), after);
        }
    }

    @Test
    void concurrentPatchesWithoutIfMatchAllApply() throws Exception {
        String id = createId(aliceAuth, "busy");
        String path = TODOS + "/" + id;
        int n = 10; // each request may lose the race to each of the others once: at most 9 retries, within the service's 10
        List<HttpResponse<String>> responses = together(n, i -> send("PATCH", path, "{\"title\":\"by " + i + "\"}",
                "Authorization", aliceAuth, "Content-Type", MERGE_PATCH));
        Set<Long> versions = new HashSet<>();
        for (HttpResponse<String> response : responses) {
            assertEquals(200, response.statusCode(), response.body());
            versions.add(json(response).get("version").asLong());
        }
        assertEquals(LongStream.rangeClosed(1, n).boxed().collect(Collectors.toSet()), versions, "each patch stored its own version");
        JsonNode after = getBody(aliceAuth, id);
        assertEquals(n, after.get("version").asLong());
        String lastTitle = responses.stream().map(this::jsonUnchecked)
                .filter(body -> body.get("version").asLong() == n).findFirst().orElseThrow().get("title").asText();
        assertEquals(lastTitle, after.get("title").asText());

        // patches of different fields: none is lost
        for (int round = 0; round < 5; round++) {
            String other = createId(aliceAuth, "fields " + round);
            String otherPath = TODOS + "/" + other;
            List<String> patches = List.of("{\"title\":\"renamed\"}", "{\"description\":\"described\"}",
                    "{\"completed\":true}", "{\"dueAt\":\"2030-01-01T00:00:00Z\"}");
            List<HttpResponse<String>> fieldResponses = together(patches.size(), i -> send("PATCH", otherPath, patches.get(i),
                    "Authorization", aliceAuth, "Content-Type", MERGE_PATCH));
            fieldResponses.forEach(response -> assertEquals(200, response.statusCode(), response.body()));
            JsonNode merged = getBody(aliceAuth, other);
            assertEquals("renamed", merged.get("title").asText(), merged.toString());
            assertEquals("described", merged.get("description").asText(), merged.toString());
            assertTrue(merged.get("completed").asBoolean(), merged.toString());
            assertEquals("2030-01-01T00:00:00Z", merged.get("dueAt").asText(), merged.toString());
            assertEquals(4, merged.get("version").asLong());
        }
    }

    private JsonNode jsonUnchecked(HttpResponse<String> response) {
        try {
            return json(response);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }


    // ---- account deletion

    @Test
    void deletingTheAccountDeletesItsTodosAndKeysButNoOneElses() throws Exception {
        for (int i = 0; i < 3; i++) {
            create(aliceAuth, "{\"title\":\"a" + i + "\"}", "Idempotency-Key", "alice-" + i);
            create(bobAuth, "{\"title\":\"b" + i + "\"}", "Idempotency-Key", "alice-" + i);
        }
        assertEquals(3, stored(alice).size());
        assertEquals(204, send("DELETE", "/v1/me", null, "Authorization", aliceAuth).statusCode());
        assertTrue(stored(alice).isEmpty(), "alice's todos are gone");
        assertEquals(3, stored(bob).size(), "bob's are not");
        assertEquals(3, json(send("GET", TODOS, null, "Authorization", bobAuth)).get("items").size());

        Instant now = Instant.now();
        Todo probe = Todo.create(TodoId.generate(now), alice.id(), TodoContent.titled("probe"), now);
        assertTrue(api.idempotencyKeys.claim(new IdempotencyStore.Entry(alice.id(), new IdempotencyKey("alice-0"), probe,
                now.plusSeconds(60), false), now) instanceof IdempotencyStore.Claim.Claimed, "alice's keys are gone");
        Todo bobsProbe = Todo.create(TodoId.generate(now), bob.id(), TodoContent.titled("probe"), now);
        assertTrue(api.idempotencyKeys.claim(new IdempotencyStore.Entry(bob.id(), new IdempotencyKey("alice-0"), bobsProbe,
                now.plusSeconds(60), false), now) instanceof IdempotencyStore.Claim.Taken, "bob's keys are not");
        HttpResponse<String> replay = send("POST", TODOS, "{\"title\":\"b0\"}", "Authorization", bobAuth, "Idempotency-Key", "alice-0");
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(3, stored(bob).size());
    }

    @Test
    void aTodoOthersKeepChangingIs409WithRetryAfterAndStaysAsItWas() throws Exception {
        String id = json(send("POST", TODOS, "{\"title\":\"busy\"}", "Authorization", aliceAuth)).get("id").asText();
        api.todosContended = true;

        for (String[] request : List.of(new String[] {"PATCH", "{\"completed\":true}"}, new String[] {"PUT", "{\"title\":\"x\"}"},
                new String[] {"DELETE", null})) {
            HttpResponse<String> response = send(request[0], TODOS + "/" + id, request[1], "Authorization", aliceAuth);
            JsonNode conflict = problem(response, 409);
            assertEquals("urn:dnsdig:problem:edit-conflict", conflict.get("type").asText());
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(""), request[0]);
        }
        api.todosContended = false;
        JsonNode unchanged = json(send("GET", TODOS + "/" + id, null, "Authorization", aliceAuth));
        assertEquals("busy", unchanged.get("title").asText());
        assertEquals(0, unchanged.get("version").asInt());
    }

    @Test
    void aStoreThatDoesNotAnswerIs503WithRetryAfterNot500() throws Exception {
        String id = json(send("POST", TODOS, "{\"title\":\"later\"}", "Authorization", aliceAuth)).get("id").asText();
        api.todosUnavailable = true;

        HttpResponse<String> response = send("GET", TODOS + "/" + id, null, "Authorization", aliceAuth);
        JsonNode unavailable = problem(response, 503);
        assertEquals("urn:dnsdig:problem:dependency-unavailable", unavailable.get("type").asText());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        assertFalse(response.body().contains("SocketTimeout"), "no internals: " + response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        api.todosUnavailableWrapped = true;
        HttpResponse<String> wrapped = send("GET", TODOS + "/" + id, null, "Authorization", aliceAuth);
        assertEquals("urn:dnsdig:problem:dependency-unavailable", problem(wrapped, 503).get("type").asText());
        assertEquals("1", wrapped.headers().firstValue("Retry-After").orElse(""));

        api.todosUnavailable = false;
        assertEquals(200, send("GET", TODOS + "/" + id, null, "Authorization", aliceAuth).statusCode());
    }
}
