package dev.dnsdig.adapters.rest.support;

import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/**
 * Cross-origin access for the exact origins given: preflights answered here with 204, the allowed origin echoed (never
 * {@code *}) on every answer to it. Tokens travel in {@code Authorization}, not cookies, so no credentials are allowed.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 200)
public final class Cors implements ContainerRequestFilter, ContainerResponseFilter {
    static final String ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Request-Id";
    static final String EXPOSE_HEADERS = "ETag, Location, Retry-After, RateLimit, RateLimit-Policy, X-Request-Id, Link, "
            + "Idempotent-Replayed, WWW-Authenticate";
    /** Seconds a browser may reuse a preflight; Chromium caps it at two hours anyway. */
    static final String MAX_AGE = "7200";

    private final Set<String> origins;

    /** {@code origins}: exact {@code scheme://host[:port]} values, as browsers send them in {@code Origin}. */
    public Cors(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (request.getMethod().equals(HttpMethod.OPTIONS) && allowed(origin)
                && request.getHeaderString("Access-Control-Request-Method") != null) {
            // answered before matching, authentication and rate limits: a browser sends no credentials in a preflight
            request.abortWith(Response.noContent()
                    .header("Access-Control-Allow-Methods", ALLOW_METHODS)
                    .header("Access-Control-Allow-Headers", ALLOW_HEADERS)
                    .header("Access-Control-Max-Age", MAX_AGE).build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        // whether the origin is allowed changes the answer: caches must key it by Origin, allowed or not
        headers.add("Vary", "Origin");
        String origin = request.getHeaderString("Origin");
        if (allowed(origin)) {
            headers.putSingle("Access-Control-Allow-Origin", origin);
            headers.putSingle("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        }
    }

    private boolean allowed(String origin) {
        return origin != null && origins.contains(origin); // an immutable set throws on contains(null)
    }
}
