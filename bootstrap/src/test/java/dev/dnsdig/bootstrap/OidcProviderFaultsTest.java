package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.bootstrap.FaultyOidcRoute.Fault;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wired server, in process over real HTTP, signing people in with an OpenID Connect provider (mock-oauth2-server
 * on 127.0.0.1) that goes away, answers too late, or answers garbage, HTML, errors or bad keys from its discovery,
 * token and JWKS endpoints ({@link FaultyOidcRoute}). Login start and callback answer a 502 problem within the
 * timeout; a provider access token whose keys cannot be fetched now answers 503 with Retry-After, not 401; tokens
 * already verified keep working; the built-in sign-up, login and resolve never notice; and everything works again
 * when the provider does, without a restart.
 */
class OidcProviderFaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    /** A late answer comes this late: far past the timeout, so an answer before it proves the timeout held. */
    private static final Duration LATE = Duration.ofSeconds(6);
    private static final String ISSUER_ID = "mock";
    private static final String CLIENT_ID = "dnsdig-web";
    private static final String AUDIENCE = "dnsdig-api";
    @AutoClose
    private static final KnotServer knot = KnotServer.start();

    /** Plays the browser: HTTP/1.1, redirects are ours to follow. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final FaultyOidcRoute faults = new FaultyOidcRoute();
    private final SwappableKeys keys = new SwappableKeys(rsaKey("key-1"));
    private final List<AutoCloseable> running = new ArrayList<>();
    private int providerPort;
    private MockOAuth2Server provider;
    private DnsDigServer server;
    private int builtInUsers;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : running.reversed()) {
            closeable.close();
        }
        stopProvider();
    }

    @Test
    void anUnreachableProviderFailsLoginsAnd503sTokensItMustCheckThenAllRecoversWithoutARestart(@TempDir Path data)
            throws Exception {
        providerPort = PackagedJar.freeLoopbackPort();
        startServer(data); // its provider's port is closed
        builtInWorks();
        long start = System.nanoTime();
        assertProvider502(post("/v1/auth/login-url", "{}"), "the identity provider is unreachable");
        assertTrue(elapsed(start).compareTo(LATE) < 0, "at once: " + elapsed(start));
        // the provider's access token: its keys were never fetched, and cannot be now
        String token = providerToken(keys.current, "user-42");
        Duration retryAfter = assertProvider503(get("/v1/me", token));
        long refused = System.nanoTime();
        builtInWorks();

        // the provider comes up: a failed discovery is not remembered, the keys are asked for again after Retry-After
        startProvider();
        assertEquals(200, post("/v1/auth/login-url", "{}").statusCode());
        sleepUntil(refused, retryAfter);
        assertEquals(200, signIn("user-42").statusCode());
        assertEquals(200, get("/v1/me", token).statusCode(), "checked with the provider's keys, and remembered");
        String unseen = providerToken("user-42");
        URI started = authorized(); // a login that passed the provider just before it went away

        stopProvider();
        assertEquals(200, get("/v1/me", token).statusCode(), "a token verified before keeps working");
        assertEquals(200, get("/v1/me", unseen).statusCode(), "so does a new one by a key fetched before");
        assertEquals(200, post("/v1/auth/login-url", "{}").statusCode(), "the start needs the provider the first time only");
        start = System.nanoTime();
        assertProvider502(callback(started), "the identity provider is unreachable");
        assertTrue(elapsed(start).compareTo(LATE) < 0, "at once: " + elapsed(start));
        builtInWorks();

        startProvider(); // back on the same address: no restart here
        assertEquals(200, signIn("user-42").statusCode());
        builtInWorks();
    }

    @Test
    void garbageLateAnswersAndBadKeysFailLoginsWith502AndProviderTokensWith503UntilTheProviderHeals(@TempDir Path data)
            throws Exception {
        providerPort = PackagedJar.freeLoopbackPort();
        startProvider();
        startServer(data);
        List<Fault> broken = List.of(Fault.notJson(), Fault.html(200), Fault.html(500), Fault.late(LATE));

        List<String> discoveryDetails = List.of("discovery document is not JSON", "discovery document is not JSON",
                "discovery answered HTTP 500", "did not answer in time");
        for (int i = 0; i < broken.size(); i++) {
            faults.fail(FaultyOidcRoute.DISCOVERY, broken.get(i));
            long start = System.nanoTime();
            assertProvider502(post("/v1/auth/login-url", "{}"), discoveryDetails.get(i));
            assertTrue(elapsed(start).compareTo(LATE.minusSeconds(1)) < 0, broken.get(i) + " took " + elapsed(start));
        }
        faults.heal(FaultyOidcRoute.DISCOVERY);

        // the keys too late: the callback is a 502, and a provider token cannot be checked now: 503
        faults.fail(FaultyOidcRoute.JWKS, Fault.late(LATE));
        long start = System.nanoTime();
        assertProvider502(callback(authorized()), "the identity provider's signing keys are unavailable");
        assertTrue(elapsed(start).compareTo(LATE.minusSeconds(1)) < 0, "took " + elapsed(start));
        String providerToken = providerToken("user-7");
        Duration retryAfter = assertProvider503(get("/v1/me", providerToken));
        long refused = System.nanoTime();

        List<String> tokenDetails = List.of("token response is not JSON", "token response is not JSON",
                "token endpoint answered HTTP 500", "did not answer in time");
        for (int i = 0; i < broken.size(); i++) {
            faults.fail(FaultyOidcRoute.TOKEN, broken.get(i));
            URI back = authorized();
            start = System.nanoTime();
            assertProvider502(callback(back), tokenDetails.get(i));
            assertTrue(elapsed(start).compareTo(LATE.minusSeconds(1)) < 0, broken.get(i) + " took " + elapsed(start));
        }
        faults.heal(FaultyOidcRoute.TOKEN);
        builtInWorks();

        // keys in valid JSON, but none of them usable: no better
        faults.fail(FaultyOidcRoute.JWKS, Fault.json("{\"keys\":[42,{\"kty\":\"RSA\",\"kid\":\"key-1\",\"n\":\"!!\",\"e\":\"AQAB\"}]}"));
        sleepUntil(refused, retryAfter);
        retryAfter = assertProvider503(get("/v1/me", providerToken));
        refused = System.nanoTime();
        assertProvider502(callback(authorized()), "the identity provider's signing keys are unavailable");

        faults.heal(FaultyOidcRoute.JWKS);
        sleepUntil(refused, retryAfter);
        assertEquals(200, signIn("user-7").statusCode(), "healed");
        assertEquals(200, get("/v1/me", providerToken).statusCode());

        // now that the keys are known: a provider token by a key that is not among them is refused (a verdict), and an
        // id_token by a key we do not have from the provider makes the callback a 502 (the provider's fault)
        HttpResponse<String> foreign = get("/v1/me", providerToken(rsaKey("key-9"), "user-7"));
        assertEquals(401, foreign.statusCode(), foreign.body());
        assertTrue(JSON.readTree(foreign.body()).get("detail").asText().contains("unknown signing key"), foreign.body());
        keys.use(rsaKey("key-3"));
        assertProvider502(signIn("user-7"), "not among the identity provider's published keys");
        builtInWorks();
    }

    // ---- the parts

    /** The provider's signing key, swapped when a test says so; its JWKS publishes the current one only. */
    private static final class SwappableKeys extends KeyProvider {
        private volatile RSAKey current;

        SwappableKeys(RSAKey first) {
            super(List.of(), "RS256");
            current = first;
        }

        void use(RSAKey key) {
            current = key;
        }

        @Override
        public JWK signingKey(String issuerId) {
            return current;
        }
    }

    private static RSAKey rsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String issuer() {
        return "http://127.0.0.1:" + providerPort + "/" + ISSUER_ID;
    }

    /** The provider on its port, with the faults route before its own; a new one each time, as after a restart. */
    private void startProvider() throws Exception {
        provider = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)), faults);
        // an address with its name given: no reverse lookup, and the mock's URLs (its issuer too) say 127.0.0.1
        provider.start(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}), providerPort);
        // its first answers load Kotlin, Netty, Nimbus...: seconds on a busy machine, more than our timeout allows
        for (String path : List.of("/.well-known/openid-configuration", "/jwks")) {
            http.send(HttpRequest.newBuilder(URI.create(issuer() + path)).build(), HttpResponse.BodyHandlers.discarding());
        }
        providerToken("warm-up");
    }

    private void stopProvider() {
        if (provider != null) {
            provider.shutdown();
            provider = null;
        }
    }

    private void startServer(Path data) {
        server = DnsDigServer.start(Config.from(Map.ofEntries(Map.entry("DNSDIG_HTTP_PORT", "0"),
                Map.entry("DNSDIG_DATA_DIR", data.toString()),
                Map.entry("DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot")),
                Map.entry("DNSDIG_RATELIMIT_ANONYMOUS", "off"), Map.entry("DNSDIG_RATELIMIT_LOGIN", "off"),
                Map.entry("DNSDIG_OIDC_ISSUER", issuer()), Map.entry("DNSDIG_OIDC_CLIENT_ID", CLIENT_ID),
                Map.entry("DNSDIG_OIDC_CLIENT_SECRET", "top-secret"), Map.entry("DNSDIG_OIDC_NAME", ISSUER_ID),
                // the browser is played by the test: it carries the code to our callback itself
                Map.entry("DNSDIG_OIDC_REDIRECT_URI", "http://127.0.0.1:9/v1/auth/callback/" + ISSUER_ID),
                Map.entry("DNSDIG_OIDC_AUDIENCE", AUDIENCE),
                Map.entry("DNSDIG_OIDC_TIMEOUT_MS", Long.toString(TIMEOUT.toMillis())))));
        running.add(server);
    }

    /** An access token of the provider for our API, signed with its current key. */
    private String providerToken(String subject) {
        return provider.issueToken(ISSUER_ID, CLIENT_ID, new DefaultOAuth2TokenCallback(ISSUER_ID, subject,
                JOSEObjectType.JWT.getType(), List.of(AUDIENCE), Map.of(), 900L)).serialize();
    }

    /** The same, signed with {@code key}: one the provider has not published (yet). */
    private String providerToken(RSAKey key, String subject) throws JOSEException {
        Instant now = Instant.now();
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(issuer()).audience(AUDIENCE).subject(subject)
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(900))).build());
        token.sign(new RSASSASigner(key));
        return token.serialize();
    }

    // ---- the browser's part

    /** A login started here and passed at the provider: the callback URL with its code and state, not yet followed. */
    private URI authorized() throws Exception {
        HttpResponse<String> started = post("/v1/auth/login-url", "{}");
        assertEquals(200, started.statusCode(), started.body());
        URI loginUrl = URI.create(JSON.readTree(started.body()).get("loginUrl").asText());
        HttpResponse<Void> atProvider = http.send(HttpRequest.newBuilder(loginUrl).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(302, atProvider.statusCode(), "the mock redirects back with a code at once");
        return URI.create(atProvider.headers().firstValue("Location").orElseThrow());
    }

    private HttpResponse<String> callback(URI back) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/auth/callback/" + ISSUER_ID + "?"
                + back.getRawQuery())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The whole login of {@code subject}, who has a verified e-mail at the provider. */
    private HttpResponse<String> signIn(String subject) throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, JOSEObjectType.JWT.getType(), null,
                Map.of("email", subject + "@example.com", "email_verified", true), 300L));
        return callback(authorized());
    }

    // ---- our API

    private HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A new account of the built-in provider signs up, logs in and resolves against Knot. */
    private void builtInWorks() throws Exception {
        String name = "local" + ++builtInUsers;
        assertEquals(201, post("/v1/users", "{\"email\":\"" + name + "@example.com\",\"username\":\"" + name
                + "\",\"password\":\"Secret123\"}").statusCode());
        HttpResponse<String> login = post("/v1/auth/login", "{\"email\":\"" + name + "@example.com\",\"password\":\"Secret123\"}");
        assertEquals(200, login.statusCode(), login.body());
        HttpResponse<String> resolved = get("/v1/resolve/www.dnsdig.test/A", JSON.readTree(login.body()).get("access_token").asText());
        assertEquals(200, resolved.statusCode(), resolved.body());
        assertEquals("answered", JSON.readTree(resolved.body()).get("providers").get(0).get("outcome").asText());
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = JSON.readTree(response.body());
        assertEquals("urn:dnsdig:problem:provider-unavailable", problem.get("type").asText(), response.body());
        assertFalse(response.body().contains("Exception") || response.body().contains("127.0.0.1"),
                "no stack trace, no address: " + response.body());
        return problem;
    }

    private static void assertProvider502(HttpResponse<String> response, String detail) throws Exception {
        assertTrue(problem(response, 502).get("detail").asText().contains(detail), response.body());
    }

    /** 503 with Retry-After (1-5 s: when the keys are asked for again); returns it. */
    private static Duration assertProvider503(HttpResponse<String> response) throws Exception {
        assertEquals("the identity provider's signing keys are unavailable", problem(response, 503).get("detail").asText());
        long seconds = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(seconds >= 1 && seconds <= 5, "Retry-After: " + seconds);
        assertTrue(response.headers().firstValue("WWW-Authenticate").isEmpty(), "nothing wrong with the token");
        return Duration.ofSeconds(seconds);
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Waits out a Retry-After given at {@code startNanos}, as a client should. */
    private static void sleepUntil(long startNanos, Duration retryAfter) throws InterruptedException {
        long left = retryAfter.toNanos() - (System.nanoTime() - startNanos);
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }
}
