package dev.dnsdig.adapters.rest.auth;

import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.application.port.in.Authenticate;
import dev.dnsdig.application.port.in.Authenticate.Principal;
import dev.dnsdig.application.port.in.Authenticate.Result;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.adapters.rest.support.Once;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Puts every {@link Secured} resource method behind the {@link Authenticate} use case: 401 with
 * {@code WWW-Authenticate} when there is no valid token, 403 naming what is missing, 503 with {@code Retry-After}
 * when the token's identity provider cannot check it now.
 */
public final class AuthenticationFeature implements DynamicFeature {
    public static final String PRINCIPAL = "dnsdig.principal";

    /** Asked per request: at start the use case may still be being made. */
    @Inject
    jakarta.inject.Provider<Authenticate> authenticate;

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Secured secured = resource.getResourceMethod().getAnnotation(Secured.class);
        if (secured == null) {
            secured = resource.getResourceClass().getAnnotation(Secured.class);
        }
        if (secured != null) {
            context.register(new Filter(new Once<>(authenticate), Arrays.asList(secured.value())));
        }
    }

    /** The principal the filter authenticated for this request. */
    public static Principal principal(ContainerRequestContext request) {
        Object principal = request.getProperty(PRINCIPAL);
        if (principal instanceof Principal p) {
            return p;
        }
        throw new IllegalStateException("resource method is not @Secured");
    }

    @Priority(Priorities.AUTHENTICATION)
    static final class Filter implements ContainerRequestFilter {
        private final jakarta.inject.Provider<Authenticate> authenticate;
        private final List<Permission> required;

        Filter(jakarta.inject.Provider<Authenticate> authenticate, List<Permission> required) {
            this.authenticate = authenticate;
            this.required = required;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            Optional<String> header = Optional.ofNullable(request.getHeaderString(HttpHeaders.AUTHORIZATION));
            Result result = authenticate.get().authenticate(header, required.isEmpty() ? Optional.empty() : Optional.of(required.get(0)));
            Principal principal = switch (result) {
                case Result.Authenticated authenticated -> authenticated.principal();
                case Result.Unauthenticated unauthenticated -> throw unauthorized(unauthenticated);
                case Result.Forbidden forbidden -> throw forbidden(forbidden.description(), forbidden.missing());
                case Result.Unavailable unavailable -> throw unavailable(unavailable);
            };
            for (Permission permission : required) {
                if (!principal.may(permission)) {
                    throw forbidden("missing permission " + permission.scope(), Optional.of(permission));
                }
            }
            request.setProperty(PRINCIPAL, principal);
        }

        private static ProblemException unauthorized(Result.Unauthenticated result) {
            // RFC 6750 3: no error code when the request carried no credentials at all
            String challenge = "Bearer realm=\"dnsdig\"" + result.error()
                    .map(error -> ", error=\"" + error + "\", error_description=\"" + result.description().replace("\"", "'") + "\"")
                    .orElse("");
            return new ProblemException(Problem.of("unauthenticated", "Authentication required", 401, result.description())
                    .header(HttpHeaders.WWW_AUTHENTICATE, challenge));
        }

        /**
         * 503, not 401: the credentials may be fine, only their provider's keys cannot be had now; a 401 would make a
         * client throw away a good token or sign its user out. Retry-After in whole seconds, rounded up, at least 1.
         */
        private static ProblemException unavailable(Result.Unavailable result) {
            long seconds = Math.max(1, (result.retryAfter().toMillis() + 999) / 1000);
            return new ProblemException(Problem.of("provider-unavailable", "The identity provider is unavailable", 503,
                    result.description()).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        }

        private static ProblemException forbidden(String description, Optional<Permission> missing) {
            Problem problem = Problem.of("forbidden", "Forbidden", 403, description);
            missing.ifPresent(permission -> problem.with("missingPermission", permission.scope()));
            return new ProblemException(problem);
        }
    }
}
