package dev.dnsdig.adapters.rest.support;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is sane, a fresh random one otherwise;
 * echoed on the response and put in problem documents and logs. Runs before matching so 404s get one too.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class RequestIdFilter implements ContainerRequestFilter, ContainerResponseFilter {
    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public void filter(ContainerRequestContext request) {
        String id = idFor(request.getHeaderString(HEADER));
        // stored as the request header so that exception mappers can read it back through HttpHeaders
        request.getHeaders().putSingle(HEADER, id);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String id = request.getHeaderString(HEADER);
        response.getHeaders().putSingle(HEADER, id == null ? newId() : id);
    }

    /** The caller's id when it is sane, else a fresh one: also for answers the server gives without the API. */
    public static String idFor(String given) {
        return given != null && SANE.matcher(given).matches() ? given : newId();
    }

    static String newId() {
        // unique, not secret: no need for SecureRandom's lock on every request
        byte[] bytes = new byte[12];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
