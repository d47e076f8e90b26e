package dev.dnsdig.adapters.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import dev.dnsdig.adapters.rest.ratelimit.TrustedProxies;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import dev.dnsdig.domain.user.User;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rate limits over real HTTP: 429 problems, the RateLimit fields, who counts as one caller, X-Forwarded-For. */
class RateLimitApiTest {
    private static final String LOGIN_ALICE = "{\"email\":\"Alice@Example.com\",\"password\":\"Wrong1234\"}";
    private TestApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static Optional<Policy> perMinute(String name, int limit) {
        return Optional.of(new Policy(name, limit, Duration.ofMinutes(1)));
    }

    private void start(int anonymous, int user, int login, String trustedProxies) {
        api = TestApi.withScriptedDns(new RateLimits(perMinute("anonymous", anonymous), perMinute("user", user),
                perMinute("login", login), TrustedProxies.parse(trustedProxies)));
    }

    private HttpResponse<String> freesolve(String... headers) throws Exception {
        return api.send("GET", "/v1/freesolve/example.com/A", null, headers);
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse("(none)");
    }

    private static void assertTooMany(HttpResponse<String> response, String violated) throws Exception {
        assertEquals(429, response.statusCode(), response.body());
        assertEquals("application/problem+json", header(response, "Content-Type"));
        assertEquals(Integer.toString(TestApi.RATE_LIMIT_RESET_S), header(response, "Retry-After"));
        JsonNode problem = TestApi.json(response);
        assertEquals("urn:dnsdig:problem:rate-limited", problem.get("type").asText());
        assertEquals(violated, problem.get("violated-policies").get(0).asText());
    }

    @Test
    void anonymousCallersGetTheLimitThenA429AndEveryResponseSaysWhereTheyStand() throws Exception {
        start(3, 100, 100, "");
        for (int remaining = 2; remaining >= 0; remaining--) {
            HttpResponse<String> ok = freesolve();
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("\"anonymous\";q=3;w=60", header(ok, "RateLimit-Policy"));
            assertEquals("\"anonymous\";r=" + remaining + ";t=40", header(ok, "RateLimit"));
        }
        HttpResponse<String> refused = freesolve();
        assertTooMany(refused, "anonymous");
        assertEquals("\"anonymous\";q=3;w=60", header(refused, "RateLimit-Policy"));
        assertEquals("\"anonymous\";r=0;t=40", header(refused, "RateLimit"));
        // one budget for every anonymous route of an address
        assertTooMany(api.send("POST", "/v1/auth/refresh", "{\"refresh_token\":\"whatever\"}"), "anonymous");
        assertTooMany(api.send("POST", "/v1/oauth2/token", "grant_type=client_credentials",
                "Content-Type", "application/x-www-form-urlencoded"), "anonymous");
    }

    @Test
    void refusedCredentialsCountPerAddressAndValidOnesDoNot() throws Exception {
        start(3, 100, 100, "");
        String user = api.bearer(api.user("carol")); // a user behind the same address as a guesser
        for (int remaining = 2; remaining >= 0; remaining--) {
            HttpResponse<String> refused = api.send("GET", "/v1/me", null, "Authorization", "Bearer guess" + remaining);
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("\"refused-credentials\";q=3;w=60", header(refused, "RateLimit-Policy"));
            assertEquals("\"refused-credentials\";r=" + remaining + ";t=40", header(refused, "RateLimit"));
        }
        HttpResponse<String> throttled = api.send("GET", "/v1/me", null, "Authorization", "Bearer guess3");
        assertTooMany(throttled, "refused-credentials");
        assertTrue(throttled.headers().firstValue("WWW-Authenticate").isEmpty(), throttled.headers().toString());
        assertEquals(429, api.send("GET", "/v1/todos", null).statusCode(), "no credentials at all count the same");
        // the valid token still works from the same address, and is not counted against it
        HttpResponse<String> me = api.send("GET", "/v1/me", null, "Authorization", user);
        assertEquals(200, me.statusCode(), me.body());
        assertTrue(header(me, "RateLimit").startsWith("\"user\";"), header(me, "RateLimit"));
    }

    @Test
    void healthAndDiscoveryAreNeverLimited() throws Exception {
        start(1, 100, 100, "");
        freesolve();
        assertEquals(429, freesolve().statusCode());
        for (String path : new String[] {"/health/live", "/health/ready", "/.well-known/jwks.json",
            "/.well-known/openid-configuration"}) {
            HttpResponse<String> response = api.send("GET", path, null);
            assertEquals(200, response.statusCode(), path);
            assertEquals("(none)", header(response, "RateLimit"), path);
        }
    }

    @Test
    void usersAreCountedPerUserNotPerAddress() throws Exception {
        start(100, 2, 100, "");
        User alice = api.user("alice");
        User bob = api.user("bob");
        for (int remaining = 1; remaining >= 0; remaining--) {
            HttpResponse<String> ok = api.send("GET", "/v1/me", null, "Authorization", api.bearer(alice));
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("\"user\";q=2;w=60", header(ok, "RateLimit-Policy"));
            assertEquals("\"user\";r=" + remaining + ";t=40", header(ok, "RateLimit"));
        }
        assertTooMany(api.send("GET", "/v1/todos", null, "Authorization", api.bearer(alice)), "user");
        assertEquals(200, api.send("GET", "/v1/me", null, "Authorization", api.bearer(bob)).statusCode(),
                "same address, another user");
        assertEquals(200, freesolve().statusCode(), "the anonymous budget of the address is untouched");
        assertEquals("\"refused-credentials\";r=99;t=40", header(api.send("GET", "/v1/me", null), "RateLimit"),
                "no user: the 401 counts against the address, in a budget of its own");
    }

    @Test
    void loginIsLimitedPerAddressAndPerAccount() throws Exception {
        start(100, 100, 2, "127.0.0.1");
        api.user("alice");
        for (int remaining = 1; remaining >= 0; remaining--) {
            HttpResponse<String> wrong = api.send("POST", "/v1/auth/login", LOGIN_ALICE, "X-Forwarded-For", "198.51.100.1");
            assertEquals(401, wrong.statusCode(), wrong.body());
            assertEquals("\"anonymous\";q=100;w=60, \"login\";q=2;w=60, \"login-account\";q=2;w=60",
                    header(wrong, "RateLimit-Policy"));
            assertEquals("\"anonymous\";r=" + (98 + remaining) + ";t=40, \"login\";r=" + remaining
                    + ";t=40, \"login-account\";r=" + remaining + ";t=40", header(wrong, "RateLimit"));
        }
        assertTooMany(api.send("POST", "/v1/users", "{\"email\":\"carol@example.com\",\"username\":\"carol\","
                + "\"password\":\"Secret123\"}", "X-Forwarded-For", "198.51.100.1"), "login");
        // from elsewhere: alice's account has had its two attempts (the address is compared case-insensitively)
        assertTooMany(api.send("POST", "/v1/auth/login", LOGIN_ALICE.replace("Alice@Example", "alice@example"),
                "X-Forwarded-For", "198.51.100.2"), "login-account");
        assertEquals(201, api.send("POST", "/v1/users", "{\"email\":\"carol@example.com\",\"username\":\"carol\","
                + "\"password\":\"Secret123\"}", "X-Forwarded-For", "198.51.100.2").statusCode());
    }

    @Test
    void forwardedForNamesTheClientOnlyWhenTheProxyIsTrusted() throws Exception {
        start(1, 100, 100, "127.0.0.1, 10.0.0.0/8");
        assertEquals(200, freesolve("X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(200, freesolve("X-Forwarded-For", "198.51.100.2").statusCode(), "another client behind the proxy");
        assertTooMany(freesolve("X-Forwarded-For", "198.51.100.1"), "anonymous");
        // the right-most untrusted hop is the client; what it claimed before that is not believed
        assertEquals(200, freesolve("X-Forwarded-For", "192.0.2.66, 203.0.113.9, 10.1.2.3").statusCode());
        assertTooMany(freesolve("X-Forwarded-For", "192.0.2.77", "X-Forwarded-For", "203.0.113.9"), "anonymous");
        // IPv6 clients count per /64
        assertEquals(200, freesolve("X-Forwarded-For", "[2001:db8:1:2::1]:4711").statusCode());
        assertTooMany(freesolve("X-Forwarded-For", "2001:db8:1:2:ffff::9"), "anonymous");
        // garbage stops the walk at the proxy that passed it on: here the peer itself
        assertEquals(200, freesolve("X-Forwarded-For", "unknown").statusCode());
        assertTooMany(freesolve(), "anonymous");
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        start(1, 100, 100, "10.0.0.0/8");
        assertEquals(200, freesolve("X-Forwarded-For", "198.51.100.1").statusCode());
        assertTooMany(freesolve("X-Forwarded-For", "198.51.100.2"), "anonymous");
    }

    @Test
    void withoutLimitsNothingIsAnnounced() throws Exception {
        api = TestApi.withScriptedDns();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = freesolve();
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("RateLimit-Policy").isEmpty());
        }
    }
}
