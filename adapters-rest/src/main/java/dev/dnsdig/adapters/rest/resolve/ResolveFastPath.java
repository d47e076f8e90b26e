package dev.dnsdig.adapters.rest.resolve;

import dev.dnsdig.adapters.rest.history.LookupRecording;
import dev.dnsdig.adapters.rest.observe.RequestLog;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.problem.ProblemMappers;
import dev.dnsdig.adapters.rest.ratelimit.RateLimitFields;
import dev.dnsdig.adapters.rest.support.HandlerInFront;
import dev.dnsdig.adapters.rest.support.RequestIdFilter;
import dev.dnsdig.adapters.rest.support.SecurityHeaders;
import dev.dnsdig.application.port.in.Authenticate;
import dev.dnsdig.application.port.in.Authenticate.Principal;
import dev.dnsdig.application.port.in.LimitRequests;
import dev.dnsdig.application.port.in.LimitRequests.Decision;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import dev.dnsdig.application.port.in.RecordLookups;
import dev.dnsdig.application.port.in.ResolveQuery;
import dev.dnsdig.application.port.in.ResolveRecords;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.Resolution;
import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.domain.user.Permission;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.Header;

/**
 * Answers the ordinary signed-in lookup, {@code GET} or {@code HEAD /v1/resolve/{name}/{type}} and
 * {@code /v1/resolve6/{name}/{type}}, without Jersey; hands every other request to {@code api} (Jersey) untouched.
 *
 * <p>Why: a cached lookup spent about 45 % of its CPU in Jersey's request machinery (routing, filter chains, header
 * maps, the entity writer), more than the lookup itself, and is the request a DNS service gets most. Jersey stays the
 * one place that decides every unusual case: a request is only taken here when nothing about it needs deciding
 * (no CORS {@code Origin}, no query, no body, {@code Accept} absent or JSON, a name without percent-escapes), and
 * one that turns out to be refused (invalid name or type, credentials that do not authenticate or lack
 * {@code read:resolver}) goes to Jersey before anything was counted or recorded, which then answers it exactly as
 * before. What this does answer, it answers as the API does ({@link ResolveResource}, the filters of
 * authentication, rate limits, lookup history, request ids, security headers and the access log): the same body,
 * status and header fields, the same history record and log line. Tests run the API's resolve tests through it.
 */
public final class ResolveFastPath extends HandlerInFront {
    private static final String RESOLVE = "/v1/resolve/";
    private static final String RESOLVE6 = "/v1/resolve6/";
    /** The route templates the API's access log and metrics name these requests by. */
    private static final String RESOLVE_ROUTE = "/v1/resolve/{name}/{type}";
    private static final String RESOLVE6_ROUTE = "/v1/resolve6/{name}/{type}";
    private static final String JSON = "application/json";
    private static final System.Logger LOG = System.getLogger(ResolveFastPath.class.getName());

    private final Authenticate authenticate;
    private final ResolveRecords resolveRecords;
    private final RecordLookups recordLookups;
    private final LimitRequests limiter;
    private final Optional<Policy> userLimit;
    private final Optional<RequestLog> log;
    private final LongAdder answered = new LongAdder();

    /**
     * {@code userLimit}: the API's per-user policy, if any; {@code log}: the access log and request metrics, when the
     * API keeps them.
     */
    public ResolveFastPath(HttpHandler api, Authenticate authenticate, ResolveRecords resolveRecords,
                           RecordLookups recordLookups, LimitRequests limiter, Optional<Policy> userLimit,
                           Optional<RequestLog> log) {
        super(api);
        this.authenticate = authenticate;
        this.resolveRecords = resolveRecords;
        this.recordLookups = recordLookups;
        this.limiter = limiter;
        this.userLimit = userLimit;
        this.log = log;
    }

    /** Requests answered here rather than by the API. */
    public long answered() {
        return answered.sum();
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        long started = System.nanoTime();
        Lookup lookup = ordinary(request);
        Principal principal = lookup == null ? null : signedIn(request);
        if (principal == null) {
            api.service(request, response);
            return;
        }
        String requestId = RequestIdFilter.idFor(request.getHeader(RequestIdFilter.HEADER));
        int status = answer(request, response, lookup, principal, requestId);
        answered.increment();
        if (log.isPresent()) {
            log.get().finished(RequestLog.method(request.getMethod().getMethodString()), lookup.route(), status,
                    System.nanoTime() - started, requestId, principal.userId().value());
        }
    }

    /** What to look up, when the request is the ordinary kind; null otherwise (or when its name or type is invalid). */
    private static Lookup ordinary(Request request) {
        Method method = request.getMethod();
        if ((method != Method.GET && method != Method.HEAD) || request.getQueryString() != null
                || request.getHeader("Origin") != null || request.getHeader(Header.ContentType) != null
                || request.getContentLengthLong() > 0 || request.getHeader(Header.TransferEncoding) != null
                || !acceptsJson(request.getHeader(Header.Accept))) {
            return null;
        }
        String path = request.getRequestURI();
        IpFamily family;
        String route;
        int from;
        if (path.startsWith(RESOLVE)) {
            family = IpFamily.IPV4;
            route = RESOLVE_ROUTE;
            from = RESOLVE.length();
        } else if (path.startsWith(RESOLVE6)) {
            family = IpFamily.IPV6;
            route = RESOLVE6_ROUTE;
            from = RESOLVE6.length();
        } else {
            return null;
        }
        int slash = path.indexOf('/', from);
        if (slash <= from || slash == path.length() - 1 || path.indexOf('/', slash + 1) >= 0
                || path.indexOf('%', from) >= 0 || path.indexOf(';', from) >= 0) {
            return null; // another route, an empty segment, an escape to decode or a matrix parameter: the API's
        }
        try {
            return new Lookup(ResolveQuery.of(path.substring(from, slash), path.substring(slash + 1), family), route);
        } catch (InvalidValueException e) {
            return null; // the API's 400 names the broken rule
        }
    }

    /** What these routes produce, JSON, is what the client takes: no Accept, any type, or exactly JSON. */
    private static boolean acceptsJson(String accept) {
        return accept == null || accept.equals("*/*") || accept.equals(JSON);
    }

    /** The caller, when its credentials authenticate and may resolve; null for the API to refuse them. */
    private Principal signedIn(Request request) {
        String authorization = request.getHeader(Header.Authorization);
        if (authorization == null) {
            return null;
        }
        try {
            if (authenticate.authenticate(Optional.of(authorization), Optional.of(Permission.READ_RESOLVER))
                    instanceof Authenticate.Result.Authenticated authenticated
                    && authenticated.principal().may(Permission.READ_RESOLVER)) {
                return authenticated.principal();
            }
        } catch (RuntimeException e) {
            // nothing counted or asked yet: the API authenticates again and answers the failure as it does
        }
        return null;
    }

    private int answer(Request request, Response response, Lookup lookup, Principal principal, String requestId) {
        List<Decision> decisions = List.of();
        if (userLimit.isPresent()) {
            Decision decision = limiter.check(userLimit.get(), principal.userId().value());
            decisions = List.of(decision);
            if (!decision.allowed()) {
                return write(request, response, RateLimitFields.exceeded(decisions), requestId, decisions);
            }
        }
        try {
            return answer(request, response, lookup, principal, requestId, decisions);
        } catch (RuntimeException e) {
            // counted, maybe asked already: answered here as the API answers what it did not expect
            return write(request, response, ProblemMappers.unexpected(e, requestId), requestId, decisions);
        }
    }

    private int answer(Request request, Response response, Lookup lookup, Principal principal, String requestId,
                       List<Decision> decisions) {
        Resolution resolution = resolveRecords.resolve(lookup.query());
        List<Resolution> resolutions = List.of(resolution);
        ResolutionJson.ResolutionBody body = ResolutionJson.of(resolution);
        try {
            ResolveResource.failIfNobodyAnswered(resolutions, lookup.query().family());
        } catch (ProblemException nobody) {
            record(principal, nobody.problem());
            return write(request, response, nobody.problem(), requestId, decisions);
        }
        record(principal, body);
        byte[] json = ResolutionWriter.json(body);
        response.setStatus(200);
        response.setContentType(JSON);
        response.setHeader(Header.CacheControl, ResolveResource.cacheControl(resolutions, ResolveResource.SIGNED_IN));
        return send(request, response, json, requestId, decisions);
    }

    /** Into the caller's history, as {@link LookupRecording} does for the API's answers. */
    private void record(Principal principal, Object entity) {
        try {
            List<LookupResult> results = LookupRecording.results(entity);
            if (!results.isEmpty()) {
                recordLookups.record(principal.userId(), results);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "lookup not recorded: " + e);
        }
    }

    private static int write(Request request, Response response, Problem problem, String requestId,
                             List<Decision> decisions) {
        response.setStatus(problem.getStatus(), Problem.reason(problem.getStatus()));
        response.setContentType(Problem.MEDIA_TYPE);
        problem.headers().forEach(response::setHeader);
        if (!response.containsHeader(Header.CacheControl)) {
            response.setHeader(Header.CacheControl, "no-store"); // as SecurityHeaders does for answers to credentials
        }
        return send(request, response, problem.toJson(request.getRequestURI(), requestId), requestId, decisions);
    }

    /** The header fields every answer of the API carries, then the body (none for HEAD). */
    private static int send(Request request, Response response, byte[] body, String requestId, List<Decision> decisions) {
        response.setHeader(RequestIdFilter.HEADER, requestId);
        SecurityHeaders.ALWAYS.forEach(response::setHeader);
        if (!decisions.isEmpty()) {
            RateLimitFields.headers(decisions).forEach(response::setHeader);
        }
        response.setContentLength(body.length);
        if (request.getMethod() != Method.HEAD) {
            try {
                response.getOutputStream().write(body);
            } catch (IOException clientGone) {
                // it closed the connection meanwhile: nobody is left to tell; the access log has the answer
            }
        }
        return response.getStatus();
    }

    /** What an ordinary request asks, and the route template it is logged under. */
    private record Lookup(ResolveQuery query, String route) {
    }

}
