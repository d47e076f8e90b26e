package dev.dnsdig.adapters.rest.resolve;

import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.adapters.rest.history.Recorded;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.application.port.in.ResolveOverview;
import dev.dnsdig.application.port.in.ResolveQuery;
import dev.dnsdig.application.port.in.ResolveRecords;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.Resolution;
import dev.dnsdig.domain.user.Permission;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code /v1/resolve} and {@code /v1/resolve6} (permission {@code read:resolver}): ask every provider, over IPv4
 * or over IPv6; {@code /v1/freesolve} does the IPv4 lookup for anonymous callers. Answers say how long HTTP caches
 * may keep them: see {@link #cacheControl}.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ResolveResource {
    private static final String NO_STORE = "no-store";

    /**
     * Whether a request reaching a {@code @Secured} method carried credentials: always, as authentication took its
     * {@code Authorization} header (said so rather than looked up: Jersey's per-request header proxy was ~4 % of a
     * cached lookup's CPU).
     */
    static final boolean SIGNED_IN = true;

    private final ResolveRecords resolveRecords;
    private final ResolveOverview resolveOverview;

    @Inject
    public ResolveResource(ResolveRecords resolveRecords, ResolveOverview resolveOverview) {
        this.resolveRecords = resolveRecords;
        this.resolveOverview = resolveOverview;
    }

    @GET
    @Path("resolve/{name}/{type}")
    @Secured(Permission.READ_RESOLVER)
    @Recorded
    public Response resolve(@PathParam("name") String name, @PathParam("type") String type) {
        return single(name, type, IpFamily.IPV4, SIGNED_IN);
    }

    @GET
    @Path("resolve6/{name}/{type}")
    @Secured(Permission.READ_RESOLVER)
    @Recorded
    public Response resolve6(@PathParam("name") String name, @PathParam("type") String type) {
        return single(name, type, IpFamily.IPV6, SIGNED_IN);
    }

    @GET
    @Path("resolve/{name}")
    @Secured(Permission.READ_RESOLVER)
    @Recorded
    public Response overview(@PathParam("name") String name) {
        return overview(name, IpFamily.IPV4, SIGNED_IN);
    }

    @GET
    @Path("resolve6/{name}")
    @Secured(Permission.READ_RESOLVER)
    @Recorded
    public Response overview6(@PathParam("name") String name) {
        return overview(name, IpFamily.IPV6, SIGNED_IN);
    }

    /** The anonymous lookup, for callers without an account (rate-limited by client address in production). */
    @GET
    @RateLimited
    @Path("freesolve/{name}/{type}")
    public Response freesolve(@PathParam("name") String name, @PathParam("type") String type,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return single(name, type, IpFamily.IPV4, authorization != null);
    }

    private Response single(String name, String type, IpFamily family, boolean withCredentials) {
        Resolution resolution = resolveRecords.resolve(ResolveQuery.of(name, type, family));
        return answered(ResolutionJson.of(resolution), List.of(resolution), family, withCredentials);
    }

    private Response overview(String name, IpFamily family, boolean withCredentials) {
        List<Resolution> resolutions = resolveOverview.overview(DomainName.of(name), family);
        return answered(ResolutionJson.overview(resolutions), resolutions, family, withCredentials);
    }

    /** 200 with {@code body}, which shows {@code resolutions}, and their {@link #cacheControl}; or the problem saying nobody answered. */
    static Response answered(Object body, List<Resolution> resolutions, IpFamily family, boolean withCredentials) {
        failIfNobodyAnswered(resolutions, family);
        return Response.ok(body).header(HttpHeaders.CACHE_CONTROL, cacheControl(resolutions, withCredentials)).build();
    }

    /**
     * {@code max-age} is the smallest remaining TTL in the response, over every provider and type (for a negative
     * answer its RFC 2308 negative TTL): an HTTP cache keeps it no longer than a DNS cache would. {@code private} when
     * the request carried credentials, so that a shared cache never keeps one user's answer (a browser may);
     * anonymous answers may be shared. {@code no-store} when any part must not be kept at all: a provider failed or
     * gave SERVFAIL, a negative answer without SOA, a TTL of 0 (a failure is of the moment; asking again is cheap,
     * as the parts that hold come from the server's own cache).
     */
    static String cacheControl(List<Resolution> resolutions, boolean withCredentials) {
        long smallest = Long.MAX_VALUE;
        for (Resolution resolution : resolutions) {
            OptionalLong fresh = resolution.freshFor();
            if (fresh.isEmpty()) {
                return NO_STORE;
            }
            smallest = Math.min(smallest, fresh.getAsLong());
        }
        if (smallest == 0 || smallest == Long.MAX_VALUE) {
            return NO_STORE;
        }
        return (withCredentials ? "private, " : "") + "max-age=" + smallest;
    }

    /** 200 as soon as any provider answered anything; otherwise 504 (all timed out), 502 or 503 with the details. */
    static void failIfNobodyAnswered(List<Resolution> resolutions, IpFamily family) {
        for (Resolution resolution : resolutions) { // a loop: asked for every answer
            if (resolution.outcome() == Resolution.Outcome.ANSWERED) {
                return;
            }
        }
        Object details = resolutions.size() == 1 ? ResolutionJson.of(resolutions.get(0)) : ResolutionJson.overview(resolutions);
        Problem problem;
        if (resolutions.stream().allMatch(r -> r.outcome() == Resolution.Outcome.NO_PROVIDERS)) {
            problem = Problem.of("no-providers", "No provider for this address family", 503,
                    "No configured provider has IPv" + ResolutionJson.ipVersion(family) + " servers.");
        } else if (resolutions.stream().allMatch(r -> r.outcome() == Resolution.Outcome.ALL_TIMED_OUT)) {
            problem = Problem.of("upstream-timeout", "No provider answered in time", 504,
                    "Every provider timed out; see resolution.providers for each one.").with("resolution", details);
        } else {
            problem = Problem.of("upstream-failed", "No provider answered", 502,
                    "Every provider failed; see resolution.providers for each one.").with("resolution", details);
        }
        // a failure is of the moment: no cache is to keep it (5xx are not cacheable by default; this says it outright)
        throw new ProblemException(problem.header(HttpHeaders.CACHE_CONTROL, NO_STORE));
    }
}
