package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served OpenAPI document and /docs with an OpenID Connect provider configured (an in-process one on
 * loopback): the oauth2 authorization-code flow with the provider's real endpoints, from its discovery, when its
 * access tokens are accepted here; none when they are not. (Without a provider: {@code DocsBrowserTest}.)
 */
class OpenApiOAuth2Test {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private MockOAuth2Server provider;

    @BeforeEach
    void startProvider() throws Exception {
        provider = new MockOAuth2Server();
        // an address with its name given: no reverse lookup, and the mock's URLs say 127.0.0.1
        provider.start(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}), 0);
    }

    @AfterEach
    void stopProvider() {
        provider.shutdown();
    }

    @Test
    void theProvidersOwnEndpointsAreOfferedWhenItsAccessTokensAreAccepted(@TempDir Path data) throws Exception {
        String issuer = provider.issuerUrl("dnsdig").toString();
        JsonNode discovery = JSON.readTree(get(issuer + "/.well-known/openid-configuration").body());
        try (DnsDigServer server = DnsDigServer.start(config(issuer, "https://dnsdig.example.com/api", data))) {
            JsonNode document = JSON.readTree(get(server.baseUri() + "/openapi.json").body());
            JsonNode flow = document.at("/components/securitySchemes/oauth2/flows/authorizationCode");
            assertEquals(discovery.path("authorization_endpoint").asText(), flow.path("authorizationUrl").asText(), document.toString());
            assertEquals(discovery.path("token_endpoint").asText(), flow.path("tokenUrl").asText());
            assertTrue(flow.path("authorizationUrl").asText().startsWith(issuer), flow.toString());
            assertTrue(document.at("/paths/~1v1~1resolve~1{name}~1{type}/get/security").toString()
                    .contains("{\"oauth2\":[\"read:resolver\"]}"), document.at("/paths/~1v1~1resolve~1{name}~1{type}/get").toString());
            // the page may post the code to the token endpoint, and asks for a token for this API
            HttpResponse<String> page = get(server.baseUri() + "/docs");
            URI token = URI.create(flow.path("tokenUrl").asText());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow()
                    .contains("connect-src 'self' http://" + token.getRawAuthority() + ";"), page.headers().toString());
            assertTrue(get(server.baseUri() + "/docs/initializer.js").body().contains("\"audience\":\"https://dnsdig.example.com/api\""));
        }
    }

    @Test
    void noFlowIsOfferedWhenTheProvidersAccessTokensAreNotAccepted(@TempDir Path data) throws Exception {
        try (DnsDigServer server = DnsDigServer.start(config(provider.issuerUrl("dnsdig").toString(), "", data))) {
            JsonNode document = JSON.readTree(get(server.baseUri() + "/openapi.json").body());
            assertTrue(document.at("/components/securitySchemes/bearerAuth").isObject(), document.toString());
            assertTrue(document.at("/components/securitySchemes/oauth2").isMissingNode(), "the provider's tokens would be refused");
            assertTrue(document.toString().contains("\"bearerAuth\":[\"read:resolver\"]"));
            assertTrue(!document.toString().contains("\"oauth2\""), "no operation names the scheme");
        }
    }

    private static Config config(String issuer, String audience, Path data) {
        Map<String, String> env = new HashMap<>(Map.of("DNSDIG_HTTP_PORT", "0", "DNSDIG_DATA_DIR", data.toString(),
                // never asked: these tests resolve nothing
                "DNSDIG_DNS_PROVIDERS", "none=127.0.0.1:9",
                "DNSDIG_OIDC_ISSUER", issuer, "DNSDIG_OIDC_CLIENT_ID", "dnsdig", "DNSDIG_OIDC_CLIENT_SECRET", "not-a-secret"));
        env.put("DNSDIG_OIDC_AUDIENCE", audience);
        return Config.from(env);
    }

    private static HttpResponse<String> get(String uri) throws Exception {
        HttpResponse<String> response = HTTP11.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        return response;
    }
}
