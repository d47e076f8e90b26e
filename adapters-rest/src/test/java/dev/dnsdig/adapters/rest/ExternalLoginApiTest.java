package dev.dnsdig.adapters.rest;

import static dev.dnsdig.adapters.rest.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.application.port.out.ExternalLoginProvider.Exchange;
import dev.dnsdig.application.port.out.ExternalLoginProvider.Profile;
import dev.dnsdig.application.service.ReadinessService;
import dev.dnsdig.application.service.ResolutionService;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.user.ExternalIdentity;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/auth/login-url} and {@code /v1/auth/callback/{provider}} over real HTTP, every status. */
class ExternalLoginApiTest {
    private ResolutionService resolution;
    private TestApi api;

    @BeforeEach
    void start() {
        resolution = new ResolutionService(List.of(new DnsProvider("p", List.of(new UpstreamServer("192.0.2.1", 53)))),
                new dev.dnsdig.application.fakes.ScriptedDnsResolver(), Duration.ofMillis(300), Clock.systemUTC());
        api = new TestApi(resolution, resolution, new ReadinessService(List.of()));
    }

    @AfterEach
    void stop() {
        api.close();
        resolution.close();
    }

    private JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        return json(response);
    }

    private String begin(String body) throws Exception {
        HttpResponse<String> response = api.send("POST", "/v1/auth/login-url", body);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode started = json(response);
        assertTrue(started.get("loginUrl").asText().contains("code_challenge_method=S256"));
        return started.get("state").asText();
    }

    private HttpResponse<String> callback(String state) throws Exception {
        return api.send("GET", "/v1/auth/callback/kinde?code=" + api.login.codeFor(state) + "&state="
                + URLEncoder.encode(state, StandardCharsets.UTF_8), null);
    }

    private static Profile person(String sub, String email, boolean verified) {
        return new Profile(new ExternalIdentity("kinde", sub), Optional.of(email), verified, Optional.empty());
    }

    @Test
    void theFlowReturnsOurTokensAndTheStore() throws Exception {
        api.login.willAuthenticate(person("sub-1", "flow@example.com", true));
        String state = begin("{\"store\":{\"returnTo\":\"/dashboard\",\"n\":[1,2]}}");
        HttpResponse<String> done = callback(state);
        assertEquals(200, done.statusCode(), done.body());
        JsonNode body = json(done);
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals("/dashboard", body.get("store").get("returnTo").asText());
        assertEquals(2, body.get("store").get("n").size());
        HttpResponse<String> me = api.send("GET", "/v1/me", null, "Authorization", "Bearer " + body.get("access_token").asText());
        assertEquals("kinde", json(me).get("identities").get(0).get("provider").asText());
    }

    @Test
    void aCallersStateIsKeptAndAnEmptyBodyIsFine() throws Exception {
        assertEquals("caller-state-1", begin("{\"state\":\"caller-state-1\"}"));
        assertTrue(begin("{}").length() >= 43);
        HttpResponse<String> noBody = api.send("POST", "/v1/auth/login-url", "");
        assertEquals(200, noBody.statusCode(), noBody.body());
    }

    @Test
    void badLoginUrlRequestsAre422And404() throws Exception {
        problem(api.send("POST", "/v1/auth/login-url", "{\"state\":\"short\"}"), 422);
        problem(api.send("POST", "/v1/auth/login-url", "{\"store\":[1]}"), 422);
        problem(api.send("POST", "/v1/auth/login-url", "{\"store\":{\"big\":\"" + "x".repeat(5000) + "\"}}"), 422);
        assertEquals("extra", problem(api.send("POST", "/v1/auth/login-url", "{\"extra\":1}"), 422)
                .get("errors").get(0).get("field").asText());
        problem(api.send("POST", "/v1/auth/login-url", "{\"provider\":\"nope\"}"), 404);
        problem(api.send("POST", "/v1/auth/login-url", "[]"), 422);
        api.login.down(true);
        problem(api.send("POST", "/v1/auth/login-url", "{}"), 502);
    }

    @Test
    void replayedOrUnknownStatesAre400() throws Exception {
        api.login.willAuthenticate(person("sub-2", "replay@example.com", true));
        String state = begin("{}");
        assertEquals(200, callback(state).statusCode());
        assertEquals("urn:dnsdig:problem:invalid-state", problem(api.send("GET",
                "/v1/auth/callback/kinde?code=x&state=" + state, null), 400).get("type").asText());
        problem(api.send("GET", "/v1/auth/callback/kinde?code=x", null), 400);
        problem(api.send("GET", "/v1/auth/callback/other?code=x&state=y", null), 404);
    }

    @Test
    void aProviderErrorIs400CarryingIt() throws Exception {
        String state = begin("{}");
        JsonNode body = problem(api.send("GET", "/v1/auth/callback/kinde?error=access_denied&error_description=no&state=" + state, null), 400);
        assertEquals("access_denied", body.get("error").asText());
    }

    @Test
    void verificationFailuresOutagesBlocksAndUnverifiedEmails() throws Exception {
        api.login.willFail(new Exchange.Rejected("id_token signature invalid"));
        problem(callback(begin("{}")), 401);
        api.login.willFail(new Exchange.Unavailable("connection refused"));
        problem(callback(begin("{}")), 502);
        api.login.willFail(new Exchange.ProviderError("invalid_grant", "code expired"));
        assertEquals("invalid_grant", problem(callback(begin("{}")), 400).get("error").asText());

        api.user("victim");
        api.login.willAuthenticate(person("attacker", "victim@example.com", false));
        problem(callback(begin("{}")), 409);

        api.login.willAuthenticate(person("sub-3", "blocked@example.com", true));
        callback(begin("{}"));
        api.accounts.block(api.users.findByIdentity(new ExternalIdentity("kinde", "sub-3")).orElseThrow().id());
        problem(callback(begin("{}")), 403);
    }
}
