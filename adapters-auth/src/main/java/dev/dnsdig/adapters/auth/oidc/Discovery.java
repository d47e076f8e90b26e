package dev.dnsdig.adapters.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The provider's discovery document ({@code {issuer}/.well-known/openid-configuration}), fetched on first use and
 * kept; a failed fetch is not remembered, so the next use tries again. Only one fetch runs at a time, and the calls
 * that waited for a fetch that failed fail with it (each waiting for a fetch of its own would queue them up for a
 * timeout each). The document
 * must name exactly our issuer (OIDC Discovery 4.3) and give https (or loopback http) endpoints.
 */
final class Discovery {

    /** What we use of the document. */
    record Metadata(URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri, boolean clientSecretPost) {
    }

    private final OidcHttp http;
    private final String issuer;
    private final URI location;
    private final ReentrantLock lock = new ReentrantLock(); // not synchronized: virtual threads must not pin on I/O
    private final LongAdder fetches = new LongAdder();
    private volatile Metadata metadata;
    // guarded by lock: when the last failed fetch ended, and why
    private long failedAtNanos;
    private String failure;

    Discovery(OidcHttp http, String issuer, URI location) {
        this.http = http;
        this.issuer = issuer;
        this.location = location;
    }

    Metadata get() throws ProviderUnavailable {
        Metadata known = metadata;
        if (known != null) {
            return known;
        }
        long arrived = System.nanoTime();
        lock.lock();
        try {
            if (metadata != null) {
                return metadata;
            }
            if (failure != null && failedAtNanos - arrived > 0) {
                // the fetch this call waited for failed just now: its answer is ours too, rather than another
                // timeout each for a queue of waiters while the provider is down
                throw new ProviderUnavailable(failure);
            }
            fetches.increment();
            try {
                metadata = fetch();
                failure = null;
                return metadata;
            } catch (ProviderUnavailable e) {
                failure = e.reason();
                failedAtNanos = System.nanoTime();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many fetches were attempted: for tests. */
    long fetches() {
        return fetches.sum();
    }

    private Metadata fetch() throws ProviderUnavailable {
        OidcHttp.Response response = http.get(location);
        if (!response.ok()) {
            throw new ProviderUnavailable("the identity provider's discovery answered HTTP " + response.status());
        }
        JsonNode document = response.json()
                .orElseThrow(() -> new ProviderUnavailable("the identity provider's discovery document is not JSON"));
        if (!OidcHttp.text(document, "issuer").filter(issuer::equals).isPresent()) {
            throw new ProviderUnavailable("the identity provider's discovery document names another issuer");
        }
        URI authorization = endpoint(document, "authorization_endpoint");
        URI token = endpoint(document, "token_endpoint");
        URI jwks = endpoint(document, "jwks_uri");
        // client_secret_basic is the default (OIDC Discovery 3); post only when the provider offers post and not basic
        Set<String> methods = new HashSet<>();
        JsonNode supported = document.get("token_endpoint_auth_methods_supported");
        if (supported != null && supported.isArray()) {
            supported.forEach(m -> {
                if (m.isTextual()) {
                    methods.add(m.textValue());
                }
            });
        }
        boolean post = methods.contains("client_secret_post") && !methods.contains("client_secret_basic");
        return new Metadata(authorization, token, jwks, post);
    }

    private static URI endpoint(JsonNode document, String member) throws ProviderUnavailable {
        Optional<String> value = OidcHttp.text(document, member);
        if (value.isEmpty()) {
            throw new ProviderUnavailable("the identity provider's discovery document has no " + member);
        }
        try {
            URI uri = new URI(value.get());
            if (OidcSettings.secureOrLoopback(uri) && uri.getFragment() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new ProviderUnavailable("the identity provider's " + member + " is not a usable https URL");
    }
}
