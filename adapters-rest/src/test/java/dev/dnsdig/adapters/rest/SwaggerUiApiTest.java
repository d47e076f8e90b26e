package dev.dnsdig.adapters.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dnsdig.adapters.rest.openapi.AuthorizationCodeFlow;
import dev.dnsdig.adapters.rest.openapi.OpenApiResource;
import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Swagger UI at {@code /docs} over HTTP: the page, every file it names from the webjar (type, caching), its
 * Content-Security-Policy, 404 problems for anything else; and the OAuth 2 flow the document and page offer
 * when the server has one.
 */
class SwaggerUiApiTest {
    private static final Pattern NAMED = Pattern.compile("(?:src|href)=\"(/docs/[^\"]+)\"");
    private static final AuthorizationCodeFlow FLOW = new AuthorizationCodeFlow(
            URI.create("https://id.example.com/oauth2/auth"), URI.create("https://tokens.example.com:8443/oauth2/token"),
            "https://dnsdig.example.com/api");

    @Test
    void thePageAndEveryFileItNamesAreServedWithTheirTypesAndCaching() throws Exception {
        try (TestApi api = TestApi.withScriptedDns()) {
            for (String path : List.of("/docs", "/docs/")) {
                HttpResponse<String> page = api.send("GET", path, null);
                assertEquals(200, page.statusCode(), path);
                assertEquals("text/html;charset=utf-8", header(page, "Content-Type").replace(" ", "").toLowerCase());
                assertEquals("no-cache", header(page, "Cache-Control"));
                String csp = header(page, "Content-Security-Policy");
                assertTrue(csp.contains("script-src 'self';") && csp.contains("connect-src 'self';")
                        && csp.contains("frame-ancestors 'none'"), csp);
                assertEquals("DENY", header(page, "X-Frame-Options"));
                assertEquals("nosniff", header(page, "X-Content-Type-Options"));
                assertTrue(page.body().contains("<div id=\"swagger-ui\">"), page.body());
            }
            List<String> named = named(api.send("GET", "/docs", null).body());
            named.addAll(named(api.send("GET", "/docs/oauth2-redirect.html", null).body()));
            assertEquals(7, named.size(), named.toString());
            for (String path : named) {
                HttpResponse<String> file = api.send("GET", path, null);
                assertEquals(200, file.statusCode(), path);
                assertFalse(file.body().isEmpty(), path);
                String type = header(file, "Content-Type");
                String expected = path.endsWith(".js") ? "text/javascript" : path.endsWith(".css") ? "text/css" : "image/png";
                assertTrue(type.startsWith(expected), path + ": " + type);
                assertEquals(path.equals("/docs/initializer.js") ? "no-cache" : "public, max-age=31536000, immutable",
                        header(file, "Cache-Control"), path);
                assertTrue(file.headers().firstValue("RateLimit").isEmpty(), path);
            }
            assertEquals(200, api.send("HEAD", named.getFirst(), null).statusCode());
        }
    }

    @Test
    void theInitializerLoadsOurDocumentWithoutAValidatorAndWithPkce() throws Exception {
        try (TestApi api = TestApi.withScriptedDns()) {
            String script = api.send("GET", "/docs/initializer.js", null).body();
            assertTrue(script.contains("url: \"/openapi.json\""), script);
            assertTrue(script.contains("validatorUrl: null"), script);
            assertTrue(script.contains("window.ui.initOAuth({\"usePkceWithAuthorizationCodeGrant\":true});"), script);
        }
    }

    @Test
    void anythingElseUnderDocsIsA404Problem() throws Exception {
        try (TestApi api = TestApi.withScriptedDns()) {
            String version = named(api.send("GET", "/docs", null).body()).getFirst().split("/")[2];
            for (String path : List.of("/docs/" + version + "/nothing.js", "/docs/" + version + "/.hidden.js",
                    "/docs/" + version + "/..%2F..%2F..%2Fmaven%2Forg.webjars%2Fswagger-ui%2Fpom.properties",
                    "/docs/" + version + "/%2E%2E%2Fswagger-ui%2Fswagger-ui.css", "/docs/" + version + "/swagger-ui",
                    "/docs/0.0.1/swagger-ui.css", "/docs/swagger-ui.css", "/docs/" + version + "/a/swagger-ui.css")) {
                HttpResponse<String> response = api.send("GET", path, null);
                assertEquals(404, response.statusCode(), path);
                assertTrue(header(response, "Content-Type").startsWith("application/problem+json"), path);
                assertEquals(404, TestApi.json(response).path("status").asInt(), path);
            }
        }
    }

    @Test
    void withoutAFlowTheDocumentIsTheFileAsWritten() throws Exception {
        try (TestApi api = TestApi.withScriptedDns(RateLimits.off(),
                config -> AuthorizationCodeFlow.offer(config, Optional::empty))) {
            JsonNode served = TestApi.json(api.send("GET", "/openapi.json", null));
            assertEquals(OpenApiResource.document(), served);
            assertTrue(served.at("/components/securitySchemes/oauth2").isMissingNode());
            assertTrue(served.at("/components/securitySchemes/bearerAuth").isObject());
        }
    }

    @Test
    void aFlowIsOfferedByTheDocumentOnEveryBearerOperationAndByThePage() throws Exception {
        AtomicReference<Optional<AuthorizationCodeFlow>> current = new AtomicReference<>(Optional.of(FLOW));
        try (TestApi api = TestApi.withScriptedDns(RateLimits.off(), config -> AuthorizationCodeFlow.offer(config, current::get))) {
            JsonNode served = TestApi.json(api.send("GET", "/openapi.json", null));
            JsonNode scheme = served.at("/components/securitySchemes/oauth2");
            assertEquals("oauth2", scheme.path("type").asText());
            JsonNode code = scheme.at("/flows/authorizationCode");
            assertEquals(FLOW.authorizationUrl().toString(), code.path("authorizationUrl").asText());
            assertEquals(FLOW.tokenUrl().toString(), code.path("tokenUrl").asText());
            assertTrue(code.path("scopes").has("read:resolver") && code.path("scopes").has("admin:users"), code.toString());
            assertTrue(served.at("/components/securitySchemes/bearerAuth").isObject(), "bearer stays");
            int offered = 0;
            for (JsonNode path : served.path("paths")) {
                for (JsonNode operation : path) {
                    List<JsonNode> bearer = new ArrayList<>();
                    List<JsonNode> oauth2 = new ArrayList<>();
                    operation.path("security").forEach(requirement -> {
                        if (requirement.has("bearerAuth")) {
                            bearer.add(requirement.get("bearerAuth"));
                        }
                        if (requirement.has("oauth2")) {
                            oauth2.add(requirement.get("oauth2"));
                        }
                    });
                    assertEquals(bearer, oauth2, operation.path("operationId").asText());
                    offered += oauth2.size();
                }
            }
            assertTrue(offered > 20, "operations offering the flow: " + offered);
            assertEquals(served, new YAMLMapper().readTree(api.send("GET", "/openapi.yaml", null).body()));
            // the page may reach the token endpoint, and asks the provider for a token for this API
            String csp = header(api.send("GET", "/docs", null), "Content-Security-Policy");
            assertTrue(csp.contains("connect-src 'self' https://tokens.example.com:8443;"), csp);
            String script = api.send("GET", "/docs/initializer.js", null).body();
            assertTrue(script.contains("\"additionalQueryStringParams\":{\"audience\":\"https://dnsdig.example.com/api\"}"), script);
            // the provider went away: the document is the file as written again
            current.set(Optional.empty());
            assertEquals(OpenApiResource.document(), TestApi.json(api.send("GET", "/openapi.json", null)));
        }
    }

    private static List<String> named(String html) {
        List<String> paths = new ArrayList<>();
        Matcher matcher = NAMED.matcher(html);
        while (matcher.find()) {
            paths.add(matcher.group(1));
        }
        return paths;
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + ": " + response.headers()));
    }
}
