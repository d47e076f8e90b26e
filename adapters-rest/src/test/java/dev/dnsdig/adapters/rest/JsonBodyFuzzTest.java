package dev.dnsdig.adapters.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dnsdig.adapters.rest.problem.ProblemMappers;
import dev.dnsdig.domain.user.User;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Fuzz test of every JSON body the API reads (and the token endpoint's form), through the API as the server runs it:
 * Jersey, {@code JsonConfig}'s Jackson, Bean Validation, the resources' own reading and the domain's rules, and the
 * problem mapping. Whatever the body, the answer is a success or a 4xx problem document, never a 5xx. An input is
 * {@code <route>[ <content type>]\n<body>}; see {@link Route}. Without {@code JAZZER_FUZZ} it runs once on every file
 * under {@code JsonBodyFuzzTestInputs}, as a regression test.
 */
class JsonBodyFuzzTest {
    private static final URI BASE = URI.create("http://localhost/");

    @AutoClose
    private static final TestApi api = TestApi.withScriptedDns();
    private static final User admin = api.user("admin"); // admin@example.com: every permission
    private static final User subject = api.user("subject");
    private static final String BEARER = api.bearer(admin);
    private static final String TODO = createdTodo();
    private static final ApplicationHandler handler = api.inProcess();
    /** The last exception the API logged as a bug, the cause of the 500 it answered. */
    private static final AtomicReference<Throwable> logged = new AtomicReference<>();

    static {
        Logger.getLogger(ProblemMappers.class.getName()).addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getThrown() != null) {
                    logged.set(record.getThrown());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private static String createdTodo() {
        try {
            var created = api.send("POST", "/v1/todos", "{\"title\":\"fuzzed\"}", "Authorization", BEARER);
            return TestApi.json(created).get("id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The routes that read a body: the name an input starts with, and what it is sent to, signed in or not. */
    private enum Route {
        SIGN_UP("sign-up", "POST", "/v1/users", false),
        LOGIN("login", "POST", "/v1/auth/login", false),
        REFRESH("refresh", "POST", "/v1/auth/refresh", false),
        LOGOUT("logout", "POST", "/v1/auth/logout", false),
        LOGIN_URL("login-url", "POST", "/v1/auth/login-url", false),
        TOKEN("token", "POST", "/v1/oauth2/token", false, "application/x-www-form-urlencoded"),
        PROFILE("profile", "PATCH", "/v1/me", true, "application/merge-patch+json"),
        USER("user", "PATCH", "/v1/users/" + subject.id().value(), true, "application/merge-patch+json"),
        APPLICATION("application", "POST", "/v1/me/applications", true),
        TODO_CREATE("todo-create", "POST", "/v1/todos", true),
        TODO_REPLACE("todo-replace", "PUT", "/v1/todos/" + TODO, true),
        TODO_PATCH("todo-patch", "PATCH", "/v1/todos/" + TODO, true, "application/merge-patch+json"),
        BULK("bulk", "POST", "/v1/resolve/bulk", true);

        final String key;
        final String method;
        final String path;
        final boolean signedIn;
        final String contentType;

        Route(String key, String method, String path, boolean signedIn) {
            this(key, method, path, signedIn, "application/json");
        }

        Route(String key, String method, String path, boolean signedIn, String contentType) {
            this.key = key;
            this.method = method;
            this.path = path;
            this.signedIn = signedIn;
            this.contentType = contentType;
        }

        /** The route an input names; a name mutated beyond recognition still picks one, so no input is wasted. */
        static Route named(String key) {
            return Arrays.stream(values()).filter(r -> r.key.equals(key)).findFirst()
                    .orElse(values()[Math.floorMod(key.hashCode(), values().length)]);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void bodies(byte[] input) throws Exception {
        int newline = indexOf(input, (byte) '\n');
        String head = new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.UTF_8);
        byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(input, newline + 1, input.length);
        int space = head.indexOf(' ');
        Route route = Route.named(space < 0 ? head : head.substring(0, space));
        Answer answer = send(route, space < 0 ? route.contentType : head.substring(space + 1), body);
        if (answer.status() >= 500) {
            throw new AssertionError(route.key + " answered " + answer.status() + ": " + answer.body(), answer.cause());
        }
        if (answer.status() >= 400) {
            assertEquals("application/problem+json", answer.type(), route.key + " " + answer.status() + ": " + answer.body());
        }
    }

    /** Without this, a fuzz test whose every input ends at the door (401, 404) would pass and prove nothing. */
    @Test
    void validBodiesReachEveryResource() throws Exception {
        Map<Route, String> valid = new EnumMap<>(Route.class);
        valid.put(Route.SIGN_UP, "{\"email\":\"reached@example.com\",\"username\":\"reached\",\"password\":\"Secret123\"}");
        valid.put(Route.LOGIN, "{\"email\":\"admin@example.com\",\"password\":\"Secret123\"}");
        valid.put(Route.LOGIN_URL, "{}");
        valid.put(Route.PROFILE, "{\"displayName\":\"Admin\"}");
        valid.put(Route.USER, "{\"displayName\":\"Subject\"}");
        valid.put(Route.APPLICATION, "{\"name\":\"ci\",\"permissions\":[\"read:resolver\"]}");
        valid.put(Route.TODO_CREATE, "{\"title\":\"t\"}");
        valid.put(Route.TODO_REPLACE, "{\"title\":\"t\"}");
        valid.put(Route.TODO_PATCH, "{\"completed\":true}");
        valid.put(Route.BULK, "{\"queries\":[{\"name\":\"example.com\",\"type\":\"A\"}]}");
        for (Map.Entry<Route, String> entry : valid.entrySet()) {
            Route route = entry.getKey();
            Answer answer = send(route, route.contentType, entry.getValue().getBytes(StandardCharsets.UTF_8));
            assertTrue(answer.status() < 300, route.key + " answered " + answer.status() + ": " + answer.body());
        }
        // no session or client to show: the token is refused by the resource, not by a filter
        Answer refresh = send(Route.REFRESH, Route.REFRESH.contentType, "{\"refresh_token\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, refresh.status(), refresh.body());
        Answer token = send(Route.TOKEN, Route.TOKEN.contentType, "grant_type=refresh_token&refresh_token=none".getBytes(StandardCharsets.UTF_8));
        assertTrue(token.body().contains("invalid_grant"), token.body());
    }

    /** A response: its status, media type and body, and the exception the API logged as a bug while answering. */
    private record Answer(int status, String type, String body, Throwable cause) {
    }

    private static Answer send(Route route, String contentType, byte[] body) throws Exception {
        ContainerRequest request = new ContainerRequest(BASE, BASE.resolve(route.path.substring(1)), route.method,
                null, new MapPropertiesDelegate(), handler.getConfiguration());
        if (!contentType.isBlank()) {
            request.header("Content-Type", contentType);
        }
        request.header("Content-Length", Integer.toString(body.length));
        if (route.signedIn) {
            request.header("Authorization", BEARER);
        }
        request.setEntityStream(new ByteArrayInputStream(body));
        logged.set(null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerResponse response = handler.apply(request, out).get();
        return new Answer(response.getStatus(), String.valueOf(response.getMediaType()), out.toString(StandardCharsets.UTF_8),
                logged.get());
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
