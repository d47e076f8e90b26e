package dev.dnsdig.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the valid requests of {@link OpenApiFuzzTest} need on the server: an administrator signed in, another user, a todo
 * and an application to name. The fuzzed requests delete, block and log out what they can, so {@link #ensure()} puts
 * back whatever is gone before each operation is fuzzed.
 */
final class FuzzAccounts {
    static final String ADMIN_EMAIL = "fuzz-admin@example.com";
    static final String PASSWORD = "Secret123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private int made;
    private String bearer = "Bearer none";
    private String refreshToken = "none";
    private String subjectId = "none";
    private String todoId = "none";
    private String clientId = "none";
    private String clientSecret = "none";

    FuzzAccounts(String base) {
        this.base = base;
    }

    String bearer() {
        return bearer;
    }

    String subjectId() {
        return subjectId;
    }

    String todoId() {
        return todoId;
    }

    String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    /** The administrator's refresh token, fresh from a login: the last one may have been used or revoked. */
    String freshRefreshToken() throws IOException {
        logIn();
        return refreshToken;
    }

    /** Signs the administrator in again and makes anew the user, todo and application the fuzzing took away. */
    void ensure() throws IOException {
        if (send("GET", "/v1/me", null, bearer).statusCode() != 200) {
            if (!logIn()) {
                signUp(ADMIN_EMAIL);
                if (!logIn()) {
                    throw new IllegalStateException("the administrator cannot log in again");
                }
            }
        }
        if (send("GET", "/v1/users/" + subjectId, null, bearer).statusCode() != 200) {
            subjectId = signUp("fuzz-subject-" + made + "@example.com").get("id").asText();
        }
        if (send("GET", "/v1/todos/" + todoId, null, bearer).statusCode() != 200) {
            todoId = created("/v1/todos", "{\"title\":\"fuzzed\"}").get("id").asText();
        }
        if (send("GET", "/v1/me/applications/" + clientId, null, bearer).statusCode() != 200) {
            JsonNode application = created("/v1/me/applications", "{\"name\":\"fuzzed\",\"permissions\":[\"read:resolver\"]}");
            clientId = application.get("client_id").asText();
            clientSecret = application.get("client_secret").asText();
        }
    }

    private boolean logIn() throws IOException {
        HttpResponse<String> login = send("POST", "/v1/auth/login",
                "{\"email\":\"" + ADMIN_EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null);
        if (login.statusCode() != 200) {
            return false;
        }
        JsonNode tokens = JSON.readTree(login.body());
        bearer = "Bearer " + tokens.get("access_token").asText();
        refreshToken = tokens.get("refresh_token").asText();
        return true;
    }

    private JsonNode signUp(String email) throws IOException {
        made++;
        return created("/v1/users", "{\"email\":\"" + email + "\",\"username\":\"fuzzmade" + made + "\",\"password\":\""
                + PASSWORD + "\"}");
    }

    private JsonNode created(String path, String body) throws IOException {
        HttpResponse<String> response = send("POST", path, body, path.equals("/v1/users") ? null : bearer);
        if (response.statusCode() != 201) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
