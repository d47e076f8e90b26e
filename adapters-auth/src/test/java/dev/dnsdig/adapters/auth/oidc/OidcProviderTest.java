package dev.dnsdig.adapters.auth.oidc;

import static dev.dnsdig.adapters.auth.oidc.MockProvider.AUDIENCE;
import static dev.dnsdig.adapters.auth.oidc.MockProvider.CLIENT_ID;
import static dev.dnsdig.adapters.auth.oidc.MockProvider.CLIENT_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.adapters.auth.jwt.EcKeys;
import dev.dnsdig.application.port.out.ExternalLoginProvider.AuthorizationRequest;
import dev.dnsdig.application.port.out.ExternalLoginProvider;
import dev.dnsdig.application.port.out.ExternalLoginProvider.Exchange;
import dev.dnsdig.application.port.out.ExternalLoginProvider.Profile;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.Permission;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.Keys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenID Connect adapter against mock-oauth2-server in this JVM (127.0.0.1, ephemeral port), driving the
 * authorization-code flow without a browser: the mock issues the code at once and redirects to our redirect URI,
 * where the test picks it up. Broken providers (garbage, timeouts, a closed port, a foreign key) are played by a
 * tiny HTTP server of our own or a socket that never answers.
 */
class OidcProviderTest {
    private static final URI REDIRECT = URI.create("http://127.0.0.1:9/callback");
    private static final HttpClient BROWSER = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** RSA key generation costs a few hundred milliseconds here: made once. */
    private static final KeyPair FOREIGN_RSA = Jwts.SIG.RS256.keyPair().build();
    private static final KeyPair OUR_RSA = Jwts.SIG.RS256.keyPair().build();

    private MockProvider mock;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startProvider() {
        mock = open(new MockProvider("idp"));
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private OidcSettings settings() {
        return new OidcSettings(mock.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT);
    }

    private OidcProvider provider(OidcSettings settings) {
        return open(new OidcProvider(settings));
    }

    private OidcProvider provider(OidcSettings settings, Clock clock, Duration timeout) {
        return open(new OidcProvider(settings, clock, timeout, OidcProvider.DEFAULT_JWKS_REFETCH_INTERVAL));
    }

    // ---- the browser's part

    /** What a login start keeps: state, nonce and PKCE verifier. */
    private record Login(String state, String nonce, String verifier) {
        static Login fresh() {
            return new Login(random(), random(), random());
        }

        AuthorizationRequest request() {
            return new AuthorizationRequest(state, nonce, challenge(verifier));
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length == 2 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }

    /** Follows the authorization URL like a browser that has a session at the provider: the code comes back at once. */
    private String code(OidcProvider provider, Login login) {
        URI url = provider.authorizationUrl(login.request());
        HttpResponse<Void> response;
        try {
            response = BROWSER.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(302, response.statusCode(), "the mock redirects back with the code");
        URI back = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertEquals(REDIRECT.getHost(), back.getHost());
        assertEquals(REDIRECT.getPath(), back.getPath());
        Map<String, String> parameters = query(back);
        assertEquals(login.state(), parameters.get("state"));
        return parameters.get("code");
    }

    private Exchange logIn(OidcProvider provider) {
        Login login = Login.fresh();
        return provider.exchange(code(provider, login), login.verifier(), login.nonce());
    }

    private Profile loggedIn(OidcProvider provider) {
        return assertInstanceOf(Exchange.Authenticated.class, logIn(provider)).profile();
    }

    /** The id_token (and access token) get exactly these claims on top of the standard ones, which they may override. */
    private record Claims(String issuerId, String subject, Map<String, Object> claims) implements OAuth2TokenCallback {
        @Override
        public String issuerId() {
            return issuerId;
        }

        @Override
        public String subject(TokenRequest request) {
            return subject;
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return JOSEObjectType.JWT.getType();
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return List.of(AUDIENCE);
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            return claims;
        }

        @Override
        public long tokenExpiry() {
            return 300;
        }
    }

    private void nextTokens(Map<String, Object> claims) {
        mock.server.enqueueCallback(new Claims(mock.issuerId, "user-1", claims));
    }

    // ---- the code flow

    @Test
    void fullCodeFlowWithPkce() {
        OidcProvider oidc = provider(settings());
        Login login = Login.fresh();

        URI url = oidc.authorizationUrl(login.request());
        assertTrue(url.toString().startsWith(mock.issuer() + "/authorize?"), url.toString());
        assertEquals(Map.of("response_type", "code", "client_id", CLIENT_ID, "redirect_uri", REDIRECT.toString(),
                "scope", OidcSettings.DEFAULT_SCOPES, "state", login.state(), "nonce", login.nonce(),
                "code_challenge", challenge(login.verifier()), "code_challenge_method", "S256"), query(url));
        assertTrue(url.getRawQuery().contains("scope=openid%20profile%20email%20offline_access"), url.getRawQuery());
        assertTrue(url.getRawQuery().contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback"), url.getRawQuery());

        String code = code(oidc, login);
        Profile profile = assertInstanceOf(Exchange.Authenticated.class,
                oidc.exchange(code, login.verifier(), login.nonce())).profile();
        assertEquals(OidcSettings.DEFAULT_NAME, profile.identity().provider());
        assertFalse(profile.identity().subject().isBlank());

        // what went over the wire: client_secret_basic, the PKCE verifier, code and redirect_uri
        RecordedRequest token = mock.requests().stream().filter(r -> "POST".equals(r.getMethod())).findFirst().orElseThrow();
        assertTrue(token.getPath().endsWith("/idp/token"), token.getPath());
        assertEquals("Basic " + Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)), token.getHeader("Authorization"));
        String form = token.getBody().readUtf8();
        assertTrue(form.contains("grant_type=authorization_code"), form);
        assertTrue(form.contains("code_verifier=" + login.verifier()), form);
        assertTrue(form.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback"), form);
        assertFalse(form.contains(CLIENT_SECRET), "the secret goes in the header only");

        // a code works once
        Exchange.ProviderError again = assertInstanceOf(Exchange.ProviderError.class,
                oidc.exchange(code, login.verifier(), login.nonce()));
        assertEquals("invalid_grant", again.error());

        // a verifier that does not match the challenge: the provider refuses the code
        Login other = Login.fresh();
        Exchange.ProviderError pkce = assertInstanceOf(Exchange.ProviderError.class,
                oidc.exchange(code(oidc, other), "not-" + other.verifier(), other.nonce()));
        assertEquals("invalid_grant", pkce.error());
        assertTrue(pkce.description().contains("code_verifier"), pkce.description());
        assertEquals(1, oidc.discoveryFetches(), "discovery is fetched once and kept");
    }

    @Test
    void customClaimsViaEnqueueCallback() {
        OidcProvider oidc = provider(settings());

        mock.server.enqueueCallback(new DefaultOAuth2TokenCallback(mock.issuerId, "user-42", JOSEObjectType.JWT.getType(),
                null, Map.of("email", "ada@example.com", "email_verified", true, "name", "Ada Lovelace"), 300L));
        assertEquals(new Profile(new ExternalIdentity("oidc", "user-42"), Optional.of("ada@example.com"), true,
                Optional.of("Ada Lovelace")), loggedIn(oidc));

        // some providers send the boolean as a string
        nextTokens(Map.of("email", "bob@example.com", "email_verified", "true"));
        assertEquals(new Profile(new ExternalIdentity("oidc", "user-1"), Optional.of("bob@example.com"), true,
                Optional.empty()), loggedIn(oidc));

        nextTokens(Map.of("email", "eve@example.com", "email_verified", false, "name", "  "));
        assertEquals(new Profile(new ExternalIdentity("oidc", "user-1"), Optional.of("eve@example.com"), false,
                Optional.empty()), loggedIn(oidc));

        nextTokens(Map.of("email", "mallory@example.com", "email_verified", "yes"));
        assertFalse(loggedIn(oidc).emailVerified(), "only true or \"true\" count");

        nextTokens(Map.of());
        assertEquals(new Profile(new ExternalIdentity("oidc", "user-1"), Optional.empty(), false, Optional.empty()),
                loggedIn(oidc));

        // another name: the identity says which provider
        OidcProvider named = provider(settings().withName("kinde"));
        assertEquals("kinde", named.name());
        assertEquals("kinde", loggedIn(named).identity().provider());
    }

    @Test
    void wrongNonce() {
        OidcProvider oidc = provider(settings());
        Login login = Login.fresh();

        Exchange.Rejected rejected = assertInstanceOf(Exchange.Rejected.class,
                oidc.exchange(code(oidc, login), login.verifier(), random()));
        assertEquals(OidcProvider.WRONG_NONCE, rejected.reason());
    }

    @Test
    void idTokenForAnotherClient() {
        OidcProvider oidc = provider(settings());

        nextTokens(Map.of("aud", "other-client"));
        assertEquals("id_token: wrong audience", assertInstanceOf(Exchange.Rejected.class, logIn(oidc)).reason());

        // several audiences: azp must say it is for us
        nextTokens(Map.of("aud", List.of(CLIENT_ID, "other-client")));
        assertEquals(OidcProvider.NO_AZP, assertInstanceOf(Exchange.Rejected.class, logIn(oidc)).reason());
        nextTokens(Map.of("aud", List.of(CLIENT_ID, "other-client"), "azp", "other-client"));
        assertEquals(OidcProvider.AZP, assertInstanceOf(Exchange.Rejected.class, logIn(oidc)).reason());
        nextTokens(Map.of("azp", "other-client"));
        assertEquals(OidcProvider.AZP, assertInstanceOf(Exchange.Rejected.class, logIn(oidc)).reason());
        nextTokens(Map.of("aud", List.of(CLIENT_ID, "other-client"), "azp", CLIENT_ID));
        assertInstanceOf(Exchange.Authenticated.class, logIn(oidc));
    }

    @Test
    void expiredIdToken() {
        OidcProvider oidc = provider(settings());

        // the mock's expiry is in seconds from now: ten minutes ago, well past the skew
        mock.server.enqueueCallback(new DefaultOAuth2TokenCallback(mock.issuerId, "user-1", JOSEObjectType.JWT.getType(),
                null, Map.of(), -600L));
        assertEquals("id_token: token expired", assertInstanceOf(Exchange.Rejected.class, logIn(oidc)).reason());

        nextTokens(Map.of("iat", Date.from(Instant.now().plus(Duration.ofMinutes(10)))));
        assertEquals(OidcProvider.FUTURE_IAT, assertInstanceOf(Exchange.Rejected.class, logIn(oidc)).reason());

        nextTokens(Map.of("nbf", Date.from(Instant.now().plus(Duration.ofMinutes(10)))));
        assertEquals("id_token: token not yet valid", assertInstanceOf(Exchange.Rejected.class, logIn(oidc)).reason());

        // within the skew is fine
        nextTokens(Map.of("iat", Date.from(Instant.now().plusSeconds(10))));
        assertInstanceOf(Exchange.Authenticated.class, logIn(oidc));
    }

    @Test
    void wrongIssuer() {
        OidcProvider oidc = provider(settings());

        // signed with the provider's own key, but naming another issuer
        nextTokens(Map.of("iss", "https://elsewhere.example"));
        assertEquals(OidcProvider.WRONG_ISSUER, assertInstanceOf(Exchange.Rejected.class, logIn(oidc)).reason());

        // another issuer at the same mock: another path, another key
        nextTokens(Map.of("iss", mock.issuer("other")));
        assertEquals(OidcProvider.WRONG_ISSUER, assertInstanceOf(Exchange.Rejected.class, logIn(oidc)).reason());
    }

    @Test
    void providerErrorOnCodeExchange() {
        OidcProvider oidc = provider(settings());

        Exchange.ProviderError error = assertInstanceOf(Exchange.ProviderError.class,
                oidc.exchange("no-such-code", random(), random()));
        assertEquals("invalid_grant", error.error());
        assertFalse(error.description().isBlank());

        // nonsense is refused without asking
        assertInstanceOf(Exchange.ProviderError.class, oidc.exchange(" ", random(), random()));
        assertInstanceOf(Exchange.ProviderError.class, oidc.exchange("x".repeat(5000), random(), random()));
        assertThrows(IllegalArgumentException.class, () -> oidc.exchange("code", "", random()));
    }

    @Test
    void providerDown() {
        OidcProvider warm = provider(settings().withAudience(AUDIENCE));
        Login login = Login.fresh();
        String code = code(warm, login); // discovery is cached from here on
        String token = mock.accessToken("user-1", Map.of());
        OidcProvider cold = provider(settings().withAudience(AUDIENCE));

        mock.shutdown(); // the port is closed now

        long start = System.nanoTime();
        Exchange.Unavailable unavailable = assertInstanceOf(Exchange.Unavailable.class,
                warm.exchange(code, login.verifier(), login.nonce()));
        assertEquals("the identity provider is unreachable", unavailable.reason());
        // never fetched anything: discovery fails, and is tried again on the next use
        assertInstanceOf(Exchange.Unavailable.class, cold.exchange("code", random(), random()));
        assertInstanceOf(Exchange.Unavailable.class, cold.exchange("code", random(), random()));
        assertEquals(2, cold.discoveryFetches());
        ExternalLoginProvider.Unavailable noUrl = assertThrows(ExternalLoginProvider.Unavailable.class,
                () -> cold.authorizationUrl(Login.fresh().request()));
        assertEquals("the identity provider is unreachable", noUrl.getMessage());
        // a bearer token of this issuer cannot be checked now: no verdict (not mistaken for another issuer's, not
        // refused either), with when the keys will be asked for again
        Verification.Unavailable unverified = assertInstanceOf(Verification.Unavailable.class, cold.verify(token));
        assertEquals("the identity provider's signing keys are unavailable", unverified.reason());
        assertEquals(Duration.ofSeconds(JwksCache.FAILURE_RETRY_SECONDS), unverified.retryAfter());
        Verification.Unavailable again = assertInstanceOf(Verification.Unavailable.class, cold.verify(token));
        assertTrue(again.retryAfter().compareTo(unverified.retryAfter()) <= 0 && !again.retryAfter().isNegative(),
                "counting down to the next fetch: " + again.retryAfter());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "quickly: " + took);
    }

    @Test
    void providerThatNeverAnswers() throws IOException {
        // accepted by the kernel's backlog, never answered
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            OidcSettings settings = new OidcSettings("http://127.0.0.1:" + silent.getLocalPort(), CLIENT_ID,
                    CLIENT_SECRET, REDIRECT);
            OidcProvider oidc = provider(settings, Clock.systemUTC(), Duration.ofMillis(300));

            long start = System.nanoTime();
            Exchange.Unavailable unavailable = assertInstanceOf(Exchange.Unavailable.class,
                    oidc.exchange("code", random(), random()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals("the identity provider did not answer in time", unavailable.reason());
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "the timeout holds: " + took);
        }
    }

    @Test
    void providerReturnsBadJson() {
        TinyProvider tiny = open(new TinyProvider());
        OidcSettings settings = new OidcSettings(tiny.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT);

        // discovery: garbage, another issuer, missing or unusable endpoints, an error status
        for (TinyProvider.Reply discovery : List.of(
                TinyProvider.Reply.of(200, "application/json", "{\"issuer\": "),
                TinyProvider.Reply.of(200, "text/html", "<html>hello</html>"),
                TinyProvider.Reply.json("[1, 2, 3]"),
                TinyProvider.Reply.json(tiny.discovery("https://elsewhere.example")),
                TinyProvider.Reply.json("{\"issuer\":\"" + tiny.issuer() + "\"}"),
                TinyProvider.Reply.json(tiny.discovery(tiny.issuer()).replace(tiny.issuer() + "/token",
                        "http://idp.example/token")),
                TinyProvider.Reply.of(500, "text/plain", "oops"),
                TinyProvider.Reply.of(200, "application/json", "{\"pad\":\"" + "x".repeat(300_000) + "\"}"))) {
            tiny.route("/.well-known/openid-configuration", () -> discovery);
            OidcProvider oidc = provider(settings);
            Exchange.Unavailable unavailable = assertInstanceOf(Exchange.Unavailable.class,
                    oidc.exchange("code", random(), random()), new String(discovery.body(), 0,
                            Math.min(60, discovery.body().length), StandardCharsets.UTF_8));
            assertFalse(unavailable.reason().contains("127.0.0.1"), "no addresses in reasons: " + unavailable.reason());
        }
        assertEquals(0, tiny.hits("/token"));

        // the token endpoint: garbage, no id_token, server errors, a redirect, non-OAuth client errors, too much
        tiny.route("/.well-known/openid-configuration", () -> TinyProvider.Reply.json(tiny.discovery(tiny.issuer())));
        for (TinyProvider.Reply token : List.of(
                TinyProvider.Reply.of(200, "application/json", "not json at all"),
                TinyProvider.Reply.json("{\"access_token\":\"x\",\"token_type\":\"Bearer\"}"),
                TinyProvider.Reply.json("{\"id_token\": 42}"),
                TinyProvider.Reply.of(503, "application/json", "{\"error\":\"temporarily_unavailable\"}"),
                TinyProvider.Reply.of(502, "text/html", "<html>bad gateway</html>"),
                TinyProvider.Reply.of(302, "text/plain", ""),
                TinyProvider.Reply.of(400, "text/html", "<html>bad request</html>"),
                TinyProvider.Reply.of(404, "application/json", "{\"message\":\"no\"}"),
                TinyProvider.Reply.of(200, "application/json", "{\"id_token\":\"" + "x".repeat(300_000) + "\"}"))) {
            tiny.route("/token", () -> token);
            OidcProvider oidc = provider(settings);
            assertInstanceOf(Exchange.Unavailable.class, oidc.exchange("code", random(), random()),
                    "HTTP " + token.status());
        }

        // an OAuth error of any 4xx is the provider's word: kept, cleaned of control characters
        tiny.route("/token", () -> TinyProvider.Reply.of(401, "application/json",
                "{\"error\":\"invalid_client\",\"error_description\":\"bad\\nsecret\\u0000!\"}"));
        assertEquals(new Exchange.ProviderError("invalid_client", "badsecret!"),
                provider(settings).exchange("code", random(), random()));

        // a failed discovery is not remembered: the next use fetches it again, and then keeps it
        tiny.route("/.well-known/openid-configuration", () -> TinyProvider.Reply.of(200, "application/json", "{"));
        OidcProvider retrying = provider(settings);
        int before = tiny.hits("/.well-known/openid-configuration");
        assertInstanceOf(Exchange.Unavailable.class, retrying.exchange("code", random(), random()));
        tiny.route("/.well-known/openid-configuration", () -> TinyProvider.Reply.json(tiny.discovery(tiny.issuer())));
        assertInstanceOf(Exchange.ProviderError.class, retrying.exchange("code", random(), random()));
        assertInstanceOf(Exchange.ProviderError.class, retrying.exchange("code", random(), random()));
        assertEquals(before + 2, tiny.hits("/.well-known/openid-configuration"));

        // a JWKS that is garbage: the id_token cannot be checked now
        String nonce = random();
        tiny.tokenResponse(idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, UnaryOperator.identity()));
        tiny.route("/jwks", () -> TinyProvider.Reply.of(200, "application/json", "{\"keys\": 7}"));
        assertEquals(new Exchange.Unavailable("the identity provider's signing keys are unavailable"),
                provider(settings).exchange("code", random(), nonce));
    }

    /** An id_token of the tiny provider: for us, user-1, valid for five minutes, with the nonce; then changed. */
    private static String idToken(TinyProvider tiny, PrivateKey key, String keyId, String nonce,
                                  UnaryOperator<JwtBuilder> change) {
        Instant now = Instant.now();
        JwtBuilder builder = Jwts.builder().header().keyId(keyId).type("JWT").and()
                .issuer(tiny.issuer()).audience().add(CLIENT_ID).and().subject("user-1")
                .issuedAt(Date.from(now)).expiration(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("nonce", nonce);
        builder = change.apply(builder);
        return key instanceof java.security.interfaces.ECPrivateKey
                ? builder.signWith(key, Jwts.SIG.ES256).compact()
                : builder.signWith(key, Jwts.SIG.RS256).compact();
    }

    @Test
    void idTokenChecksAgainstAProviderOfOurOwn() {
        TinyProvider tiny = open(new TinyProvider());
        KeyPair ec = EcKeys.generate();
        tiny.publish(Map.of("rsa-1", OUR_RSA.getPublic(), "ec-1", ec.getPublic()));
        OidcSettings settings = new OidcSettings(tiny.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT);
        OidcProvider oidc = provider(settings);
        String nonce = random();

        // RS256 and ES256 both verify
        tiny.tokenResponse(idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, UnaryOperator.identity()));
        assertInstanceOf(Exchange.Authenticated.class, oidc.exchange("code", random(), nonce));
        tiny.tokenResponse(idToken(tiny, ec.getPrivate(), "ec-1", nonce, UnaryOperator.identity()));
        assertInstanceOf(Exchange.Authenticated.class, oidc.exchange("code", random(), nonce));

        List<Map.Entry<String, String>> broken = new ArrayList<>();
        broken.add(Map.entry("id_token: unsigned tokens are not accepted",
                Jwts.builder().header().keyId("rsa-1").and().issuer(tiny.issuer()).audience().add(CLIENT_ID).and()
                        .subject("user-1").claim("nonce", nonce).compact()));
        broken.add(Map.entry("id_token: signing algorithm not allowed",
                Jwts.builder().header().keyId("rsa-1").and().issuer(tiny.issuer()).audience().add(CLIENT_ID).and()
                        .subject("user-1").claim("nonce", nonce)
                        .signWith(Keys.hmacShaKeyFor(OUR_RSA.getPublic().getEncoded()), Jwts.SIG.HS256).compact()));
        // an RSA key under the EC key's id
        broken.add(Map.entry("id_token: invalid token",
                idToken(tiny, OUR_RSA.getPrivate(), "ec-1", nonce, UnaryOperator.identity())));
        broken.add(Map.entry(OidcProvider.NO_NONCE, idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, b -> b.claim("nonce", null))));
        broken.add(Map.entry(OidcProvider.NO_IAT, idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, b -> b.issuedAt(null))));
        broken.add(Map.entry("id_token: token has no expiry",
                idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, b -> b.expiration(null))));
        broken.add(Map.entry(OidcProvider.SUBJECT, idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, b -> b.subject(null))));
        broken.add(Map.entry(OidcProvider.SUBJECT,
                idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, b -> b.subject("s".repeat(256)))));
        broken.add(Map.entry("id_token: malformed token", "not.a.token"));
        // claims of the wrong type, as the payload is written (jjwt's builder would refuse them)
        long now = Instant.now().getEpochSecond();
        String base = "\"iss\":\"" + tiny.issuer() + "\",\"aud\":\"" + CLIENT_ID + "\",\"exp\":" + (now + 300)
                + ",\"nonce\":\"" + nonce + "\"";
        for (String payload : List.of("{" + base + ",\"sub\":42,\"iat\":" + now + "}",
                "{" + base + ",\"sub\":\"user-1\",\"iat\":\"yesterday\"}",
                "{" + base + ",\"sub\":\"user-1\",\"iat\":" + now + ",\"azp\":[\"" + CLIENT_ID + "\"]}")) {
            String token = Jwts.builder().header().keyId("rsa-1").and().content(payload.getBytes(StandardCharsets.UTF_8))
                    .signWith(OUR_RSA.getPrivate(), Jwts.SIG.RS256).compact();
            tiny.tokenResponse(token);
            assertInstanceOf(Exchange.Rejected.class, oidc.exchange("code", random(), nonce), payload);
        }
        for (Map.Entry<String, String> token : broken) {
            tiny.tokenResponse(token.getValue());
            assertEquals(new Exchange.Rejected(token.getKey()), oidc.exchange("code", random(), nonce), token.getKey());
        }

        // signed by a key the provider does not publish, or not by the key it publishes under that id: the id_token
        // came from the provider itself, so the provider is broken (502), not the login (401)
        tiny.tokenResponse(idToken(tiny, FOREIGN_RSA.getPrivate(), "rsa-2", nonce, UnaryOperator.identity()));
        assertEquals(new Exchange.Unavailable(OidcProvider.UNPUBLISHED_KEY), oidc.exchange("code", random(), nonce));
        tiny.tokenResponse(idToken(tiny, FOREIGN_RSA.getPrivate(), "rsa-1", nonce, UnaryOperator.identity()));
        assertEquals(new Exchange.Unavailable(OidcProvider.WRONG_KEY), oidc.exchange("code", random(), nonce));
    }

    @Test
    void onlySigningKeysOfTheJwksAreUsed() throws Exception {
        TinyProvider tiny = open(new TinyProvider());
        java.security.KeyPairGenerator rsa1024 = java.security.KeyPairGenerator.getInstance("RSA");
        rsa1024.initialize(1024);
        KeyPair weak = rsa1024.generateKeyPair();
        java.security.KeyPairGenerator p384 = java.security.KeyPairGenerator.getInstance("EC");
        p384.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        KeyPair ec384 = p384.generateKeyPair();
        PublicKey ours = OUR_RSA.getPublic();
        List<String> entries = List.of(
                "42", "{\"kty\":\"RSA\",\"kid\":\"broken\",\"n\":\"!!\",\"e\":\"AQAB\"}",
                "{\"kty\":\"oct\",\"kid\":\"hmac\",\"k\":\"" + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(ours.getEncoded()) + "\"}",
                jwk(ours, "no-kid").replace("\"kid\":\"no-kid\",", ""),
                Jwks.json(Jwks.builder().key((java.security.interfaces.RSAPublicKey) ours).id("enc").publicKeyUse("enc").build()),
                Jwks.json(Jwks.builder().key((java.security.interfaces.RSAPublicKey) ours).id("ps").algorithm("PS256").build()),
                jwk(weak.getPublic(), "weak"), jwk(ec384.getPublic(), "p384"), jwk(ours, "rsa-1"));
        tiny.route("/jwks", () -> TinyProvider.Reply.json("{\"keys\":[" + String.join(",", entries) + "]}"));
        OidcProvider oidc = provider(new OidcSettings(tiny.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT));
        String nonce = random();

        tiny.tokenResponse(idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, UnaryOperator.identity()));
        assertInstanceOf(Exchange.Authenticated.class, oidc.exchange("code", random(), nonce), "the one signing key");
        for (String kid : List.of("broken", "hmac", "no-kid", "enc", "ps", "weak", "p384")) {
            tiny.tokenResponse(idToken(tiny, OUR_RSA.getPrivate(), kid, nonce, UnaryOperator.identity()));
            assertEquals(new Exchange.Unavailable(OidcProvider.UNPUBLISHED_KEY), oidc.exchange("code", random(), nonce), kid);
        }
        assertEquals(1, tiny.hits("/jwks"), "unknown key ids within the interval: no refetch");
    }

    @Test
    void everyBrokenJwksIsAFailedFetchThatKeepsTheKeysWeHave() {
        TinyProvider tiny = open(new TinyProvider());
        MutableClock clock = MutableClock.atNow();
        OidcSettings settings = new OidcSettings(tiny.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT).withAudience(AUDIENCE);
        OidcProvider oidc = open(new OidcProvider(settings, clock, Duration.ofSeconds(3), Duration.ofSeconds(30)));
        String nonce = random();
        tiny.tokenResponse(idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, UnaryOperator.identity()));

        // not JSON, HTML, an error, empty, or nothing in it usable: unavailable, for a login and a bearer token alike
        for (TinyProvider.Reply set : List.of(TinyProvider.Reply.of(200, "application/json", "{\"keys\":["),
                TinyProvider.Reply.of(200, "text/html", "<html>keys</html>"),
                TinyProvider.Reply.of(500, "text/html", "<html>oops</html>"), TinyProvider.Reply.json("{\"keys\":[]}"),
                TinyProvider.Reply.json("{\"keys\":[42,{\"kty\":\"RSA\",\"kid\":\"rsa-1\",\"n\":\"!!\",\"e\":\"AQAB\"}]}"))) {
            tiny.route("/jwks", () -> set);
            clock.advance(Duration.ofSeconds(JwksCache.FAILURE_RETRY_SECONDS));
            assertEquals(new Exchange.Unavailable("the identity provider's signing keys are unavailable"),
                    oidc.exchange("code", random(), nonce), new String(set.body(), StandardCharsets.UTF_8));
        }
        assertEquals(5, tiny.hits("/jwks"), "each one fetched");
        clock.advance(Duration.ofSeconds(JwksCache.FAILURE_RETRY_SECONDS));
        assertInstanceOf(Verification.Unavailable.class, oidc.verify(accessToken(tiny, "rsa-1")));

        // good keys, then a broken set: the keys we have go on verifying; a new key id waits for a good set
        tiny.publish(Map.of("rsa-1", OUR_RSA.getPublic()));
        clock.advance(Duration.ofSeconds(JwksCache.FAILURE_RETRY_SECONDS));
        assertInstanceOf(Exchange.Authenticated.class, oidc.exchange("code", random(), nonce));
        tiny.route("/jwks", () -> TinyProvider.Reply.json("{\"keys\":[]}"));
        clock.advance(Duration.ofSeconds(31));
        assertInstanceOf(Verification.Unavailable.class, oidc.verify(accessToken(tiny, "rsa-2")), "refetched, broken");
        assertInstanceOf(Verification.Verified.class, oidc.verify(accessToken(tiny, "rsa-1")), "kept");
        assertInstanceOf(Exchange.Authenticated.class, oidc.exchange("code", random(), nonce));
    }

    /** An access token of the tiny provider for our API audience, signed with our RSA key under {@code keyId}. */
    private static String accessToken(TinyProvider tiny, String keyId) {
        Instant now = Instant.now();
        return Jwts.builder().header().keyId(keyId).and().issuer(tiny.issuer()).audience().add(AUDIENCE).and()
                .subject("user-1").issuedAt(Date.from(now)).expiration(Date.from(now.plus(Duration.ofMinutes(5))))
                .signWith(OUR_RSA.getPrivate(), Jwts.SIG.RS256).compact();
    }

    @Test
    void callersWaitingForADiscoveryThatFailsFailWithItInsteadOfQueueingForATimeoutEach() throws Exception {
        // accepted by the kernel's backlog, never answered
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            Duration timeout = Duration.ofSeconds(1);
            OidcProvider oidc = provider(new OidcSettings("http://127.0.0.1:" + silent.getLocalPort(), CLIENT_ID,
                    CLIENT_SECRET, REDIRECT), Clock.systemUTC(), timeout);
            int callers = 6;
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Exchange>> answers = new ArrayList<>();
            long start;
            try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < callers; i++) {
                    answers.add(threads.submit(() -> {
                        go.await();
                        return oidc.exchange("code", random(), random());
                    }));
                }
                start = System.nanoTime();
                go.countDown();
                for (var answer : answers) {
                    assertEquals(new Exchange.Unavailable("the identity provider did not answer in time"), answer.get());
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // one after the other, each waiting for its own fetch, they would take six timeouts
            assertTrue(oidc.discoveryFetches() <= 2, "fetches: " + oidc.discoveryFetches());
            assertTrue(took.compareTo(timeout.multipliedBy(callers / 2)) < 0, "took " + took);
        }
    }

    private static String jwk(PublicKey key, String keyId) {
        return Jwks.json((io.jsonwebtoken.security.PublicJwk<?>) Jwks.builder().key(key).id(keyId).build());
    }

    @Test
    void aFailedJwksFetchIsRetriedSoonNotAtOnce() {
        TinyProvider tiny = open(new TinyProvider());
        MutableClock clock = MutableClock.atNow();
        OidcProvider oidc = open(new OidcProvider(new OidcSettings(tiny.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT),
                clock, Duration.ofSeconds(3), Duration.ofSeconds(30)));
        String nonce = random();
        tiny.tokenResponse(idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, UnaryOperator.identity()));
        tiny.route("/jwks", () -> TinyProvider.Reply.of(503, "text/plain", "down"));

        assertInstanceOf(Exchange.Unavailable.class, oidc.exchange("code", random(), nonce));
        tiny.publish(Map.of("rsa-1", OUR_RSA.getPublic()));
        clock.advance(Duration.ofSeconds(2));
        assertInstanceOf(Exchange.Unavailable.class, oidc.exchange("code", random(), nonce));
        assertEquals(1, tiny.hits("/jwks"), "not at once");

        clock.advance(Duration.ofSeconds(4));
        assertInstanceOf(Exchange.Authenticated.class, oidc.exchange("code", random(), nonce));
        assertEquals(2, tiny.hits("/jwks"), "after a few seconds, not the whole interval");
    }

    @Test
    void clientAuthenticationFollowsDiscovery() {
        TinyProvider tiny = open(new TinyProvider());
        tiny.publish(Map.of("rsa-1", OUR_RSA.getPublic()));
        String nonce = random();
        tiny.tokenResponse(idToken(tiny, OUR_RSA.getPrivate(), "rsa-1", nonce, b -> b.audience().single("client:one")));
        OidcSettings settings = new OidcSettings(tiny.issuer(), "client:one", "p@ss word", REDIRECT);

        // default: client_secret_basic, id and secret form-encoded before joining (RFC 6749 2.3.1)
        assertInstanceOf(Exchange.Authenticated.class, provider(settings).exchange("code", "verifier", nonce));
        TinyProvider.Recorded basic = tiny.requests("/token").getLast();
        assertEquals("Basic " + Base64.getEncoder().encodeToString("client%3Aone:p%40ss%20word".getBytes(StandardCharsets.UTF_8)),
                basic.header("Authorization"));
        assertEquals("grant_type=authorization_code&code=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback"
                + "&code_verifier=verifier", basic.body());

        // a provider that offers only client_secret_post
        tiny.route("/.well-known/openid-configuration", () -> TinyProvider.Reply.json(
                tiny.discovery(tiny.issuer(), "\"token_endpoint_auth_methods_supported\":[\"client_secret_post\"]")));
        assertInstanceOf(Exchange.Authenticated.class, provider(settings).exchange("code", "verifier", nonce));
        TinyProvider.Recorded post = tiny.requests("/token").getLast();
        assertNull(post.header("Authorization"));
        assertTrue(post.body().endsWith("&client_id=client%3Aone&client_secret=p%40ss%20word"), post.body());
    }

    @Test
    void authorizationEndpointWithAQueryOfItsOwn() {
        TinyProvider tiny = open(new TinyProvider());
        tiny.route("/.well-known/openid-configuration", () -> TinyProvider.Reply.json(tiny.discovery(tiny.issuer())
                .replace(tiny.issuer() + "/authorize", tiny.issuer() + "/authorize?tenant=a%20b")));
        OidcProvider oidc = provider(new OidcSettings(tiny.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT)
                .withScopes("openid  email"));
        Login login = Login.fresh();

        URI url = oidc.authorizationUrl(login.request());
        assertTrue(url.toString().startsWith(tiny.issuer() + "/authorize?tenant=a%20b&response_type=code&"), url.toString());
        assertEquals("openid email", query(url).get("scope"));
        assertEquals("a b", query(url).get("tenant"));
    }

    @Test
    void keyRotationAtTheProvider() {
        MockProvider.RotatingKeys keys = new MockProvider.RotatingKeys("key-1");
        MockProvider rotating = open(new MockProvider("rotating", keys));
        MutableClock clock = MutableClock.atNow();
        OidcProvider oidc = open(new OidcProvider(new OidcSettings(rotating.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT)
                .withAudience(AUDIENCE), clock, Duration.ofSeconds(3), Duration.ofSeconds(30)));

        String first = rotating.accessToken("user-1", Map.of());
        assertInstanceOf(Verification.Verified.class, oidc.verify(first));
        assertEquals(1, MockProvider.count(rotating.requests(), "/jwks"));

        keys.rotate("key-2");
        String second = rotating.accessToken("user-1", Map.of());
        // the new key id within the interval after the last fetch: not refetched yet
        assertEquals("unknown signing key", assertInstanceOf(Verification.Rejected.class, oidc.verify(second)).reason());
        assertEquals(0, MockProvider.count(rotating.requests(), "/jwks"));

        clock.advance(Duration.ofSeconds(31));
        Verification.Verified verified = assertInstanceOf(Verification.Verified.class, oidc.verify(second));
        assertEquals(new Subject.External(new ExternalIdentity("oidc", "user-1")), verified.subject());
        assertEquals(1, MockProvider.count(rotating.requests(), "/jwks"), "exactly one refetch");

        // a flood of unknown key ids within the interval: no request reaches the provider
        for (int i = 0; i < 200; i++) {
            String forged = Jwts.builder().header().keyId("random-" + UUID.randomUUID()).and()
                    .issuer(rotating.issuer()).audience().add(AUDIENCE).and().subject("user-1")
                    .expiration(Date.from(Instant.now().plusSeconds(300)))
                    .signWith(FOREIGN_RSA.getPrivate(), Jwts.SIG.RS256).compact();
            assertInstanceOf(Verification.Rejected.class, oidc.verify(forged));
        }
        List<RecordedRequest> flood = rotating.requests();
        assertEquals(0, MockProvider.count(flood, "/jwks"), "no JWKS request for the flood");
        assertEquals(0, flood.size(), "no request at all");
        assertEquals(2, oidc.jwksFetches());

        // the withdrawn key: a token signed with it that we have not seen before no longer verifies
        keys.rotate("key-1-again"); // a new key pair: key-1's private key is gone at the provider too
        clock.advance(Duration.ofSeconds(31));
        String stale = Jwts.builder().header().keyId("key-1").and().issuer(rotating.issuer()).audience().add(AUDIENCE)
                .and().subject("user-1").expiration(Date.from(Instant.now().plusSeconds(300)))
                .signWith(FOREIGN_RSA.getPrivate(), Jwts.SIG.RS256).compact();
        assertEquals("unknown signing key", assertInstanceOf(Verification.Rejected.class, oidc.verify(stale)).reason());
        // a verified token stays verified until it expires (the cache), as for our own tokens
        assertInstanceOf(Verification.Verified.class, oidc.verify(second));
    }

    @Test
    void es256AtTheProvider() {
        MockProvider ec = open(new MockProvider("ec", new no.nav.security.mock.oauth2.token.KeyProvider(List.of(), "ES256")));
        // a provider started just now answers its first requests slowly on a loaded machine: more than the default 3 s
        OidcProvider oidc = provider(new OidcSettings(ec.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT).withAudience(AUDIENCE),
                Clock.systemUTC(), Duration.ofSeconds(20));
        String token = ec.accessToken("user-9", Map.of());
        assertTrue(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)
                .contains("\"ES256\""), "the mock signs ES256 here");

        assertEquals(new Subject.External(new ExternalIdentity("oidc", "user-9")),
                assertInstanceOf(Verification.Verified.class, oidc.verify(token)).subject());
        // and the whole login with an ES256 id_token
        Profile profile = loggedIn(provider(new OidcSettings(ec.issuer(), CLIENT_ID, CLIENT_SECRET, REDIRECT),
                Clock.systemUTC(), Duration.ofSeconds(20)));
        assertFalse(profile.identity().subject().isBlank());
    }

    // ---- the provider's access tokens as bearer tokens

    @Test
    void accessTokensOfTheProvider() {
        OidcProvider oidc = provider(settings().withAudience(AUDIENCE));

        Verification.Verified verified = assertInstanceOf(Verification.Verified.class,
                oidc.verify(mock.accessToken("user-7", Map.of("client_id", "some-client-at-the-provider"))));
        assertEquals(new Subject.External(new ExternalIdentity("oidc", "user-7")), verified.subject());
        assertEquals(Optional.empty(), verified.permissions(), "no claim limits it: the user's permissions apply");
        assertEquals(Optional.empty(), verified.client(), "the provider's client is not one of our machine clients");
        assertTrue(verified.expiresAt().isAfter(Instant.now()));

        // another issuer's token is not ours to judge; a token of ours for another audience is
        assertInstanceOf(Verification.NotMine.class, oidc.verify(mock.accessToken("other", "user-7", List.of(AUDIENCE), Map.of())));
        assertEquals("wrong audience", assertInstanceOf(Verification.Rejected.class,
                oidc.verify(mock.accessToken(mock.issuerId, "user-7", List.of("someone-else"), Map.of()))).reason());
        assertInstanceOf(Verification.Rejected.class, oidc.verify("not.a.token"));

        // without an API audience the adapter takes no bearer tokens at all
        OidcProvider loginOnly = provider(settings());
        assertInstanceOf(Verification.NotMine.class, loginOnly.verify(mock.accessToken("user-7", Map.of())));
        assertEquals(0, loginOnly.discoveryFetches());
    }

    @Test
    void accessTokenScopesMapToPermissions() {
        OidcProvider oidc = provider(settings().withAudience(AUDIENCE));
        Map<Map<String, Object>, Optional<?>> cases = new LinkedHashMap<>();
        cases.put(Map.of("permissions", List.of("read:todos", "no-such-scope")), Optional.of(EnumSet.of(Permission.READ_TODOS)));
        cases.put(Map.of("permissions", List.of()), Optional.of(EnumSet.noneOf(Permission.class)));
        cases.put(Map.of("permissions", List.of("read:todos"), "scope", "write:todos"), Optional.of(EnumSet.of(Permission.READ_TODOS)));
        cases.put(Map.of("scope", "openid read:todos write:todos"), Optional.of(EnumSet.of(Permission.READ_TODOS, Permission.WRITE_TODOS)));
        cases.put(Map.of("scope", "openid profile email"), Optional.empty());
        cases.put(Map.of("scp", List.of("read:resolver", "openid")), Optional.of(EnumSet.of(Permission.READ_RESOLVER)));
        for (Map.Entry<Map<String, Object>, Optional<?>> c : cases.entrySet()) {
            Verification.Verified verified = assertInstanceOf(Verification.Verified.class,
                    oidc.verify(mock.accessToken("user-7", c.getKey())), c.getKey().toString());
            assertEquals(c.getValue(), verified.permissions(), c.getKey().toString());
        }
        assertEquals("invalid permissions claim", assertInstanceOf(Verification.Rejected.class,
                oidc.verify(mock.accessToken("user-7", Map.of("permissions", "read:todos")))).reason());
    }

    @Test
    void settingsAreChecked() {
        URI redirect = REDIRECT;
        assertThrows(IllegalArgumentException.class, () -> new OidcSettings("http://idp.example", "c", "s", redirect));
        assertThrows(IllegalArgumentException.class, () -> new OidcSettings("https://idp.example?x=1", "c", "s", redirect));
        assertThrows(IllegalArgumentException.class, () -> new OidcSettings("idp.example", "c", "s", redirect));
        assertThrows(IllegalArgumentException.class, () -> new OidcSettings("https://idp.example", " ", "s", redirect));
        assertThrows(IllegalArgumentException.class, () -> new OidcSettings("https://idp.example", "c", "", redirect));
        assertThrows(IllegalArgumentException.class, () -> new OidcSettings("https://idp.example", "c", "s", URI.create("/cb")));
        assertThrows(IllegalArgumentException.class,
                () -> new OidcSettings("https://idp.example", "c", "s", redirect).withScopes("profile email"));
        assertThrows(IllegalArgumentException.class,
                () -> new OidcSettings("https://idp.example", "c", "s", redirect).withScopes("openid \"x\""));
        assertThrows(IllegalArgumentException.class,
                () -> new OidcSettings("https://idp.example", "c", "s", redirect).withName("Not A Name"));
        assertThrows(IllegalArgumentException.class,
                () -> new OidcSettings("https://idp.example", "c", "s", redirect).withAudience(" "));

        OidcSettings ok = new OidcSettings("https://idp.example/tenant/", "client", "the-secret", redirect);
        assertEquals(URI.create("https://idp.example/tenant/.well-known/openid-configuration"), ok.discoveryUri());
        assertFalse(ok.toString().contains("the-secret"), "the secret stays out of logs: " + ok);
        assertNotNull(new OidcSettings("http://localhost:8080", "c", "s", redirect));
        assertNotNull(new OidcSettings("http://[::1]:8080", "c", "s", redirect));
    }
}
