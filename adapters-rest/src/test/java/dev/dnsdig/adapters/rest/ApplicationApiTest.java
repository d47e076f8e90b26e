package dev.dnsdig.adapters.rest;

import static dev.dnsdig.adapters.rest.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Machine clients over real HTTP: {@code /v1/me/applications} and the token endpoint {@code /v1/oauth2/token}. */
class ApplicationApiTest {
    private static final String APPS = "/v1/me/applications";
    private static final String TOKEN = "/v1/oauth2/token";
    private static final String FORM = "application/x-www-form-urlencoded";

    private TestApi api;

    @BeforeEach
    void start() {
        api = TestApi.withScriptedDns();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    // ---- helpers

    /** A created application as the API answered: id and the one-time secret. */
    private record Created(String clientId, String secret, JsonNode body) {
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = json(response);
        assertEquals(status, body.get("status").asInt());
        return body;
    }

    /** An RFC 6749 5.2 error in problem form. */
    private static JsonNode oauthError(HttpResponse<String> response, int status, String error) throws Exception {
        JsonNode body = problem(response, status);
        assertEquals(error, body.get("error").asText(), body.toString());
        assertEquals(body.get("detail").asText(), body.get("error_description").asText());
        assertEquals("urn:dnsdig:problem:" + error.replace('_', '-'), body.get("type").asText());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        return body;
    }

    private static String createBody(String name, String... scopes) {
        StringBuilder list = new StringBuilder();
        for (String scope : scopes) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(scope).append('"');
        }
        return "{\"name\":\"" + name + "\",\"permissions\":[" + list + "]}";
    }

    private Created create(String auth, String name, String... scopes) throws Exception {
        HttpResponse<String> response = api.send("POST", APPS, createBody(name, scopes), "Authorization", auth);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode body = json(response);
        return new Created(body.get("client_id").asText(), body.get("client_secret").asText(), body);
    }

    private HttpResponse<String> token(String form, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = FORM;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return api.send("POST", TOKEN, form, all);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode clientToken(Created app) throws Exception {
        HttpResponse<String> response = token("grant_type=client_credentials", "Authorization", basic(app.clientId(), app.secret()));
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    private static String bearer(JsonNode tokens) {
        return "Bearer " + tokens.get("access_token").asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    private HttpResponse<String> resolve(String auth) throws Exception {
        return api.send("GET", "/v1/resolve/example.com/A", null, "Authorization", auth);
    }

    // ---- managing applications

    @Test
    void createListGetAndDelete() throws Exception {
        User owner = api.user("olga");
        String auth = api.bearer(owner);

        HttpResponse<String> response = api.send("POST", APPS, createBody("Nightly check", "read:resolver", "read:todos"),
                "Authorization", auth);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode created = json(response);
        String id = created.get("client_id").asText();
        assertTrue(ClientId.isValid(id), id);
        assertEquals(api.base + APPS + "/" + id, response.headers().firstValue("Location").orElseThrow());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(43, created.get("client_secret").asText().length());
        assertEquals("Nightly check", created.get("name").asText());
        assertEquals(List.of("read:resolver", "read:todos"), texts(created.get("permissions")));
        assertTrue(created.hasNonNull("createdAt"));

        JsonNode list = json(api.send("GET", APPS, null, "Authorization", auth));
        assertEquals(1, list.get("items").size());
        assertEquals(id, list.get("items").get(0).get("client_id").asText());
        assertEquals(List.of("read:resolver", "read:todos"), texts(list.get("items").get(0).get("permissions")));
        HttpResponse<String> one = api.send("GET", APPS + "/" + id, null, "Authorization", auth);
        assertEquals(200, one.statusCode(), one.body());
        assertEquals("Nightly check", json(one).get("name").asText());

        assertEquals(204, api.send("DELETE", APPS + "/" + id, null, "Authorization", auth).statusCode());
        assertEquals(0, json(api.send("GET", APPS, null, "Authorization", auth)).get("items").size());
        problem(api.send("DELETE", APPS + "/" + id, null, "Authorization", auth), 404);
        problem(api.send("GET", APPS + "/" + id, null, "Authorization", auth), 404);
        assertTrue(api.applications.listByOwner(owner.id()).isEmpty());
    }

    @Test
    void theSecretIsShownOnceAndStoredOnlyAsAHash() throws Exception {
        User owner = api.user("sam");
        String auth = api.bearer(owner);
        Created app = create(auth, "ci", "read:resolver");

        Application stored = api.applications.findById(new ClientId(app.clientId())).orElseThrow();
        assertNotEquals(app.secret(), stored.secretHash());
        assertFalse(stored.secretHash().contains(app.secret()));
        for (String path : List.of(APPS, APPS + "/" + app.clientId())) {
            String body = api.send("GET", path, null, "Authorization", auth).body();
            assertTrue(body.contains(app.clientId()), body);
            assertFalse(body.contains(app.secret()), "the secret never again: " + body);
            assertFalse(body.contains(stored.secretHash()), "nor its hash: " + body);
            assertFalse(body.toLowerCase().contains("secret") || body.toLowerCase().contains("hash"), body);
        }
        Created second = create(auth, "ci", "read:resolver");
        assertNotEquals(app.secret(), second.secret());
        assertNotEquals(app.clientId(), second.clientId());
    }

    @Test
    void permissionsTheCallerLacksAre422NamingThem() throws Exception {
        User owner = api.user("pete");
        api.accounts.revoke(owner.id(), Permission.WRITE_TODOS);
        String auth = api.bearer(api.users.findById(owner.id()).orElseThrow());

        JsonNode lacking = problem(api.send("POST", APPS, createBody("x", "read:resolver", "write:todos", "admin:users"),
                "Authorization", auth), 422);
        assertEquals(List.of("write:todos", "admin:users"), texts(lacking.get("notHeld")));
        assertTrue(lacking.get("detail").asText().contains("write:todos, admin:users"), lacking.toString());
        assertEquals("permissions", lacking.get("errors").get(0).get("field").asText());

        JsonNode unknown = problem(api.send("POST", APPS, createBody("x", "read:resolver", "root:everything"),
                "Authorization", auth), 422);
        assertEquals("permissions[1]", unknown.get("errors").get(0).get("field").asText());
        assertTrue(unknown.get("errors").get(0).get("message").asText().contains("root:everything"), unknown.toString());
        assertTrue(api.applications.listByOwner(owner.id()).isEmpty(), "nothing was created");
    }

    @Test
    void invalidBodiesAre422Or415AndCreateNothing() throws Exception {
        User owner = api.user("quinn");
        String auth = api.bearer(owner);

        assertEquals("name", problem(api.send("POST", APPS, createBody("   ", "read:resolver"), "Authorization", auth), 422)
                .get("errors").get(0).get("field").asText());
        assertEquals("name", problem(api.send("POST", APPS, createBody("n".repeat(101), "read:resolver"), "Authorization", auth), 422)
                .get("errors").get(0).get("field").asText());
        assertEquals("permissions", problem(api.send("POST", APPS, "{\"name\":\"x\"}", "Authorization", auth), 422)
                .get("errors").get(0).get("field").asText());
        assertEquals("permissions[0]", problem(api.send("POST", APPS, "{\"name\":\"x\",\"permissions\":[null]}",
                "Authorization", auth), 422).get("errors").get(0).get("field").asText());
        assertEquals("client_secret", problem(api.send("POST", APPS,
                "{\"name\":\"x\",\"permissions\":[],\"client_secret\":\"mine\"}", "Authorization", auth), 422)
                .get("errors").get(0).get("field").asText());
        assertEquals("body", problem(api.send("POST", APPS, "", "Authorization", auth), 422)
                .get("errors").get(0).get("field").asText());
        problem(api.send("POST", APPS, "name=x", "Authorization", auth, "Content-Type", FORM), 415);
        assertTrue(api.applications.listByOwner(owner.id()).isEmpty());
    }

    @Test
    void anotherUsersOrAnUnknownApplicationIs404() throws Exception {
        String alice = api.bearer(api.user("alice"));
        String bob = api.bearer(api.user("bob"));
        Created alices = create(alice, "alices", "read:resolver");

        problem(api.send("DELETE", APPS + "/" + alices.clientId(), null, "Authorization", bob), 404);
        problem(api.send("GET", APPS + "/" + alices.clientId(), null, "Authorization", bob), 404);
        assertEquals(0, json(api.send("GET", APPS, null, "Authorization", bob)).get("items").size());
        JsonNode unknown = problem(api.send("DELETE", APPS + "/01ARZ3NDEKTSV4RRFFQ69G5FAV", null, "Authorization", alice), 404);
        assertEquals("urn:dnsdig:problem:application-not-found", unknown.get("type").asText());
        problem(api.send("DELETE", APPS + "/not-an-id", null, "Authorization", alice), 404);
        assertTrue(api.applications.findById(new ClientId(alices.clientId())).isPresent(), "still there");
        assertEquals(200, token("grant_type=client_credentials", "Authorization", basic(alices.clientId(), alices.secret()))
                .statusCode(), "and still working");
    }

    @Test
    void managingApplicationsNeedsATokenAndTheApplicationPermissions() throws Exception {
        User owner = api.user("rita");
        String full = api.bearer(owner);
        Created app = create(full, "app", "read:resolver");

        HttpResponse<String> anonymous = api.send("GET", APPS, null);
        problem(anonymous, 401);
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        problem(api.send("POST", APPS, createBody("x", "read:resolver")), 401);

        String readOnly = "Bearer " + api.tokens.issue(owner.id(), Set.of(Permission.READ_APPLICATION), java.time.Instant.now()).token();
        assertEquals(200, api.send("GET", APPS, null, "Authorization", readOnly).statusCode());
        assertEquals("write:application", problem(api.send("POST", APPS, createBody("x"), "Authorization", readOnly), 403)
                .get("missingPermission").asText());
        assertEquals("write:application", problem(api.send("DELETE", APPS + "/" + app.clientId(), null,
                "Authorization", readOnly), 403).get("missingPermission").asText());

        String writeOnly = "Bearer " + api.tokens.issue(owner.id(), Set.of(Permission.WRITE_APPLICATION), java.time.Instant.now()).token();
        assertEquals("read:application", problem(api.send("GET", APPS, null, "Authorization", writeOnly), 403)
                .get("missingPermission").asText());
        assertEquals("read:application", problem(api.send("GET", APPS + "/" + app.clientId(), null, "Authorization", writeOnly), 403)
                .get("missingPermission").asText());
        assertEquals(1, api.applications.listByOwner(owner.id()).size());
    }

    @Test
    void aClientTokenCannotCreateAStrongerApplication() throws Exception {
        String owner = api.bearer(api.user("vera"));
        Created manager = create(owner, "manager", "read:application", "write:application", "read:resolver");
        String managerToken = bearer(clientToken(manager));

        JsonNode refused = problem(api.send("POST", APPS, createBody("escalation", "read:resolver", "write:todos"),
                "Authorization", managerToken), 422);
        assertEquals(List.of("write:todos"), texts(refused.get("notHeld")));
        Created weaker = create(managerToken, "weaker", "read:resolver");
        assertEquals(List.of("read:resolver"), texts(weaker.body().get("permissions")));
    }

    // ---- the token endpoint

    @Test
    void clientCredentialsWithHttpBasicGiveAnAccessTokenForTheOwner() throws Exception {
        User owner = api.user("carl");
        Created app = create(api.bearer(owner), "resolver bot", "read:resolver", "read:todos");

        HttpResponse<String> response = token("grant_type=client_credentials", "Authorization", basic(app.clientId(), app.secret()));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("no-cache", response.headers().firstValue("Pragma").orElse(""));
        JsonNode tokens = json(response);
        assertEquals("Bearer", tokens.get("token_type").asText());
        assertEquals(900, tokens.get("expires_in").asInt());
        assertEquals("read:resolver read:todos", tokens.get("scope").asText());
        assertFalse(tokens.has("refresh_token"), "no refresh token for this grant");
        assertEquals(200, resolve(bearer(tokens)).statusCode());
        HttpResponse<String> me = api.send("GET", "/v1/me", null, "Authorization", bearer(tokens));
        assertEquals("carl", json(me).get("username").asText(), "it acts for its owner");
    }

    @Test
    void clientCredentialsInTheFormWorkToo() throws Exception {
        Created app = create(api.bearer(api.user("fay")), "form client", "read:resolver");

        HttpResponse<String> response = token("grant_type=client_credentials&client_id=" + enc(app.clientId())
                + "&client_secret=" + enc(app.secret()) + "&scope=admin%3Ausers");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("read:resolver", json(response).get("scope").asText(), "a requested scope never widens the token");
        assertEquals(200, resolve(bearer(json(response))).statusCode());
    }

    @Test
    void aWrongSecretOrUnknownClientIsInvalidClient() throws Exception {
        Created app = create(api.bearer(api.user("gil")), "app", "read:resolver");
        Created other = create(api.bearer(api.user("hal")), "other", "read:resolver");

        HttpResponse<String> viaBasic = token("grant_type=client_credentials", "Authorization", basic(app.clientId(), app.secret() + "x"));
        JsonNode wrong = oauthError(viaBasic, 401, "invalid_client");
        assertEquals("Basic realm=\"dnsdig\"", viaBasic.headers().firstValue("WWW-Authenticate").orElseThrow());

        HttpResponse<String> viaForm = token("grant_type=client_credentials&client_id=" + app.clientId()
                + "&client_secret=" + enc(other.secret()));
        assertEquals(wrong.get("detail"), oauthError(viaForm, 401, "invalid_client").get("detail"));
        JsonNode unknown = oauthError(token("grant_type=client_credentials", "Authorization",
                basic("01ARZ3NDEKTSV4RRFFQ69G5FAV", app.secret())), 401, "invalid_client");
        assertEquals(wrong.get("detail"), unknown.get("detail"), "one answer for an unknown client and a wrong secret");
        oauthError(token("grant_type=client_credentials", "Authorization", basic("not-an-id", app.secret())), 401, "invalid_client");
        oauthError(token("grant_type=client_credentials&client_id=" + app.clientId()), 401, "invalid_client");
        HttpResponse<String> none = token("grant_type=client_credentials");
        oauthError(none, 401, "invalid_client");
        assertEquals("Basic realm=\"dnsdig\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        oauthError(token("grant_type=client_credentials", "Authorization", "Basic !!!"), 401, "invalid_client");
        oauthError(token("grant_type=client_credentials", "Authorization", "Basic "
                + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))), 401, "invalid_client");
        oauthError(token("grant_type=client_credentials", "Authorization", "Bearer " + app.secret()), 401, "invalid_client");
    }

    @Test
    void malformedTokenRequestsAre400Or415() throws Exception {
        Created app = create(api.bearer(api.user("ida")), "app", "read:resolver");
        String basic = basic(app.clientId(), app.secret());

        oauthError(token("", "Authorization", basic), 400, "invalid_request");
        // neither a body nor a Content-Type: Jersey hands the resource no form at all (found by JsonBodyFuzzTest)
        oauthError(api.send("POST", TOKEN, null), 400, "invalid_request");
        oauthError(token("grant_type=", "Authorization", basic), 400, "invalid_request");
        assertTrue(oauthError(token("grant_type=password&username=a&password=b"), 400, "unsupported_grant_type")
                .get("detail").asText().contains("client_credentials"));
        oauthError(token("grant_type=authorization_code&code=x", "Authorization", basic), 400, "unsupported_grant_type");
        assertTrue(oauthError(token("grant_type=client_credentials&grant_type=client_credentials", "Authorization", basic),
                400, "invalid_request").get("detail").asText().contains("grant_type"));
        oauthError(token("grant_type=client_credentials&client_secret=" + enc(app.secret()), "Authorization", basic),
                400, "invalid_request");
        oauthError(token("grant_type=client_credentials&client_id=01ARZ3NDEKTSV4RRFFQ69G5FAV", "Authorization", basic),
                400, "invalid_request");
        assertEquals(200, token("grant_type=client_credentials&client_id=" + app.clientId(), "Authorization", basic).statusCode(),
                "the same client_id beside Basic is harmless");

        problem(api.send("POST", TOKEN, "{\"grant_type\":\"client_credentials\"}", "Authorization", basic), 415);
        problem(api.send("GET", TOKEN, null), 405);
    }

    @Test
    void aDeletedApplicationsTokenFailsAtTheNextRequest() throws Exception {
        String owner = api.bearer(api.user("jon"));
        Created app = create(owner, "doomed", "read:resolver");
        String clientAuth = bearer(clientToken(app));
        assertEquals(200, resolve(clientAuth).statusCode());

        assertEquals(204, api.send("DELETE", APPS + "/" + app.clientId(), null, "Authorization", owner).statusCode());

        HttpResponse<String> after = resolve(clientAuth);
        problem(after, 401);
        assertTrue(after.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
        oauthError(token("grant_type=client_credentials", "Authorization", basic(app.clientId(), app.secret())), 401, "invalid_client");
        assertEquals(200, resolve(owner).statusCode(), "the owner's own token is untouched");
    }

    @Test
    void aBlockedOwnersApplicationIsForbidden() throws Exception {
        User owner = api.user("kim");
        Created app = create(api.bearer(owner), "app", "read:resolver");
        String clientAuth = bearer(clientToken(app));

        api.accounts.block(owner.id());

        JsonNode blocked = problem(token("grant_type=client_credentials", "Authorization", basic(app.clientId(), app.secret())), 403);
        assertEquals("urn:dnsdig:problem:blocked", blocked.get("type").asText());
        assertEquals("unauthorized_client", blocked.get("error").asText());
        assertEquals("the account is blocked", problem(resolve(clientAuth), 403).get("detail").asText());

        api.accounts.unblock(owner.id());
        assertEquals(200, resolve(bearer(clientToken(app))).statusCode());
    }

    @Test
    void aClientTokenNeedsReadResolverAmongItsPermissions() throws Exception {
        User owner = api.user("lea");
        Created todosOnly = create(api.bearer(owner), "todos", "read:todos");

        JsonNode tokens = clientToken(todosOnly);
        assertEquals("read:todos", tokens.get("scope").asText());
        JsonNode missing = problem(resolve(bearer(tokens)), 403);
        assertEquals("read:resolver", missing.get("missingPermission").asText());
        assertTrue(missing.get("detail").asText().contains("read:resolver"));
        assertTrue(owner.has(Permission.READ_RESOLVER), "although the owner has it");
    }

    @Test
    void aClientTokenCarriesOnlyWhatTheOwnerStillHolds() throws Exception {
        User owner = api.user("max");
        Created app = create(api.bearer(owner), "app", "read:resolver", "read:todos");
        String before = bearer(clientToken(app));

        api.accounts.revoke(owner.id(), Permission.READ_RESOLVER);

        assertEquals("read:resolver", problem(resolve(before), 403).get("missingPermission").asText(),
                "an existing token loses it at the next request");
        assertEquals("read:todos", clientToken(app).get("scope").asText(), "a new one never has it");
    }

    @Test
    void deletingTheAccountDeletesItsApplications() throws Exception {
        User owner = api.user("ned");
        String auth = api.bearer(owner);
        Created app = create(auth, "app", "read:resolver");
        String clientAuth = bearer(clientToken(app));

        assertEquals(204, api.send("DELETE", "/v1/me", null, "Authorization", auth).statusCode());

        assertTrue(api.applications.listByOwner(owner.id()).isEmpty());
        oauthError(token("grant_type=client_credentials", "Authorization", basic(app.clientId(), app.secret())), 401, "invalid_client");
        problem(resolve(clientAuth), 401);
    }

    @Test
    void theRefreshGrantRotatesLikeAuthRefresh() throws Exception {
        api.user("otto");
        HttpResponse<String> login = api.send("POST", "/v1/auth/login", "{\"email\":\"otto@example.com\",\"password\":\"Secret123\"}");
        String first = json(login).get("refresh_token").asText();

        HttpResponse<String> refreshed = token("grant_type=refresh_token&refresh_token=" + enc(first));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        assertEquals("no-store", refreshed.headers().firstValue("Cache-Control").orElse(""));
        JsonNode tokens = json(refreshed);
        String second = tokens.get("refresh_token").asText();
        assertNotEquals(first, second);
        assertEquals(200, resolve(bearer(tokens)).statusCode());

        oauthError(token("grant_type=refresh_token&refresh_token=" + enc(first)), 400, "invalid_grant");
        JsonNode revoked = oauthError(token("grant_type=refresh_token&refresh_token=" + enc(second)), 400, "invalid_grant");
        assertTrue(revoked.get("detail").asText().contains("revoked"), "reuse revoked the session: " + revoked);
        oauthError(token("grant_type=refresh_token&refresh_token=nonsense"), 400, "invalid_grant");
        oauthError(token("grant_type=refresh_token"), 400, "invalid_request");
    }

    @Test
    void theRefreshGrantTakesNoClientAuthenticationAndRefusesBlockedUsers() throws Exception {
        User user = api.user("pia");
        Created app = create(api.bearer(user), "app", "read:resolver");
        String refresh = json(api.send("POST", "/v1/auth/login", "{\"email\":\"pia@example.com\",\"password\":\"Secret123\"}"))
                .get("refresh_token").asText();

        oauthError(token("grant_type=refresh_token&refresh_token=" + enc(refresh), "Authorization",
                basic(app.clientId(), app.secret())), 400, "invalid_request");
        oauthError(token("grant_type=refresh_token&refresh_token=" + enc(refresh) + "&client_id=" + app.clientId()
                + "&client_secret=" + enc(app.secret())), 400, "invalid_request");

        String unused = json(api.send("POST", "/v1/auth/login", "{\"email\":\"pia@example.com\",\"password\":\"Secret123\"}"))
                .get("refresh_token").asText();
        api.users.update(api.users.findById(user.id()).orElseThrow()
                .withBlockedAt(java.util.Optional.of(java.time.Instant.now()), java.time.Instant.now()));
        JsonNode blocked = problem(token("grant_type=refresh_token&refresh_token=" + enc(unused)), 403);
        assertEquals("urn:dnsdig:problem:blocked", blocked.get("type").asText());
    }
}
