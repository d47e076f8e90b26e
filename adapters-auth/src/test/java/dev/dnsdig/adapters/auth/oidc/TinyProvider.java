package dev.dnsdig.adapters.auth.oidc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A provider of our own on com.sun.net.httpserver at 127.0.0.1 and an ephemeral port, answering whatever a test
 * sets per path (garbage included), counting and recording the requests. By default: a proper discovery
 * document for {@link #issuer()}, an empty JWKS, and 404 elsewhere.
 */
final class TinyProvider implements AutoCloseable {

    /** One canned answer. */
    record Reply(int status, String contentType, byte[] body) {
        static Reply json(String body) {
            return new Reply(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        static Reply of(int status, String contentType, String body) {
            return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What a request brought. */
    record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Supplier<Reply>> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private final String issuer;

    TinyProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        route("/.well-known/openid-configuration", () -> Reply.json(discovery(issuer)));
        route("/jwks", () -> Reply.json("{\"keys\":[]}"));
    }

    String issuer() {
        return issuer;
    }

    void route(String path, Supplier<Reply> reply) {
        routes.put(path, reply);
    }

    int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    List<Recorded> requests(String path) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    /** A discovery document with our endpoints, for {@code issuer} (which may differ from ours, for a test). */
    String discovery(String issuer) {
        return discovery(issuer, "");
    }

    /** The same, with extra members, e.g. {@code "token_endpoint_auth_methods_supported":["client_secret_post"]}. */
    String discovery(String issuer, String extra) {
        return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + this.issuer + "/authorize\","
                + "\"token_endpoint\":\"" + this.issuer + "/token\",\"jwks_uri\":\"" + this.issuer + "/jwks\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** Publishes these public keys by key id as the JWKS. */
    void publish(Map<String, PublicKey> keys) {
        String set = keys.entrySet().stream()
                .map(e -> Jwks.json((PublicJwk<?>) Jwks.builder().key(e.getValue()).id(e.getKey()).build()))
                .collect(Collectors.joining(",", "{\"keys\":[", "]}"));
        route("/jwks", () -> Reply.json(set));
    }

    /** The token endpoint answers with this id_token. */
    void tokenResponse(String idToken) {
        route("/token", () -> Reply.json("{\"access_token\":\"opaque\",\"token_type\":\"Bearer\",\"expires_in\":300,"
                + "\"id_token\":\"" + idToken + "\"}"));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Recorded(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Supplier<Reply> route = routes.get(path);
            Reply reply = route == null ? Reply.of(404, "text/plain", "not found") : route.get();
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            if (reply.status() >= 300 && reply.status() < 400) {
                exchange.getResponseHeaders().set("Location", issuer + "/elsewhere");
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            exchange.getResponseBody().write(reply.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
