package dev.dnsdig.adapters.rest.support;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Map;

/**
 * Headers every response carries so that a browser never sniffs, frames or leaks it, and never stores one that
 * answered a request with credentials. No {@code Strict-Transport-Security}: we serve plain HTTP, where browsers
 * ignore it; the TLS-terminating proxy in front is the one to send it.
 */
@Priority(Priorities.HEADER_DECORATOR)
public final class SecurityHeaders implements ContainerResponseFilter {
    /** On every response, also those the server writes without the API (see the bootstrap's error pages). */
    public static final Map<String, String> ALWAYS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY",
            // the modern form of X-Frame-Options; nothing more, as the API's answers are data, not pages (the /docs
            // pages set a full policy of their own)
            "Content-Security-Policy", "frame-ancestors 'none'");

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        // a resource may have set a stricter policy of its own (the /docs pages): that one stays
        ALWAYS.forEach((name, value) -> {
            if (!headers.containsKey(name)) {
                headers.putSingle(name, value);
            }
        });
        // a shared cache must never keep one user's answer, nor a browser one a later user of the machine could see;
        // resources that chose their own caching (the public JWKS, say) keep it
        if (request.getHeaderString(HttpHeaders.AUTHORIZATION) != null && !headers.containsKey(HttpHeaders.CACHE_CONTROL)) {
            headers.putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
