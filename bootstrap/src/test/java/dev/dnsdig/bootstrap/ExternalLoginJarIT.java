package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.bootstrap.PackagedJar.Running;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged target/dnsdig.jar signing a user in with an OpenID Connect provider (mock-oauth2-server in this JVM
 * on 127.0.0.1), then that user's machine client resolving against Knot: login-url, the provider's redirect, the
 * callback's tokens and store, /v1/me, an application, its client_credentials token, its deletion, SIGTERM.
 *
 * <p>The mock issues a code at once and redirects to our callback; a non-redirect-following client plays the
 * browser and carries the Location to the jar itself. The jar's callback URL must be known before it starts, so it
 * gets a port picked beforehand.
 */
class ExternalLoginJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISSUER_ID = "mock";
    private static final String CLIENT_ID = "dnsdig-web";
    private static final String CLIENT_SECRET = "top-secret";
    /** Plays the browser: HTTP/1.1, and redirects are ours to follow. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private KnotServer knot;
    private MockOAuth2Server provider;

    @BeforeEach
    void startDependencies() throws Exception {
        knot = KnotServer.start();
        provider = new MockOAuth2Server();
        // an address with its name given: no reverse lookup, and the mock's own URLs (its issuer too) say 127.0.0.1
        provider.start(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}), 0);
    }

    @AfterEach
    void stopDependencies() {
        if (provider != null) {
            provider.shutdown();
        }
        if (knot != null) {
            knot.close();
        }
    }

    @Test
    void signInWithTheProviderThenAMachineClientResolves(@TempDir Path workDir) throws Exception {
        String issuer = provider.issuerUrl(ISSUER_ID).toString();
        assertTrue(issuer.startsWith("http://127.0.0.1:"), issuer);
        int port = PackagedJar.freeLoopbackPort();
        String base = "http://127.0.0.1:" + port;
        String callback = base + "/v1/auth/callback/mock";
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DNSDIG_HTTP_PORT", Integer.toString(port));
        env.put("DNSDIG_DATA_DIR", Files.createDirectory(workDir.resolve("data")).toString());
        env.put("DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot"));
        env.put("DNSDIG_PUBLIC_URL", base);
        env.put("DNSDIG_OIDC_ISSUER", issuer);
        env.put("DNSDIG_OIDC_CLIENT_ID", CLIENT_ID);
        env.put("DNSDIG_OIDC_CLIENT_SECRET", CLIENT_SECRET);
        env.put("DNSDIG_OIDC_NAME", "mock");
        env.put("DNSDIG_OIDC_REDIRECT_URI", callback);

        // the mock's first answers in this JVM load Kotlin, Netty, Nimbus...: seconds on a busy machine, while the jar
        // allows a provider 3 s. Warm it up while the jar starts, so that the jar meets a provider answering at speed.
        Thread warmUp = Thread.ofVirtual().start(() -> warmUp(issuer));
        try (Running jar = PackagedJar.start(workDir, env)) {
            warmUp.join();
            assertEquals(base, jar.base(), "listens where its callback points");

            // ---- a person signs in at the provider
            HttpResponse<String> started = post(jar, "/v1/auth/login-url", "{\"store\":{\"returnTo\":\"/x\"}}");
            assertEquals(200, started.statusCode(), started.body());
            JsonNode start = JSON.readTree(started.body());
            URI loginUrl = URI.create(start.get("loginUrl").asText());
            assertTrue(loginUrl.toString().startsWith(issuer + "/authorize?"), loginUrl.toString());
            Map<String, String> asked = query(loginUrl);
            assertEquals(CLIENT_ID, asked.get("client_id"));
            assertEquals(callback, asked.get("redirect_uri"));
            assertEquals(start.get("state").asText(), asked.get("state"));
            assertEquals("S256", asked.get("code_challenge_method"));

            // the id_token the jar gets for this code carries these claims
            provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "user-42", JOSEObjectType.JWT.getType(),
                    null, Map.of("email", "ada@example.com", "email_verified", true, "name", "Ada Lovelace"), 300L));
            HttpResponse<Void> atProvider = http.send(HttpRequest.newBuilder(loginUrl).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(302, atProvider.statusCode(), "the mock redirects back with a code at once");
            URI back = URI.create(atProvider.headers().firstValue("Location").orElseThrow());
            assertTrue(back.toString().startsWith(callback + "?"), back.toString());
            assertEquals(start.get("state").asText(), query(back).get("state"));
            assertFalse(query(back).getOrDefault("code", "").isBlank(), back.toString());

            HttpResponse<String> signedIn = get(back, null);
            assertEquals(200, signedIn.statusCode(), signedIn.body() + "\n" + String.join("\n", jar.output()));
            assertEquals("no-store", signedIn.headers().firstValue("Cache-Control").orElse(""));
            JsonNode tokens = JSON.readTree(signedIn.body());
            assertEquals("Bearer", tokens.get("token_type").asText());
            assertTrue(tokens.hasNonNull("refresh_token"), signedIn.body());
            assertEquals(JSON.readTree("{\"returnTo\":\"/x\"}"), tokens.get("store"));
            String user = "Bearer " + tokens.get("access_token").asText();
            assertEquals(400, get(back, null).statusCode(), "the state is single-use");

            HttpResponse<String> me = get(jar, "/v1/me", user);
            assertEquals(200, me.statusCode(), me.body());
            JsonNode account = JSON.readTree(me.body());
            assertEquals("ada@example.com", account.get("email").asText());
            assertEquals("Ada Lovelace", account.get("displayName").asText());
            assertEquals(JSON.readTree("[{\"provider\":\"mock\",\"subject\":\"user-42\"}]"), account.get("identities"));
            assertTrue(scopes(account.get("permissions")).containsAll(List.of("read:resolver", "write:application")),
                    me.body());

            // ---- the person creates a machine client, which resolves with a token of its own
            HttpResponse<String> created = post(jar, "/v1/me/applications",
                    "{\"name\":\"ci\",\"permissions\":[\"read:resolver\"]}", user);
            assertEquals(201, created.statusCode(), created.body());
            JsonNode application = JSON.readTree(created.body());
            String clientId = application.get("client_id").asText();
            String clientSecret = application.get("client_secret").asText();
            assertEquals(List.of("read:resolver"), scopes(application.get("permissions")));

            HttpResponse<String> granted = http.send(HttpRequest.newBuilder(URI.create(jar.base() + "/v1/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (form(clientId) + ":" + form(clientSecret)).getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, granted.statusCode(), granted.body());
            JsonNode clientToken = JSON.readTree(granted.body());
            assertEquals("read:resolver", clientToken.get("scope").asText());
            assertFalse(clientToken.has("refresh_token"), granted.body());
            String client = "Bearer " + clientToken.get("access_token").asText();

            HttpResponse<String> resolved = get(jar, "/v1/resolve/www.dnsdig.test/A", client);
            assertEquals(200, resolved.statusCode(), resolved.body());
            JsonNode knotAnswer = JSON.readTree(resolved.body()).get("providers").get(0);
            assertEquals("knot", knotAnswer.get("provider").asText());
            assertEquals(List.of("192.0.2.10", "192.0.2.11"), StreamSupport.stream(knotAnswer.get("answers").spliterator(), false)
                    .map(answer -> answer.get("rdata").get("address").asText()).sorted().toList(), resolved.body());

            // ---- deleting the application ends its token at the next request
            HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(jar.base() + "/v1/me/applications/" + clientId))
                    .header("Authorization", user).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, deleted.statusCode(), deleted.body());
            HttpResponse<String> refused = get(jar, "/v1/resolve/www.dnsdig.test/A", client);
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), refused.headers().toString());
            assertEquals(200, get(jar, "/v1/resolve/www.dnsdig.test/A", user).statusCode(), "the person's own token still works");

            jar.sigterm();
            assertEquals(0, jar.process().exitValue(), String.join("\n", jar.output()));
        }
    }

    /** Discovery, keys and a token of the mock, asked once each; answers are not checked (the flow checks them). */
    private void warmUp(String issuer) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create(issuer + "/jwks")).build(), HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=warm-up&client_secret=warm-up&scope=openid"))
                    .build(), HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> post(Running jar, String path, String json) throws Exception {
        return post(jar, path, json, null);
    }

    private HttpResponse<String> post(Running jar, String path, String json, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jar.base() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Running jar, String path, String bearer) throws Exception {
        return get(URI.create(jar.base() + path), bearer);
    }

    private HttpResponse<String> get(URI uri, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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

    private static List<String> scopes(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** RFC 6749 2.3.1: client id and secret are form-encoded before they go into HTTP Basic. */
    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
