package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Fuzzing driven by the served {@code /openapi.json}: every operation of the fully wired server (on Knot, the embedded
 * store and an in-process OpenID Connect provider) gets its valid request and then, one part at a time, boundary and
 * malformed values in every path, query and header parameter and every body property, wrong types, missing and extra
 * properties, malformed bodies and content types, broken credentials and methods the path does not serve. Not one
 * answer may be a 5xx, and every 4xx is a problem document. Deterministic: {@code -Ddnsdig.fuzz.seed} repeats a run;
 * {@code -Ddnsdig.fuzz.rounds} (random variants per operation) and {@code -Ddnsdig.fuzz.strings} (catalog strings per
 * body property) make a longer one, {@code -Ddnsdig.fuzz.only} a narrower one. The default keeps to about a minute.
 */
class OpenApiFuzzTest {
    private static final long SEED = Long.getLong("dnsdig.fuzz.seed", 8484);
    private static final int ROUNDS = Integer.getInteger("dnsdig.fuzz.rounds", 5);
    /**
     * Catalog strings per body property (a seeded sample; every type of wrong value is always sent): the whole catalog
     * for each property of sign-up and login, which hash a password per request, would double the default run.
     */
    private static final int BODY_STRINGS = Integer.getInteger("dnsdig.fuzz.strings", 12);
    /** Only the operations whose "METHOD /path" contains this: {@code -Ddnsdig.fuzz.only=/v1/todos}. */
    private static final String ONLY = System.getProperty("dnsdig.fuzz.only", "");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OIDC_NAME = "mock";
    /** Parameter values not encoded: malformed escapes, raw bytes beyond ASCII, separators. */
    private static final List<String> RAW = List.of("%zz", "%", "%2F", "%2e%2e", "a%00b", "..", ".", "\u00e9",
            "a\u0001b", "a;b=c", "a%C3%28", "%F0%9F", "{name}");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "FOO");

    /** Held, so that its level stays set: thousands of access lines would bury the build log. */
    private static final Logger ACCESS = Logger.getLogger("dnsdig.access");
    private static KnotServer knot;
    private static FaultyDnsServer recursive;
    private static FaultyDnsServer recursive6;
    private static MockOAuth2Server provider;
    private static DnsDigServer server;
    private static RawSocketHttp http;
    private static FuzzAccounts accounts;
    private static JsonNode document;
    private static byte[] dnsQuery;

    private final FuzzValues values = new FuzzValues(SEED);
    private final List<String> failures = new ArrayList<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private int signUps;
    private int retried;

    @BeforeAll
    static void start() throws Exception {
        ACCESS.setLevel(Level.WARNING);
        knot = KnotServer.start();
        // Knot is authoritative and refuses names outside its zones, which is a provider failure: a second provider
        // says NXDOMAIN to everything, as a recursive resolver would of names like these, so a lookup of any valid
        // name has an answer and a 502 means something went wrong here
        recursive = FaultyDnsServer.nxdomain("127.0.0.1");
        recursive6 = FaultyDnsServer.nxdomain("::1");
        provider = new MockOAuth2Server();
        // an address with its name given: no reverse lookup, and the mock's URLs say 127.0.0.1
        provider.start(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}), 0);
        Map<String, String> env = new HashMap<>(Map.of("DNSDIG_HTTP_PORT", "0",
                "DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot") + ";recursive=" + recursive.server() + "," + recursive6.server(),
                "DNSDIG_DNS_TIMEOUT_MS", "2000", "DNSDIG_DNS_DEADLINE_MS", "5000",
                "DNSDIG_DNSSEC_TRUST_ANCHORS", knot.trustAnchor("signed.test"),
                "DNSDIG_DATA_DIR", Files.createTempDirectory("dnsdig-openapi-fuzz").toString(),
                "DNSDIG_ADMIN_EMAILS", FuzzAccounts.ADMIN_EMAIL));
        env.putAll(Map.of("DNSDIG_RATELIMIT_ANONYMOUS", "off", "DNSDIG_RATELIMIT_USER", "off", "DNSDIG_RATELIMIT_LOGIN", "off",
                "DNSDIG_OIDC_ISSUER", provider.issuerUrl("dnsdig").toString(), "DNSDIG_OIDC_CLIENT_ID", "dnsdig",
                "DNSDIG_OIDC_CLIENT_SECRET", "not-a-secret", "DNSDIG_OIDC_NAME", OIDC_NAME));
        server = DnsDigServer.start(Config.from(env));
        http = new RawSocketHttp(server.port(), Duration.ofSeconds(Long.getLong("dnsdig.fuzz.timeout", 30)));
        accounts = new FuzzAccounts(server.baseUri());
        RawSocketHttp.Response served = http.send(new FuzzRequest("GET", "/openapi.json").build(""));
        assertEquals(200, served.status());
        document = JSON.readTree(served.body());
        dnsQuery = Message.newQuery(Record.newRecord(Name.fromConstantString("www.dnsdig.test."), Type.A, DClass.IN)).toWire();
    }

    @AfterAll
    static void stop() {
        server.close();
        provider.shutdown();
        recursive.close();
        recursive6.close();
        knot.close();
        ACCESS.setLevel(null);
    }

    @Test
    void noOperationAnswersBoundaryOrMalformedValuesWithA5xx() throws Exception {
        long start = System.nanoTime();
        List<ApiOperation> all = ApiOperation.all(document);
        assertTrue(all.size() > 40, "the document lists every operation: " + all.size());
        List<ApiOperation> operations = all.stream().filter(o -> o.toString().contains(ONLY)).toList();
        Map<String, Integer> valid = new LinkedHashMap<>();
        Map<String, Set<String>> served = new LinkedHashMap<>();
        int sent = 0;
        Map<String, Double> slowest = new TreeMap<>();
        for (ApiOperation operation : operations) {
            long begin = System.nanoTime();
            accounts.ensure();
            for (FuzzRequest variant : variants(operation, valid(operation))) {
                check(variant);
                sent++;
            }
            // a valid request last, made now (a new account to sign up, a fresh refresh token) for what is there now
            // (a variant may have deleted it): it may delete, rotate or log out what the variants needed
            accounts.ensure();
            valid.put(operation.toString(), check(valid(operation)));
            sent++;
            served.computeIfAbsent(operation.path(), p -> new LinkedHashSet<>()).add(operation.method());
            slowest.put(operation.toString(), (System.nanoTime() - begin) / 1e9);
        }
        sent += unservedMethods(operations, served);
        List<String> slow = slowest.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(6).map(e -> String.format("%s %.1f s", e.getKey(), e.getValue())).toList();
        System.out.printf("OpenApiFuzzTest: %d requests to %d operations in %.1f s (seed %d, rounds %d); statuses %s;"
                        + " %d asked again after a 502-504; slowest operations %s%n", sent, operations.size(),
                (System.nanoTime() - start) / 1e9, SEED, ROUNDS, statuses, retried, slow);
        assertTrue(failures.isEmpty(), failures.size() + " failures, the first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(30, failures.size()))));
        // the valid requests got through: otherwise the variants were refused at the door and proved little
        valid.forEach((operation, status) -> assertTrue(status < 400 || status == 400 && operation.contains("callback"),
                operation + " answered its valid request with " + status));
    }

    /** Each path once with every method it does not serve, an unknown one among them; returns how many were sent. */
    private int unservedMethods(List<ApiOperation> operations, Map<String, Set<String>> served) throws IOException {
        accounts.ensure();
        int sent = 0;
        for (ApiOperation operation : operations) {
            Set<String> methods = served.remove(operation.path());
            if (methods != null) {
                FuzzRequest request = valid(operation);
                for (String method : METHODS) {
                    if (!methods.contains(method)) {
                        check(request.as(method));
                        sent++;
                    }
                }
            }
        }
        return sent;
    }

    /**
     * Sends {@code request} and records what is wrong with the answer; returns the status. A dependency's 502, 503 or
     * 504 is asked again once: on a loaded machine the in-process identity provider or Knot may be late, which says
     * nothing of how the input was handled; the same answer twice is a failure like any other 5xx.
     */
    private int check(FuzzRequest request) {
        RawSocketHttp.Response response;
        try {
            response = http.send(request.build(accounts.bearer()));
            if (response.status() >= 502 && response.status() <= 504) {
                retried++;
                response = http.send(request.build(accounts.bearer()));
            }
        } catch (IOException e) {
            failures.add(request + ": no answer: " + e);
            System.out.println("OpenApiFuzzTest failure: " + failures.get(failures.size() - 1));
            return 0;
        }
        int status = response.status();
        statuses.merge(status, 1, Integer::sum);
        String body = response.text();
        String shown = body.length() > 300 ? body.substring(0, 300) + "..." : body;
        int before = failures.size();
        if (status >= 500) {
            failures.add(request + " -> " + status + " " + shown);
        } else if (status >= 400 && !response.header("Content-Type").startsWith("application/problem+json")) {
            failures.add(request + " -> " + status + " without a problem document (" + response.header("Content-Type") + "): " + shown);
        } else if (status >= 400 && (body.contains("Exception") || body.contains("at dev.dnsdig"))) {
            failures.add(request + " -> " + status + " shows internals: " + shown);
        }
        if (failures.size() > before) {
            System.out.println("OpenApiFuzzTest failure: " + failures.get(before)); // as it happens, in a long run
        }
        return status;
    }

    // ---- the valid request

    private FuzzRequest valid(ApiOperation operation) throws IOException {
        FuzzRequest request = new FuzzRequest(operation.method(), operation.path());
        request.signedIn = operation.signedIn();
        for (ApiOperation.Param param : operation.params()) {
            String value = validValue(operation, param);
            if (value != null) {
                set(request, param, FuzzRequest.encode(value));
            }
        }
        if (operation.body().isPresent()) {
            Map.Entry<String, ApiOperation.Content> first = operation.body().get().contents().entrySet().iterator().next();
            request.contentType = first.getKey();
            request.body = validBody(operation, first.getKey(), first.getValue());
        }
        return request;
    }

    /** A value the server accepts, for the parameters a valid request needs; none for the optional ones. */
    private String validValue(ApiOperation operation, ApiOperation.Param param) {
        return switch (param.name()) {
            case "name" -> "www.dnsdig.test";
            case "type" -> "A";
            case "ip" -> "192.0.2.10";
            case "permission" -> "read:todos";
            case "provider" -> OIDC_NAME;
            case "dns" -> Base64.getUrlEncoder().withoutPadding().encodeToString(dnsQuery);
            case "id" -> operation.path().startsWith("/v1/users") ? accounts.subjectId()
                    : operation.path().startsWith("/v1/todos") ? accounts.todoId() : accounts.clientId();
            default -> null;
        };
    }

    private byte[] validBody(ApiOperation operation, String type, ApiOperation.Content content) throws IOException {
        if (type.equals("application/dns-message")) {
            return dnsQuery;
        }
        if (type.equals("application/x-www-form-urlencoded")) {
            return FuzzRequest.form(Map.of("grant_type", "client_credentials", "client_id", accounts.clientId(),
                    "client_secret", accounts.clientSecret()));
        }
        ObjectNode body = content.example().isObject() ? content.example().deepCopy() : JSON.createObjectNode();
        switch (operation.path()) {
            case "/v1/users" -> {
                signUps++;
                body.put("email", "fuzz-" + signUps + "@example.com").put("username", "fuzz" + signUps)
                        .put("password", FuzzAccounts.PASSWORD);
            }
            case "/v1/auth/login" -> body.put("email", FuzzAccounts.ADMIN_EMAIL).put("password", FuzzAccounts.PASSWORD);
            case "/v1/auth/refresh", "/v1/auth/logout" -> body.put("refresh_token", accounts.freshRefreshToken());
            default -> {
                // the document's example is a valid body
            }
        }
        return JSON.writeValueAsBytes(body);
    }

    private static void set(FuzzRequest request, ApiOperation.Param param, String encoded) {
        switch (param.in()) {
            case "path" -> request.pathValues.put(param.name(), encoded);
            case "query" -> {
                request.query.removeIf(pair -> pair.startsWith(FuzzRequest.encode(param.name()) + "="));
                request.query.add(FuzzRequest.encode(param.name()) + "=" + encoded);
            }
            default -> request.headers.put(param.name(), encoded);
        }
    }

    // ---- the variants

    private List<FuzzRequest> variants(ApiOperation operation, FuzzRequest valid) {
        List<FuzzRequest> variants = new ArrayList<>();
        for (ApiOperation.Param param : operation.params()) {
            variants.addAll(parameterVariants(valid, param));
        }
        operation.body().ifPresent(body -> variants.addAll(bodyVariants(operation, valid, body)));
        variants.addAll(headerVariants(valid));
        for (int round = 0; round < ROUNDS; round++) {
            variants.add(random(operation, valid));
        }
        // signed out: the valid request and the first variants without a token, or with a broken one
        List<FuzzRequest> signedOut = new ArrayList<>();
        if (operation.signedIn()) {
            FuzzRequest none = valid.copy("no token");
            none.signedIn = false;
            signedOut.add(none);
            for (FuzzRequest variant : variants.subList(0, Math.min(10, variants.size()))) {
                FuzzRequest copy = variant.copy(variant.what + ", no token");
                copy.signedIn = false;
                signedOut.add(copy);
            }
        }
        for (String authorization : FuzzValues.AUTHORIZATIONS) {
            FuzzRequest broken = valid.copy("Authorization " + show(authorization));
            broken.headers.put("Authorization", authorization);
            signedOut.add(broken);
        }
        if (!operation.signedIn()) {
            FuzzRequest token = valid.copy("a token it does not need");
            token.signedIn = true;
            signedOut.add(token);
        }
        variants.addAll(signedOut);
        return variants;
    }

    private List<FuzzRequest> parameterVariants(FuzzRequest valid, ApiOperation.Param param) {
        List<FuzzRequest> variants = new ArrayList<>();
        List<String> strings = new ArrayList<>(FuzzValues.STRINGS);
        strings.addAll(FuzzValues.URL_STRINGS);
        for (String value : strings) {
            FuzzRequest variant = valid.copy(param.in() + " " + param.name() + "=" + show(value));
            if (param.in().equals("header")) {
                variant.headers.put(param.name(), headerSafe(value));
            } else {
                set(variant, param, FuzzRequest.encode(value));
            }
            variants.add(variant);
        }
        if (param.in().equals("header")) {
            return variants;
        }
        for (String raw : RAW) {
            FuzzRequest variant = valid.copy(param.in() + " " + param.name() + " raw " + show(raw));
            set(variant, param, raw);
            variants.add(variant);
        }
        if (param.in().equals("query")) {
            String name = FuzzRequest.encode(param.name());
            FuzzRequest bare = valid.copy("query " + param.name() + " without a value");
            bare.query.removeIf(pair -> pair.startsWith(name + "="));
            bare.query.add(name);
            variants.add(bare);
            FuzzRequest twice = valid.copy("query " + param.name() + " twice");
            twice.query.add(name + "=1");
            twice.query.add(name + "=2");
            variants.add(twice);
            FuzzRequest many = valid.copy("query " + param.name() + " 300 times");
            for (int i = 0; i < 300; i++) {
                many.query.add(name + "=192.0.2." + (i % 256));
            }
            variants.add(many);
            if (param.required()) {
                FuzzRequest missing = valid.copy("query " + param.name() + " missing");
                missing.query.removeIf(pair -> pair.startsWith(name + "="));
                variants.add(missing);
            }
        }
        return variants;
    }

    private List<FuzzRequest> bodyVariants(ApiOperation operation, FuzzRequest valid, ApiOperation.Body body) {
        List<FuzzRequest> variants = new ArrayList<>();
        String type = valid.contentType;
        if (type.contains("json")) {
            variants.addAll(jsonVariants(valid));
        } else if (type.equals("application/x-www-form-urlencoded")) {
            variants.addAll(formVariants(valid));
        } else {
            for (byte[] message : List.of(new byte[0], values.bytes(12), values.bytes(64), values.bytes(512),
                    java.util.Arrays.copyOf(dnsQuery, dnsQuery.length - 3), java.util.Arrays.copyOf(dnsQuery, 12),
                    java.util.Arrays.copyOf(dnsQuery, dnsQuery.length + 40), new byte[65_536])) {
                FuzzRequest variant = valid.copy("DNS message of " + message.length + " octets");
                variant.body = message;
                variants.add(variant);
            }
        }
        for (byte[] whole : FuzzValues.BODIES) {
            FuzzRequest variant = valid.copy("body " + show(new String(whole, StandardCharsets.UTF_8)));
            variant.body = whole;
            variants.add(variant);
        }
        for (String other : FuzzValues.CONTENT_TYPES) {
            FuzzRequest variant = valid.copy("Content-Type " + show(other));
            variant.contentType = other;
            variants.add(variant);
        }
        for (String declared : body.contents().keySet()) {
            FuzzRequest variant = valid.copy("as " + declared);
            variant.contentType = declared;
            variants.add(variant);
        }
        FuzzRequest untyped = valid.copy("no Content-Type");
        untyped.contentType = null;
        variants.add(untyped);
        FuzzRequest none = valid.copy("no body");
        none.body = null;
        variants.add(none);
        FuzzRequest chunked = valid.copy("chunked");
        chunked.headers.put("Transfer-Encoding", "chunked");
        chunked.body = chunk(valid.body);
        variants.add(chunked);
        FuzzRequest badChunks = valid.copy("malformed chunks");
        badChunks.headers.put("Transfer-Encoding", "chunked");
        badChunks.body = FuzzValues.utf8("zz\r\n{}\r\n0\r\n\r\n");
        variants.add(badChunks);
        return variants;
    }

    /** The valid body with one value at a time replaced (at any depth up to 3), removed, or one property added. */
    private List<FuzzRequest> jsonVariants(FuzzRequest valid) {
        List<FuzzRequest> variants = new ArrayList<>();
        JsonNode body;
        try {
            body = JSON.readTree(valid.body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String slot : slots(body, "", 0)) {
            List<String> replacements = new ArrayList<>();
            for (String text : values.sample(FuzzValues.STRINGS, BODY_STRINGS)) {
                replacements.add(JSON.valueToTree(text).toString());
            }
            replacements.addAll(FuzzValues.JSON_VALUES);
            for (String replacement : replacements) {
                variants.add(withJson(valid, slot + "=" + show(replacement), replace(body, slot, replacement)));
            }
            variants.add(withJson(valid, slot + " removed", replace(body, slot, null)));
        }
        if (body.isObject()) {
            ObjectNode extra = body.deepCopy();
            extra.put("unexpected", 1).put("id", "01KAB3M9Q0X7E2V4TQ8N6R5ZJC").put("permissions", "admin:users");
            variants.add(withJson(valid, "extra properties", extra));
        }
        return variants;
    }

    /** JSON pointers of every value in {@code node}, to depth 3. */
    private static List<String> slots(JsonNode node, String at, int depth) {
        List<String> slots = new ArrayList<>();
        if (depth == 3) {
            return slots;
        }
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                slots.add(at + "/" + name);
                slots.addAll(slots(node.get(name), at + "/" + name, depth + 1));
            });
        } else if (node.isArray() && !node.isEmpty()) {
            slots.add(at + "/0");
            slots.addAll(slots(node.get(0), at + "/0", depth + 1));
        }
        return slots;
    }

    /** A copy of {@code body} with the value at {@code pointer} replaced by {@code json}, or removed for null. */
    private static JsonNode replace(JsonNode body, String pointer, String json) {
        JsonNode copy = body.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(pointer.substring(0, slash));
        String key = pointer.substring(slash + 1);
        JsonNode value;
        try {
            value = json == null ? null : JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(key);
            } else {
                object.set(key, value);
            }
        } else if (parent instanceof ArrayNode array) {
            if (value == null) {
                array.remove(Integer.parseInt(key));
            } else {
                array.set(Integer.parseInt(key), value);
            }
        }
        return copy;
    }

    private static FuzzRequest withJson(FuzzRequest valid, String what, JsonNode body) {
        FuzzRequest variant = valid.copy(what);
        try {
            variant.body = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return variant;
    }

    private List<FuzzRequest> formVariants(FuzzRequest valid) {
        List<FuzzRequest> variants = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : new String(valid.body, StandardCharsets.US_ASCII).split("&")) {
            String[] parts = pair.split("=", 2);
            fields.put(java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        for (String field : List.copyOf(fields.keySet())) {
            for (String value : values.sample(FuzzValues.STRINGS, BODY_STRINGS)) {
                Map<String, String> changed = new LinkedHashMap<>(fields);
                changed.put(field, value);
                FuzzRequest variant = valid.copy(field + "=" + show(value));
                variant.body = FuzzRequest.form(changed);
                variants.add(variant);
            }
            Map<String, String> without = new LinkedHashMap<>(fields);
            without.remove(field);
            FuzzRequest variant = valid.copy(field + " removed");
            variant.body = FuzzRequest.form(without);
            variants.add(variant);
        }
        for (String raw : List.of("%zz=1", "grant_type=%", "=", "&&&", "a=b=c", "grant_type", "grant_type=refresh_token",
                "grant_type=client_credentials&grant_type=refresh_token", "grant_type=refresh_token&refresh_token=%00",
                "grant_type=client_credentials&client_id=" + "a".repeat(5000) + "&client_secret=x")) {
            FuzzRequest variant = valid.copy("form " + show(raw));
            variant.body = FuzzValues.utf8(raw);
            variants.add(variant);
        }
        return variants;
    }

    /** Headers every operation reads: Accept, a request id, a length that is not one, a body far over the limit. */
    private List<FuzzRequest> headerVariants(FuzzRequest valid) {
        List<FuzzRequest> variants = new ArrayList<>();
        for (String accept : FuzzValues.ACCEPTS) {
            FuzzRequest variant = valid.copy("Accept " + show(accept));
            variant.headers.put("Accept", accept);
            variants.add(variant);
        }
        for (String id : List.of("", "a".repeat(300), "\u00e9", "<x>", "../x")) {
            FuzzRequest variant = valid.copy("X-Request-Id " + show(id));
            variant.headers.put("X-Request-Id", id);
            variants.add(variant);
        }
        for (String length : List.of("abc", "-1", "2000000")) {
            FuzzRequest variant = valid.copy("Content-Length " + length);
            variant.headers.put("Content-Length", length);
            variants.add(variant);
        }
        FuzzRequest injected = valid.copy("header with a bare CR");
        injected.headers.put("X-Note", "a\rb");
        variants.add(injected);
        return variants;
    }

    /** The valid request with one to three parts replaced by random values. */
    private FuzzRequest random(ApiOperation operation, FuzzRequest valid) {
        FuzzRequest variant = valid.copy("random");
        List<String> changed = new ArrayList<>();
        int changes = 1 + values.below(3);
        for (int i = 0; i < changes; i++) {
            String value = values.anyString();
            int choice = values.below(operation.params().isEmpty() ? 2 : 4);
            if (choice >= 2) {
                ApiOperation.Param param = values.pick(operation.params());
                if (param.in().equals("header")) {
                    variant.headers.put(param.name(), headerSafe(value));
                } else {
                    set(variant, param, FuzzRequest.encode(value));
                }
                changed.add(param.name() + "=" + show(value));
            } else if (choice == 1 && variant.body != null && variant.contentType != null && variant.contentType.contains("json")) {
                try {
                    JsonNode body = JSON.readTree(variant.body);
                    List<String> slots = slots(body, "", 0);
                    if (!slots.isEmpty()) {
                        String slot = values.pick(slots);
                        String json = values.below(2) == 0 ? JSON.valueToTree(value).toString() : values.pick(FuzzValues.JSON_VALUES);
                        variant.body = JSON.writeValueAsBytes(replace(body, slot, json));
                        changed.add(slot + "=" + show(json));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            } else if (choice == 1 && variant.body != null) {
                variant.body = values.bytes(256);
                changed.add("a body of " + variant.body.length + " random octets");
            } else {
                String header = values.pick(List.of("Accept", "X-Request-Id", "If-Match", "If-None-Match", "Idempotency-Key",
                        "Origin", "Accept-Language", "X-Forwarded-For"));
                variant.headers.put(header, headerSafe(value));
                changed.add(header + ": " + show(value));
            }
        }
        variant.what = "random " + String.join(", ", changed);
        return variant;
    }

    private static byte[] chunk(byte[] body) {
        byte[] content = body == null ? new byte[0] : body;
        String head = Integer.toHexString(content.length) + "\r\n";
        byte[] chunked = new byte[head.length() + content.length + 7];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, chunked, 0, head.length());
        System.arraycopy(content, 0, chunked, head.length(), content.length);
        System.arraycopy("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, chunked, head.length() + content.length, 7);
        return chunked;
    }

    /** Line breaks would end the header (a variant of its own sends a bare CR); everything else goes as it is. */
    private static String headerSafe(String value) {
        return value.replace("\r", "").replace("\n", "");
    }

    /** A value as a failure report shows it: escaped where not printable, shortened. */
    private static String show(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(40).forEach(c -> shown.append(c < 0x20 || c == 0x7F ? String.format("\\x%02x", c)
                : new String(Character.toChars(c))));
        return "'" + shown + (value.codePointCount(0, value.length()) > 40 ? "...(" + value.length() + ")" : "") + "'";
    }
}
