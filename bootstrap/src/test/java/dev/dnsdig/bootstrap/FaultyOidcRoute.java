package dev.dnsdig.bootstrap;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;

/**
 * A route put in front of mock-oauth2-server's own: while a fault is set for an endpoint (discovery, token, JWKS) it
 * answers that endpoint with the fault (garbage, HTML, an error status, a late answer, bad keys) instead of the mock;
 * without one the mock answers as a real provider does. For the faults a real provider will not produce on demand.
 */
final class FaultyOidcRoute implements Route {
    static final String DISCOVERY = "/.well-known/openid-configuration";
    static final String TOKEN = "/token";
    static final String JWKS = "/jwks";

    /** What the endpoint answers instead, after {@code delay}. */
    record Fault(int status, String contentType, String body, Duration delay) {
        static Fault notJson() {
            return new Fault(200, "application/json", "{\"issuer\": \"http://127.0.0.1", Duration.ZERO);
        }

        static Fault html(int status) {
            return new Fault(status, "text/html", "<html><body><h1>" + status + "</h1>Sorry!</body></html>", Duration.ZERO);
        }

        static Fault json(String body) {
            return new Fault(200, "application/json", body, Duration.ZERO);
        }

        /** An answer that comes {@code delay} late (a proper one would not be read either). */
        static Fault late(Duration delay) {
            return new Fault(200, "application/json", "{}", delay);
        }
    }

    private final Map<String, Fault> faults = new ConcurrentHashMap<>();

    void fail(String endpoint, Fault fault) {
        faults.put(endpoint, fault);
    }

    void heal(String endpoint) {
        faults.remove(endpoint);
    }

    private Fault fault(OAuth2HttpRequest request) {
        String path = request.getUrl().encodedPath();
        return faults.entrySet().stream().filter(e -> path.endsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    @Override
    public boolean match(OAuth2HttpRequest request) {
        return fault(request) != null;
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
        Fault fault = fault(request);
        try {
            Thread.sleep(fault.delay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new OAuth2HttpResponse(Headers.of("Content-Type", fault.contentType()), fault.status(), null,
                fault.body().getBytes(StandardCharsets.UTF_8));
    }
}
