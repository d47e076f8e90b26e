package dev.dnsdig.adapters.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.adapters.rest.observe.MetricsAccess;
import dev.dnsdig.adapters.rest.observe.Observability;
import dev.dnsdig.adapters.rest.openapi.OpenApiResource;
import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import dev.dnsdig.domain.user.Permission;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the API Jersey actually serves: the same (method, path) pairs both ways, the same
 * security on each, every {@code $ref} resolving, and every operation described with problem+json errors. Then the
 * document over HTTP: open, never rate limited, the same in JSON and YAML.
 */
class OpenApiDocumentTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*(?::[^}]*)?}");
    private static final JsonNode DOC = OpenApiResource.document();

    /**
     * Swagger UI's page and files: served for people reading the document, not part of the API it describes (a
     * document listing its own viewer's files would describe nothing a client calls).
     */
    private static final Set<String> NOT_API = Set.of("GET /docs", "GET /docs/initializer.js",
            "GET /docs/oauth2-redirect.html", "GET /docs/{version}/{file}");

    /** Every API route Jersey serves (all it serves but {@link #NOT_API}). */
    private static Map<String, Method> api() {
        Map<String, Method> routes = served();
        assertTrue(routes.keySet().containsAll(NOT_API), "left out but not served: " + NOT_API + " in " + routes.keySet());
        routes.keySet().removeAll(NOT_API);
        return routes;
    }

    /** Every resource method Jersey serves, as "METHOD /path" with plain {@code {name}} templates, and its Java method. */
    private static Map<String, Method> served() {
        ResourceConfig config = Observability.register(
                RestApi.resourceConfig(new CompletableFuture<>()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), MetricsAccess.OPEN);
        Map<String, Method> routes = new TreeMap<>();
        List<Class<?>> resources = config.getClasses().stream().filter(c -> c.isAnnotationPresent(Path.class)).toList();
        assertTrue(resources.size() >= 12, "resource classes found: " + resources);
        for (Class<?> resource : resources) {
            collect(Resource.from(resource), "", routes);
        }
        return routes;
    }

    private static void collect(Resource resource, String prefix, Map<String, Method> routes) {
        String path = normalize(prefix + "/" + resource.getPath());
        assertEquals(null, resource.getResourceLocator(), "sub-resource locators cannot be checked: " + path);
        for (ResourceMethod method : resource.getResourceMethods()) {
            Method java = method.getInvocable().getDefinitionMethod();
            assertEquals(null, routes.put(method.getHttpMethod() + " " + path, java), "served twice: " + path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }

    static String normalize(String path) {
        String plain = TEMPLATE.matcher(path).replaceAll("{$1}").replaceAll("/+", "/");
        return plain.length() > 1 && plain.endsWith("/") ? plain.substring(0, plain.length() - 1) : plain;
    }

    /** Every operation of the document as "METHOD /path". */
    private static Map<String, JsonNode> documented() {
        Map<String, JsonNode> operations = new TreeMap<>();
        DOC.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
            if (HTTP_METHODS.contains(entry.getKey())) {
                operations.put(entry.getKey().toUpperCase() + " " + path.getKey(), entry.getValue());
            }
        }));
        return operations;
    }

    @Test
    void everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() {
        Set<String> served = api().keySet();
        Set<String> documented = documented().keySet();
        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(served);
        assertTrue(undocumented.isEmpty(), "served but not in openapi.yaml: " + undocumented);
        assertTrue(unserved.isEmpty(), "in openapi.yaml but not served: " + unserved);
        // the README's table and the issue name these; the set is not empty by accident
        assertTrue(served.containsAll(Set.of("GET /v1/resolve/{name}/{type}", "POST /v1/oauth2/token", "GET /metrics",
                "PATCH /v1/todos/{id}", "GET /openapi.json", "GET /openapi.yaml")), served.toString());
    }

    @Test
    void normalizingDropsTemplateRegexesAndDoubleSlashes() {
        assertEquals("/v1/resolve/{name}/{type}", normalize("//v1/resolve/{ name : [^/]+ }/{type}/"));
        assertEquals("/", normalize("/"));
    }

    @Test
    void securedRoutesAskForBearerWithTheirPermissionsAndOpenOnesDoNot() {
        Map<String, JsonNode> operations = documented();
        api().forEach((route, method) -> {
            Secured secured = Optional.ofNullable(method.getAnnotation(Secured.class))
                    .orElse(method.getDeclaringClass().getAnnotation(Secured.class));
            JsonNode operation = operations.get(route);
            assertTrue(operation != null, route + " is not in openapi.yaml");
            JsonNode bearer = null;
            for (JsonNode requirement : operation.path("security")) {
                if (requirement.has("bearerAuth")) {
                    bearer = requirement.get("bearerAuth");
                }
            }
            if (secured == null) {
                assertEquals(null, bearer, route + " is open but documented as needing a token");
            } else {
                assertTrue(bearer != null, route + " needs a token but the document does not say so");
                Set<String> roles = new HashSet<>();
                bearer.forEach(role -> roles.add(role.asText()));
                assertEquals(Arrays.stream(secured.value()).map(Permission::scope).collect(Collectors.toSet()), roles, route);
                assertTrue(operation.path("responses").has("401"), route + " lacks its 401");
                assertTrue(operation.path("responses").has("403"), route + " lacks its 403");
                assertTrue(operation.path("responses").has("503"), route + " lacks its 503 (a token its provider cannot check now)");
            }
        });
    }

    @Test
    void isOpenApi31AndEveryReferenceResolves() {
        assertEquals("3.1.0", DOC.path("openapi").asText());
        assertFalse(DOC.path("info").path("title").asText().isBlank());
        assertFalse(DOC.path("info").path("version").asText().isBlank());
        assertTrue(DOC.path("paths").isObject());
        List<String> refs = new ArrayList<>();
        references(DOC, refs);
        assertTrue(refs.size() > 50, "references found: " + refs.size());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), "only local references: " + ref);
            assertFalse(DOC.at(ref.substring(1)).isMissingNode(), "unresolved $ref " + ref);
        }
        // every component is used, so none is left behind by an edit
        DOC.path("components").fields().forEachRemaining(kind -> {
            if (!kind.getKey().equals("securitySchemes")) {
                kind.getValue().fieldNames().forEachRemaining(name -> assertTrue(
                        refs.contains("#/components/" + kind.getKey() + "/" + name), "unused component " + kind.getKey() + "/" + name));
            }
        });
    }

    private static void references(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    references(field.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> references(child, refs));
        }
    }

    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? resolve(DOC.at(node.get("$ref").asText().substring(1))) : node;
    }

    @Test
    void everyOperationIsDescribedAndEveryErrorIsAProblem() {
        Set<String> operationIds = new HashSet<>();
        Set<String> schemes = new HashSet<>();
        DOC.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        assertEquals(Set.of("bearer", "JWT"), Set.of(DOC.at("/components/securitySchemes/bearerAuth/scheme").asText(),
                DOC.at("/components/securitySchemes/bearerAuth/bearerFormat").asText()));
        documented().forEach((route, operation) -> {
            assertFalse(operation.path("summary").asText().isBlank(), route + " has no summary");
            assertFalse(operation.path("description").asText().isBlank(), route + " has no description");
            assertTrue(operationIds.add(operation.path("operationId").asText()), route + ": operationId missing or repeated");
            operation.path("security").forEach(requirement -> requirement.fieldNames().forEachRemaining(
                    name -> assertTrue(schemes.contains(name), route + ": unknown security scheme " + name)));
            assertTrue(operation.path("responses").has("500"), route + " lacks its 500");
            // admission control may refuse any request (overloaded, shutting down)
            assertTrue(operation.path("responses").has("503"), route + " lacks its 503");
            operation.path("responses").fields().forEachRemaining(entry -> {
                JsonNode response = resolve(entry.getValue());
                assertFalse(response.path("description").asText().isBlank(), route + " " + entry.getKey() + " has no description");
                int status = Integer.parseInt(entry.getKey());
                if (status >= 400) {
                    JsonNode schema = response.path("content").path("application/problem+json").path("schema");
                    String expected = status == 422 ? "#/components/schemas/ValidationProblem" : "#/components/schemas/Problem";
                    assertEquals(expected, schema.path("$ref").asText(), route + " " + status + " is not a problem+json");
                } else if (status != 204 && status != 304) {
                    assertTrue(response.path("content").size() > 0, route + " " + status + " has no content");
                }
            });
            String path = route.substring(route.indexOf(' ') + 1);
            Set<String> declared = new HashSet<>();
            JsonNode pathItem = DOC.path("paths").path(path);
            for (JsonNode parameters : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
                parameters.forEach(parameter -> {
                    JsonNode p = resolve(parameter);
                    if (p.path("in").asText().equals("path")) {
                        assertTrue(p.path("required").asBoolean(), route + ": path parameter " + p.path("name") + " not required");
                        declared.add(p.path("name").asText());
                    }
                });
            }
            Set<String> inTemplate = new HashSet<>();
            Matcher matcher = TEMPLATE.matcher(path);
            while (matcher.find()) {
                inTemplate.add(matcher.group(1));
            }
            assertEquals(inTemplate, declared, route + ": path parameters");
        });
        JsonNode problem = DOC.at("/components/schemas/Problem/properties");
        for (String member : List.of("type", "title", "status", "detail", "instance", "requestId")) {
            assertTrue(problem.has(member), "Problem lacks " + member);
        }
        assertTrue(DOC.at("/components/schemas/ValidationProblem/allOf/1/properties/errors").isObject());
    }

    @Test
    void theDocumentIsServedOpenlyAsJsonAndYamlAndNeverRateLimited() throws Exception {
        Policy one = new Policy("anonymous", 1, Duration.ofSeconds(60));
        try (TestApi api = TestApi.withScriptedDns(new RateLimits(Optional.of(one), Optional.empty(), Optional.empty(),
                dev.dnsdig.adapters.rest.ratelimit.TrustedProxies.none()))) {
            api.send("GET", "/v1/freesolve/example.com/A", null);
            assertEquals(429, api.send("GET", "/v1/freesolve/example.com/A", null).statusCode());
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> json = api.send("GET", "/openapi.json", null);
                assertEquals(200, json.statusCode(), json.body());
                assertTrue(json.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
                assertTrue(json.headers().firstValue("RateLimit").isEmpty());
                assertEquals(DOC, TestApi.json(json));
                HttpResponse<String> yaml = api.send("GET", "/openapi.yaml", null);
                assertEquals(200, yaml.statusCode(), yaml.body());
                assertTrue(yaml.headers().firstValue("Content-Type").orElseThrow().startsWith("application/yaml"));
                assertTrue(yaml.headers().firstValue("RateLimit").isEmpty());
                assertEquals(DOC, new YAMLMapper().readTree(yaml.body()));
            }
            assertEquals(200, api.send("HEAD", "/openapi.json", null).statusCode());
            assertEquals(404, api.send("GET", "/openapi.xml", null).statusCode());
        }
    }
}
