package dev.dnsdig.adapters.rest.support;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * A {@code Content-Type} or {@code Accept} that cannot be parsed is a 400 problem naming the header. Jersey reads both
 * while it picks the resource method and, when it cannot, answers a bare 400 that no exception mapper sees; read here
 * first, before matching (after the request id), the failure is ours to describe.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
public final class HeaderSyntax implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        try {
            request.getMediaType();
        } catch (RuntimeException e) {
            throw Pages.invalidHeader(HttpHeaders.CONTENT_TYPE, "Content-Type must be one media type, such as application/json.");
        }
        try {
            request.getAcceptableMediaTypes();
        } catch (RuntimeException e) {
            throw Pages.invalidHeader(HttpHeaders.ACCEPT, "Accept must be a list of media ranges, such as application/json.");
        }
    }
}
