package dev.dnsdig.adapters.rest.observe;

import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.glassfish.grizzly.http.server.Request;

/** {@code GET /metrics}: every meter in the Prometheus text exposition format, to the clients {@link MetricsAccess} allows. */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/metrics")
public final class MetricsResource {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    PrometheusMeterRegistry registry;
    @Inject
    MetricsAccess access;
    /** The request as Grizzly received it: only it knows the peer's address. */
    @Inject
    Provider<Request> connection;
    @Inject
    HttpHeaders headers;

    @GET
    @Produces(CONTENT_TYPE)
    public Response scrape() {
        if (access == MetricsAccess.LOOPBACK && !fromLoopback()) {
            throw new ProblemException(Problem.of("forbidden", "Forbidden", 403,
                    "Metrics are served to loopback clients only (DNSDIG_METRICS=loopback)."));
        }
        return Response.ok(registry.scrape(), CONTENT_TYPE).build();
    }

    /**
     * A loopback peer that is not a proxy: a reverse proxy on this host would make every outside client look local,
     * and it says so with {@code X-Forwarded-For} or {@code Forwarded}.
     */
    private boolean fromLoopback() {
        if (headers.getHeaderString("X-Forwarded-For") != null || headers.getHeaderString("Forwarded") != null) {
            return false;
        }
        String peer = connection.get().getRemoteAddr();
        try {
            // an IP literal is parsed, never looked up
            return peer != null && peer.matches("[0-9a-fA-F:.%]+") && InetAddress.getByName(peer).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
