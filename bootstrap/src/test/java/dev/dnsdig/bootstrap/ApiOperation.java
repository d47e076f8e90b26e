package dev.dnsdig.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One operation of an OpenAPI 3.1 document, with its parameters and request body, every {@code $ref} resolved. */
record ApiOperation(String method, String path, List<Param> params, Optional<Body> body, boolean signedIn) {

    record Param(String name, String in, boolean required, JsonNode schema) {
        boolean numeric() {
            return schema.path("type").asText().equals("integer") || schema.path("type").asText().equals("number");
        }
    }

    /** The body's media types, each with its schema and example (missing when the document gives none). */
    record Body(boolean required, Map<String, Content> contents) {
    }

    record Content(JsonNode schema, JsonNode example) {
    }

    @Override
    public String toString() {
        return method + " " + path;
    }

    /** Every operation of {@code document}, in the document's order. */
    static List<ApiOperation> all(JsonNode document) {
        List<ApiOperation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<Param> shared = params(document, path.getValue().path("parameters"));
            for (Iterator<Map.Entry<String, JsonNode>> entries = path.getValue().fields(); entries.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = entries.next();
                if (entry.getKey().equals("parameters")) {
                    continue;
                }
                JsonNode operation = entry.getValue();
                List<Param> params = new ArrayList<>(shared);
                params.addAll(params(document, operation.path("parameters")));
                operations.add(new ApiOperation(entry.getKey().toUpperCase(Locale.ROOT), path.getKey(), params,
                        body(document, operation.path("requestBody")), signedIn(operation.path("security"))));
            }
        }
        return operations;
    }

    private static List<Param> params(JsonNode document, JsonNode list) {
        List<Param> params = new ArrayList<>();
        for (JsonNode ref : list) {
            JsonNode param = resolve(document, ref);
            params.add(new Param(param.path("name").asText(), param.path("in").asText(), param.path("required").asBoolean(),
                    resolve(document, param.path("schema"))));
        }
        return params;
    }

    private static Optional<Body> body(JsonNode document, JsonNode ref) {
        if (ref.isMissingNode()) {
            return Optional.empty();
        }
        JsonNode body = resolve(document, ref);
        Map<String, Content> contents = new LinkedHashMap<>();
        body.path("content").fields().forEachRemaining(content -> contents.put(content.getKey(), new Content(
                resolve(document, content.getValue().path("schema")), content.getValue().path("example"))));
        return Optional.of(new Body(body.path("required").asBoolean(), contents));
    }

    /** Needs a bearer token: some requirement names a scheme (an empty one, {@code {}}, makes it optional). */
    private static boolean signedIn(JsonNode security) {
        for (JsonNode requirement : security) {
            if (requirement.isEmpty()) {
                return false;
            }
        }
        return security.toString().contains("bearerAuth");
    }

    /** The node {@code node} refers to ({@code $ref: '#/...'}), followed as far as it goes; itself otherwise. */
    static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode at = node;
        while (at.has("$ref")) {
            String ref = at.get("$ref").asText();
            at = ref.startsWith("#") ? document.at(ref.substring(1)) : MissingNode.getInstance();
        }
        return at;
    }
}
