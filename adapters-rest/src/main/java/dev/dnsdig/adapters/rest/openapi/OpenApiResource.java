package dev.dnsdig.adapters.rest.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.json} and {@code GET /openapi.yaml}: the OpenAPI 3.1 description of the API, written by hand
 * in {@code openapi.yaml} next to this class and converted to JSON once. Open to anyone and never rate limited (it
 * carries neither {@code @Secured} nor {@code @RateLimited}).
 */
@Path("/")
public final class OpenApiResource {
    static final String YAML_MEDIA_TYPE = "application/yaml";
    private static final CacheControl FIVE_MINUTES = CacheControl.valueOf("public, max-age=300");
    private static final Document DOCUMENT = Document.load();

    /** The document in both forms, read once per process. */
    record Document(String yaml, String json) {
        static Document load() {
            try (InputStream in = OpenApiResource.class.getResourceAsStream("openapi.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("openapi.yaml is missing from the class path");
                }
                String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Document(yaml, new ObjectMapper().writeValueAsString(parse(yaml)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
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
        return Response.ok(DOCUMENT.json(), MediaType.APPLICATION_JSON_TYPE).cacheControl(FIVE_MINUTES).build();
    }

    @GET
    @Path("openapi.yaml")
    @Produces({YAML_MEDIA_TYPE, "text/yaml", MediaType.TEXT_PLAIN})
    public Response yaml() {
        return Response.ok(DOCUMENT.yaml(), YAML_MEDIA_TYPE + ";charset=utf-8").cacheControl(FIVE_MINUTES).build();
    }
}
