package dev.dnsdig.adapters.rest.support;

import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Enforces {@link BodyLimit}, or {@link #DEFAULT_LIMIT} on every method without one: a declared {@code Content-Length}
 * over the limit is refused before anything is read, and a body without one (chunked) is counted as it is read, so
 * neither way gets more than the limit in.
 */
public final class BodyLimitFeature implements DynamicFeature {
    /** Bytes any request body may have where no stricter {@link BodyLimit} applies. */
    public static final int DEFAULT_LIMIT = 1 << 20;

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        BodyLimit limit = resource.getResourceMethod().getAnnotation(BodyLimit.class);
        if (limit == null) {
            limit = resource.getResourceClass().getAnnotation(BodyLimit.class);
        }
        // every method, with a body parameter or not: a GET with a body is read and dropped, and is counted too
        context.register(new Filter(limit != null ? limit.value() : DEFAULT_LIMIT));
    }

    static ProblemException tooLarge(long limit) {
        return new ProblemException(Problem.of("body-too-large", "Request body too large", 413,
                "The request body must not exceed " + limit + " bytes.").with("maxBytes", limit));
    }

    // after authentication: a stranger learns nothing from a 413 but the limit
    @Priority(Priorities.AUTHORIZATION + 1)
    static final class Filter implements ContainerRequestFilter {
        private final int limit;

        Filter(int limit) {
            this.limit = limit;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
            if (declared != null) {
                try {
                    if (Long.parseLong(declared.strip()) > limit) {
                        throw tooLarge(limit);
                    }
                } catch (NumberFormatException e) {
                    // Grizzly has already refused a malformed length; count what arrives
                }
            }
            request.setEntityStream(new Capped(request.getEntityStream(), limit));
        }
    }

    /** Reads through until more than {@code limit} bytes have come, then fails the request with a 413. */
    static final class Capped extends FilterInputStream {
        private final int limit;
        private long count;

        Capped(InputStream in, int limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) {
            count += n;
            if (count > limit) {
                throw tooLarge(limit);
            }
        }
    }
}
