package dev.dnsdig.adapters.rest.ratelimit;

import dev.dnsdig.adapters.rest.auth.AuthenticationFeature;
import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.application.port.in.LimitRequests;
import dev.dnsdig.application.port.in.LimitRequests.Decision;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.Email;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.glassfish.grizzly.http.server.Request;

/**
 * Applies {@link RateLimits}: {@code @Secured} methods per user (after authentication, which names the user),
 * {@link RateLimited} ones per client address, sign-up and login also per account. Every response of a limited
 * method carries {@code RateLimit-Policy} and {@code RateLimit}; a request over a limit is a 429 problem with
 * {@code Retry-After}. Methods with neither mark (health, discovery, keys) are never limited.
 *
 * <p>The fields follow draft-ietf-httpapi-ratelimit-headers-11 (May 2026), sections 3 and 4: Structured Field
 * lists of a quoted policy name with parameters, {@code RateLimit-Policy: "user";q=600;w=60} (quota, window in
 * seconds) and {@code RateLimit: "user";r=599;t=42} (remaining quota, seconds until the window resets); its section
 * 5.1 names the exceeded policies in a problem's {@code violated-policies}.
 */
public final class RateLimitFeature implements DynamicFeature {
    static final String DECISIONS = "dnsdig.rateLimitDecisions";
    /** The login policy's numbers, counted per account e-mail rather than per address. */
    static final String LOGIN_ACCOUNT = "login-account";
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";
    /** The anonymous policy's numbers, counted per address for requests to secured routes that end in a 401. */
    static final String REFUSED_CREDENTIALS = "refused-credentials";
    private static final java.lang.annotation.Annotation[] NO_ANNOTATIONS = {};

    @Inject
    RateLimits limits;
    /** Asked per request: at start the use case may still be being made. */
    @Inject
    Provider<LimitRequests> limiter;
    /** The request as Grizzly received it: only it knows the peer's address. Jersey binds it when on Grizzly. */
    @Inject
    Provider<Request> connection;

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        List<Check> checks = new ArrayList<>();
        RateLimited limited = resource.getResourceMethod().getAnnotation(RateLimited.class);
        if (resource.getResourceMethod().isAnnotationPresent(Secured.class)
                || resource.getResourceClass().isAnnotationPresent(Secured.class)) {
            limits.user().ifPresent(policy -> {
                checks.add(new Check(policy, request -> AuthenticationFeature.principal(request).userId().value()));
                context.register(new BatchLimit(policy));
            });
            // refused credentials name no user: they count against the address, as anonymous calls do
            limits.anonymous().ifPresent(policy -> context.register(
                    new RefusedCredentials(new Policy(REFUSED_CREDENTIALS, policy.limit(), policy.window()))));
        } else if (limited != null) {
            limits.anonymous().ifPresent(policy -> checks.add(new Check(policy, this::clientOf)));
            if (limited.value() == RateLimited.Kind.LOGIN) {
                limits.login().ifPresent(policy -> {
                    checks.add(new Check(policy, this::clientOf));
                    context.register(new AccountLimit(new Policy(LOGIN_ACCOUNT, policy.limit(), policy.window())));
                });
            }
        }
        if (!checks.isEmpty()) {
            context.register(new Filter(checks));
        }
    }

    /** The client's address as a counter key (see {@link TrustedProxies#counterKey}). */
    private String clientOf(ContainerRequestContext request) {
        return limits.trustedProxies().counterKey(connection.get().getRemoteAddr(),
                request.getHeaders().getOrDefault(X_FORWARDED_FOR, List.of()));
    }

    /**
     * The decisions made for one request so far, kept as a request property for the response headers, and whom each
     * policy counted the request against (by policy name).
     */
    private record Counted(List<Decision> decisions, Map<String, String> callers) {
    }

    /** Counts a request and keeps the decision for the response headers; over the limit, answers 429 at once. */
    private void count(List<Decision> decisions, Policy policy, String caller) {
        count(decisions, policy, caller, 1);
    }

    /** Counts {@code requests} at once; a later count under a policy already counted replaces its decision. */
    private void count(List<Decision> decisions, Policy policy, String caller, int requests) {
        Decision decision = limiter.get().check(policy, caller, requests);
        decisions.removeIf(earlier -> earlier.policy().name().equals(policy.name()));
        decisions.add(decision);
        if (!decision.allowed()) {
            throw new ProblemException(RateLimitFields.exceeded(decisions));
        }
    }

    /** One policy and how to name the caller of a request under it. */
    private record Check(Policy policy, Function<ContainerRequestContext, String> caller) {
    }

    /** Counts a request against each check of its method, and puts the fields on the response. */
    // after authentication, which names the user; before the body limit and the resource do any work
    @Priority(Priorities.AUTHORIZATION)
    private final class Filter implements ContainerRequestFilter, ContainerResponseFilter {
        private final List<Check> checks;

        Filter(List<Check> checks) {
            this.checks = checks;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            Counted counted = new Counted(new ArrayList<>(checks.size() + 1), new java.util.HashMap<>());
            request.setProperty(DECISIONS, counted);
            for (Check check : checks) {
                String caller = check.caller().apply(request);
                counted.callers().put(check.policy().name(), caller);
                count(counted.decisions(), check.policy(), caller);
            }
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getProperty(DECISIONS) instanceof Counted counted && !counted.decisions().isEmpty()) {
                RateLimitFields.headers(counted.decisions()).forEach(response.getHeaders()::putSingle);
            }
        }
    }

    /**
     * Counts a body that stands for several requests ({@link RateLimited.Batch}) as that many: the filter counted
     * the request as one before the body was read, this adds the rest once it is. Over the limit, the whole batch is
     * refused (429) before any of it is asked.
     */
    private final class BatchLimit implements ReaderInterceptor {
        private final Policy policy;

        BatchLimit(Policy policy) {
            this.policy = policy;
        }

        @Override
        public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
            Object body = context.proceed();
            if (body instanceof RateLimited.Batch counted && counted.requests() > 1
                    && context.getProperty(DECISIONS) instanceof Counted decisions
                    && decisions.callers().get(policy.name()) instanceof String caller) {
                count(decisions.decisions(), policy, caller, counted.requests() - 1);
            }
            return body;
        }
    }

    /** Counts sign-up and login per account, once the body says which; the address limits ran before. */
    private final class AccountLimit implements ReaderInterceptor {
        private final Policy policy;

        AccountLimit(Policy policy) {
            this.policy = policy;
        }

        @Override
        public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
            Object body = context.proceed();
            if (body instanceof RateLimited.ForAccount account && account.email() != null
                    && context.getProperty(DECISIONS) instanceof Counted counted) {
                try {
                    count(counted.decisions(), policy, new Email(account.email()).normalized());
                } catch (InvalidValueException e) {
                    // no account has this "address": validation refuses it, or it fails like an unknown one
                }
            }
            return body;
        }
    }

    /**
     * Counts every 401 of a secured route against the caller's address; past the limit the answer is a 429 instead,
     * until the window ends, so guessing tokens or keys gets no answer worth having. Valid credentials are never
     * counted here, so a user behind the same address as a guesser is not refused.
     */
    @Priority(Priorities.AUTHORIZATION)
    private final class RefusedCredentials implements ContainerResponseFilter {
        private final Policy policy;

        RefusedCredentials(Policy policy) {
            this.policy = policy;
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (response.getStatus() != 401) {
                return;
            }
            List<Decision> decisions = new ArrayList<>(1);
            try {
                count(decisions, policy, clientOf(request));
                RateLimitFields.headers(decisions).forEach(response.getHeaders()::putSingle);
            } catch (ProblemException refused) {
                Response tooMany = refused.problem().toResponse();
                response.setStatus(tooMany.getStatus());
                response.setEntity(tooMany.getEntity(), NO_ANNOTATIONS, tooMany.getMediaType());
                response.getHeaders().remove(HttpHeaders.WWW_AUTHENTICATE);
                tooMany.getStringHeaders().forEach((name, values) -> response.getHeaders().putSingle(name, values.get(0)));
            }
        }
    }
}
