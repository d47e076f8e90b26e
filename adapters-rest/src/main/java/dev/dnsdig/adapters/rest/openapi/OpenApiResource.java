package dev.dnsdig.adapters.rest.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dnsdig.domain.user.Permission;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /openapi.json} and {@code GET /openapi.yaml}: the OpenAPI 3.1 description of the API, written by hand
 * in {@code openapi.yaml} next to this class and converted to JSON once. Open to anyone and never rate limited (it
 * carries neither {@code @Secured} nor {@code @RateLimited}).
 *
 * <p>When the server offers an {@link AuthorizationCodeFlow}, the served document also has an {@code oauth2}
 * scheme with that flow, and every operation that takes a bearer token takes one of that flow as well, with the
 * same scopes. Without one (no provider, or it is down), the document is the file as written.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/")
public final class OpenApiResource {
    static final String YAML_MEDIA_TYPE = "application/yaml";
    private static final CacheControl FIVE_MINUTES = CacheControl.valueOf("public, max-age=300");
    private static final Document DOCUMENT = Document.load();
    /** The document with the latest flow: the flow changes at most when a provider comes up, so one is kept. */
    private static final AtomicReference<Map.Entry<AuthorizationCodeFlow, Document>> WITH_FLOW = new AtomicReference<>();

    @Context
    private Configuration configuration;

    /** The document in both forms, read once per process. */
    record Document(String yaml, String json) {
        static Document load() {
            String yaml = text("openapi.yaml");
            try {
                return new Document(yaml, new ObjectMapper().writeValueAsString(parse(yaml)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A text file of this package, which the build always packs: its absence is a broken build. */
    static String text(String name) {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document offering {@code flow}, rendered from the tree (the file's comments and layout are not kept). */
    static Document withFlow(AuthorizationCodeFlow flow) {
        Map.Entry<AuthorizationCodeFlow, Document> known = WITH_FLOW.get();
        if (known != null && known.getKey().equals(flow)) {
            return known.getValue();
        }
        try {
            ObjectNode tree = (ObjectNode) parse(DOCUMENT.yaml());
            ObjectNode scopes = tree.objectNode();
            for (Permission permission : Permission.values()) {
                scopes.put(permission.scope(), describe(permission));
            }
            ObjectNode scheme = ((ObjectNode) tree.path("components").path("securitySchemes")).putObject("oauth2");
            scheme.put("type", "oauth2");
            scheme.put("description", "Sign in at the identity provider (OpenID Connect) this server trusts: its access "
                    + "tokens for the audience " + flow.audience() + " are bearer tokens here, for people who have signed "
                    + "in here once. The scopes narrow what the token may do.");
            ObjectNode code = scheme.putObject("flows").putObject("authorizationCode");
            code.put("authorizationUrl", flow.authorizationUrl().toString());
            code.put("tokenUrl", flow.tokenUrl().toString());
            code.set("scopes", scopes);
            tree.path("paths").forEach(path -> path.forEach(operation -> {
                if (operation.get("security") instanceof ArrayNode security) {
                    for (int i = security.size() - 1; i >= 0; i--) {
                        if (security.get(i).has("bearerAuth")) {
                            security.insertObject(i + 1).set("oauth2", security.get(i).get("bearerAuth").deepCopy());
                        }
                    }
                }
            }));
            Document document = new Document(new YAMLMapper().writeValueAsString(tree), new ObjectMapper().writeValueAsString(tree));
            WITH_FLOW.set(Map.entry(flow, document));
            return document;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Permission permission) {
        // a switch over every permission: a new one does not go undescribed
        return switch (permission) {
            case READ_RESOLVER -> "DNS lookups";
            case WRITE_RESOLVER -> "reserved: no operation needs it yet";
            case READ_TODOS -> "read your todos";
            case WRITE_TODOS -> "create, change and delete your todos";
            case READ_APPLICATION -> "list your machine clients";
            case WRITE_APPLICATION -> "create and delete your machine clients";
            case ADMIN_USERS -> "administer every account";
        };
    }

    /** The YAML document as a JSON tree. */
    static JsonNode parse(String yaml) throws IOException {
        return new YAMLMapper().readTree(yaml);
    }

    /** The document as a JSON tree, for tests and tools. */
    public static JsonNode document() {
        try {
            return new ObjectMapper().readTree(DOCUMENT.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response json() {
        return Response.ok(served().json(), MediaType.APPLICATION_JSON_TYPE).cacheControl(FIVE_MINUTES).build();
    }

    @GET
    @Path("openapi.yaml")
    @Produces({YAML_MEDIA_TYPE, "text/yaml", MediaType.TEXT_PLAIN})
    public Response yaml() {
        return Response.ok(served().yaml(), YAML_MEDIA_TYPE + ";charset=utf-8").cacheControl(FIVE_MINUTES).build();
    }

    private Document served() {
        return AuthorizationCodeFlow.of(configuration).map(OpenApiResource::withFlow).orElse(DOCUMENT);
    }
}
