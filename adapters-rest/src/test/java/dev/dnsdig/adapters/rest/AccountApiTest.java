package dev.dnsdig.adapters.rest;

import static dev.dnsdig.adapters.rest.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.domain.user.User;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sign-up, login, sessions, the caller's account and user administration over real HTTP. */
class AccountApiTest {
    private static final String SIGNUP = "{\"email\":\"%s\",\"username\":\"%s\",\"password\":\"Secret123\"}";

    private TestApi api;

    @BeforeEach
    void start() {
        api = TestApi.withScriptedDns();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return api.send("POST", path, body, headers);
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = json(response);
        assertEquals(status, body.get("status").asInt());
        return body;
    }

    private JsonNode login(String email, String password) throws Exception {
        HttpResponse<String> response = post("/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    private static String bearer(JsonNode tokens) {
        return "Bearer " + tokens.get("access_token").asText();
    }

    @Test
    void signUpCreatesTheAccountWithDefaultPermissions() throws Exception {
        HttpResponse<String> response = post("/v1/users",
                "{\"email\":\"Bob@Example.com\",\"username\":\"bob\",\"password\":\"Secret123\",\"displayName\":\"Bob B\"}");
        assertEquals(201, response.statusCode(), response.body());
        JsonNode user = json(response);
        assertEquals(api.base + "/v1/users/" + user.get("id").asText(), response.headers().firstValue("Location").orElseThrow());
        assertEquals("Bob@Example.com", user.get("email").asText());
        assertEquals("Bob B", user.get("displayName").asText());
        assertFalse(response.body().contains("Secret123") || response.body().toLowerCase().contains("hash"), response.body());
        List<String> permissions = new ArrayList<>();
        user.get("permissions").forEach(p -> permissions.add(p.asText()));
        assertTrue(permissions.contains("read:resolver") && !permissions.contains("admin:users"), permissions::toString);
        assertTrue(api.send("POST", "/v1/users", SIGNUP.formatted("admin@EXAMPLE.com", "boss")).body().contains("admin:users"),
                "listed admin e-mails get admin:users");
    }

    @Test
    void takenEmailOrUsernameIs409() throws Exception {
        assertEquals(201, post("/v1/users", SIGNUP.formatted("carol@example.com", "carol")).statusCode());
        assertEquals("email", problem(post("/v1/users", SIGNUP.formatted("CAROL@example.com", "carol2")), 409).get("field").asText());
        assertEquals("username", problem(post("/v1/users", SIGNUP.formatted("other@example.com", "Carol")), 409).get("field").asText());
    }

    @Test
    void invalidSignUpIs422ListingEachField() throws Exception {
        JsonNode body = problem(post("/v1/users", "{\"email\":\"not-an-email\",\"username\":\"a!\",\"password\":\"short\"}"), 422);
        List<String> fields = new ArrayList<>();
        body.get("errors").forEach(e -> fields.add(e.get("field").asText() + ": " + e.get("message").asText()));
        assertTrue(fields.contains("email: must be an e-mail address"), fields::toString);
        assertTrue(fields.contains("username: must be 3-50 letters or digits"), fields::toString);
        assertTrue(fields.contains("password: must be 8-128 characters"), fields::toString);
        assertTrue(fields.contains("password: must contain a digit"), fields::toString);
        assertTrue(fields.contains("password: must contain an upper-case letter"), fields::toString);
        assertEquals("urn:dnsdig:problem:validation", body.get("type").asText());
    }

    @Test
    void badBodiesAreClearErrors() throws Exception {
        assertEquals("urn:dnsdig:problem:malformed-json", problem(post("/v1/users", "{\"email\":"), 400).get("type").asText());
        JsonNode unknown = problem(post("/v1/users",
                "{\"email\":\"d@example.com\",\"username\":\"dave\",\"password\":\"Secret123\",\"permissions\":[\"admin:users\"]}"), 422);
        assertEquals("permissions", unknown.get("errors").get(0).get("field").asText());
        JsonNode wrongType = problem(post("/v1/users", "{\"email\":[1],\"username\":\"dave\",\"password\":\"Secret123\"}"), 422);
        assertEquals("email", wrongType.get("errors").get(0).get("field").asText());
        assertEquals("body", problem(post("/v1/users", ""), 422).get("errors").get(0).get("field").asText());
        problem(api.send("POST", "/v1/users", "email=x", "Content-Type", "application/x-www-form-urlencoded"), 415);
        assertTrue(api.users.findByEmail(new dev.dnsdig.domain.user.Email("d@example.com")).isEmpty(), "nothing was created");
    }

    @Test
    void loginIssuesTokensAndWrongCredentialsAreOneAnswer() throws Exception {
        api.user("erin");
        JsonNode tokens = login("Erin@example.com", "Secret123");
        assertEquals("Bearer", tokens.get("token_type").asText());
        assertEquals(900, tokens.get("expires_in").asInt());
        assertTrue(tokens.get("scope").asText().contains("read:resolver"));
        assertTrue(tokens.hasNonNull("refresh_token"));
        HttpResponse<String> me = api.send("GET", "/v1/me", null, "Authorization", bearer(tokens));
        assertEquals("erin", json(me).get("username").asText());

        JsonNode wrongPassword = problem(post("/v1/auth/login", "{\"email\":\"erin@example.com\",\"password\":\"Wrong1234\"}"), 401);
        JsonNode unknownUser = problem(post("/v1/auth/login", "{\"email\":\"nobody@example.com\",\"password\":\"Wrong1234\"}"), 401);
        assertEquals(wrongPassword.get("detail"), unknownUser.get("detail"));
        assertEquals(wrongPassword.get("type"), unknownUser.get("type"));
        problem(post("/v1/auth/login", "{\"email\":\"no address\",\"password\":\"Wrong1234\"}"), 401);
        problem(post("/v1/auth/login", "{\"email\":\"erin@example.com\"}"), 422);
    }

    @Test
    void refreshRotatesAndReuseRevokesTheSession() throws Exception {
        api.user("frank");
        JsonNode first = login("frank@example.com", "Secret123");
        HttpResponse<String> refreshed = post("/v1/auth/refresh", "{\"refresh_token\":\"" + first.get("refresh_token").asText() + "\"}");
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        JsonNode second = json(refreshed);
        assertNotEquals(first.get("refresh_token"), second.get("refresh_token"));
        problem(post("/v1/auth/refresh", "{\"refresh_token\":\"" + first.get("refresh_token").asText() + "\"}"), 401);
        JsonNode revoked = problem(post("/v1/auth/refresh", "{\"refresh_token\":\"" + second.get("refresh_token").asText() + "\"}"), 401);
        assertTrue(revoked.get("detail").asText().contains("revoked"), revoked.toString());
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        api.user("grace");
        JsonNode tokens = login("grace@example.com", "Secret123");
        String refresh = "{\"refresh_token\":\"" + tokens.get("refresh_token").asText() + "\"}";
        assertEquals(204, post("/v1/auth/logout", refresh).statusCode());
        problem(post("/v1/auth/refresh", refresh), 401);
        assertEquals(204, post("/v1/auth/logout", "{\"refresh_token\":\"unknown\"}").statusCode(), "logout is idempotent");
    }

    @Test
    void meNeedsAValidToken() throws Exception {
        HttpResponse<String> none = api.send("GET", "/v1/me", null);
        problem(none, 401);
        assertEquals("Bearer realm=\"dnsdig\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        HttpResponse<String> forged = api.send("GET", "/v1/me", null, "Authorization", "Bearer opaque.forged");
        problem(forged, 401);
        assertTrue(forged.headers().firstValue("WWW-Authenticate").orElseThrow().contains("error=\"invalid_token\""));
        HttpResponse<String> basic = api.send("GET", "/v1/me", null, "Authorization", "Basic YTpi");
        assertTrue(basic.headers().firstValue("WWW-Authenticate").orElseThrow().contains("error=\"invalid_request\""));
    }

    @Test
    void aTokenItsProviderCannotCheckNowIs503WithRetryAfterNot401() throws Exception {
        String token = api.tokens.unverifiable(Duration.ofMillis(4200));
        HttpResponse<String> response = api.send("GET", "/v1/me", null, "Authorization", "Bearer " + token);
        JsonNode problem = problem(response, 503);
        assertEquals("urn:dnsdig:problem:provider-unavailable", problem.get("type").asText());
        assertEquals("the identity provider's signing keys are unavailable", problem.get("detail").asText());
        assertEquals("5", response.headers().firstValue("Retry-After").orElseThrow(), "whole seconds, rounded up");
        assertTrue(response.headers().firstValue("WWW-Authenticate").isEmpty(), "nothing is wrong with the credentials");
        assertEquals("1", api.send("GET", "/v1/todos", null, "Authorization", "Bearer "
                + api.tokens.unverifiable(Duration.ZERO)).headers().firstValue("Retry-After").orElseThrow(), "at least 1");
    }

    @Test
    void patchMeChangesProfileButNeverPermissions() throws Exception {
        User user = api.user("heidi");
        api.user("ivan");
        String auth = api.bearer(user);
        HttpResponse<String> patched = api.send("PATCH", "/v1/me", "{\"displayName\":\"Heidi H\",\"username\":\"heidi2\"}",
                "Authorization", auth, "Content-Type", "application/merge-patch+json");
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("heidi2", json(patched).get("username").asText());
        assertEquals(1, json(patched).get("version").asInt());

        JsonNode refused = problem(api.send("PATCH", "/v1/me", "{\"displayName\":\"X\",\"permissions\":[\"admin:users\"],\"id\":\"x\"}",
                "Authorization", auth), 422);
        assertEquals(2, refused.get("errors").size());
        assertFalse(api.users.findById(user.id()).orElseThrow().has(dev.dnsdig.domain.user.Permission.ADMIN_USERS));
        assertEquals("Heidi H", api.users.findById(user.id()).orElseThrow().displayName().orElseThrow(), "nothing applied");

        problem(api.send("PATCH", "/v1/me", "{\"username\":\"IVAN\"}", "Authorization", auth), 409);
        JsonNode cleared = json(api.send("PATCH", "/v1/me", "{\"displayName\":null}", "Authorization", auth));
        assertFalse(cleared.has("displayName"));
        problem(api.send("PATCH", "/v1/me", "[1]", "Authorization", auth), 422);
    }

    @Test
    void deleteMeRemovesTheAccountAndItsTokensStopWorking() throws Exception {
        User user = api.user("judy");
        JsonNode tokens = login("judy@example.com", "Secret123");
        assertEquals(204, api.send("DELETE", "/v1/me", null, "Authorization", bearer(tokens)).statusCode());
        problem(api.send("GET", "/v1/me", null, "Authorization", bearer(tokens)), 401);
        problem(post("/v1/auth/refresh", "{\"refresh_token\":\"" + tokens.get("refresh_token").asText() + "\"}"), 401);
        assertTrue(api.users.findById(user.id()).isEmpty());
    }

    @Test
    void administrationNeedsAdminUsers() throws Exception {
        String plain = api.bearer(api.user("mallory"));
        JsonNode forbidden = problem(api.send("GET", "/v1/users", null, "Authorization", plain), 403);
        assertEquals("admin:users", forbidden.get("missingPermission").asText());
    }

    @Test
    void adminListsPagesAndFilters() throws Exception {
        User admin = api.user("admin");
        for (int i = 0; i < 5; i++) {
            api.user("user" + i);
        }
        String auth = api.bearer(admin);
        JsonNode page = json(api.send("GET", "/v1/users?limit=4", null, "Authorization", auth));
        assertEquals(4, page.get("items").size());
        String next = page.get("next").asText();
        JsonNode rest = json(api.send("GET", next.substring(api.base.length()), null, "Authorization", auth));
        assertEquals(2, rest.get("items").size());
        assertFalse(rest.has("next"));
        JsonNode filtered = json(api.send("GET", "/v1/users?email=USER3", null, "Authorization", auth));
        assertEquals(1, filtered.get("items").size());
        assertEquals(0, json(api.send("GET", "/v1/users?blocked=true", null, "Authorization", auth)).get("items").size());
        problem(api.send("GET", "/v1/users?limit=101", null, "Authorization", auth), 400);
        problem(api.send("GET", "/v1/users?cursor=%21%21", null, "Authorization", auth), 400);
        problem(api.send("GET", "/v1/users?blocked=maybe", null, "Authorization", auth), 400);
    }

    @Test
    void adminBlocksGrantsRevokesAndDeletes() throws Exception {
        String admin = api.bearer(api.user("admin"));
        User target = api.user("trent");
        String targetAuth = api.bearer(target);
        String path = "/v1/users/" + target.id().value();

        assertEquals("trent", json(api.send("GET", path, null, "Authorization", admin)).get("username").asText());
        assertEquals(200, api.send("PUT", path + "/block", null, "Authorization", admin).statusCode());
        assertEquals("the account is blocked", problem(api.send("GET", "/v1/me", null, "Authorization", targetAuth), 403)
                .get("detail").asText());
        problem(post("/v1/auth/login", "{\"email\":\"trent@example.com\",\"password\":\"Secret123\"}"), 403);
        assertEquals(1, json(api.send("GET", "/v1/users?blocked=true", null, "Authorization", admin)).get("items").size());
        assertFalse(json(api.send("DELETE", path + "/block", null, "Authorization", admin)).get("blocked").asBoolean());

        api.send("DELETE", path + "/permissions/read:resolver", null, "Authorization", admin);
        JsonNode missing = problem(api.send("GET", "/v1/resolve/example.com/A", null, "Authorization", targetAuth), 403);
        assertEquals("read:resolver", missing.get("missingPermission").asText());
        api.send("PUT", path + "/permissions/read:resolver", null, "Authorization", admin);
        assertEquals(200, api.send("GET", "/v1/resolve/example.com/A", null, "Authorization", targetAuth).statusCode());
        problem(api.send("PUT", path + "/permissions/root:everything", null, "Authorization", admin), 404);

        JsonNode renamed = json(api.send("PATCH", path, "{\"displayName\":\"Trent T\"}", "Authorization", admin));
        assertEquals("Trent T", renamed.get("displayName").asText());

        assertEquals(204, api.send("DELETE", path, null, "Authorization", admin).statusCode());
        problem(api.send("GET", path, null, "Authorization", admin), 404);
        problem(api.send("DELETE", path, null, "Authorization", admin), 404);
        problem(api.send("GET", "/v1/users/not-an-id", null, "Authorization", admin), 404);
        problem(api.send("PUT", "/v1/users/01ARZ3NDEKTSV4RRFFQ69G5FAV/block", null, "Authorization", admin), 404);
    }

    @Test
    void administratorsRotateTheSigningKey() throws Exception {
        HttpResponse<String> rotated = api.send("POST", "/v1/admin/signing-keys/rotate", null, "Authorization", api.bearer(api.user("admin")));
        assertEquals(200, rotated.statusCode(), rotated.body());
        assertEquals("opaque-1", json(rotated).get("keyId").asText());
        problem(api.send("POST", "/v1/admin/signing-keys/rotate", null, "Authorization", api.bearer(api.user("nobody"))), 403);
    }

    @Test
    void wellKnownDocumentsArePublic() throws Exception {
        HttpResponse<String> jwks = api.send("GET", "/.well-known/jwks.json", null);
        assertEquals(200, jwks.statusCode());
        assertTrue(json(jwks).has("keys"));
        JsonNode discovery = json(api.send("GET", "/.well-known/openid-configuration", null));
        assertEquals(api.base + "/.well-known/jwks.json", discovery.get("jwks_uri").asText());
    }
}
