package dev.dnsdig.adapters.rest.resolve;

import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.FieldError;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.ValidationProblem;
import dev.dnsdig.adapters.rest.support.BodyLimit;
import dev.dnsdig.application.port.in.CheckPropagation;
import dev.dnsdig.application.port.in.ResolveBatch;
import dev.dnsdig.application.port.in.ResolveBatch.BatchQuery;
import dev.dnsdig.application.port.in.ResolveBatch.BatchResult;
import dev.dnsdig.application.port.in.ResolveBatch.Question;
import dev.dnsdig.application.port.in.ResolveQuery;
import dev.dnsdig.application.port.in.ResolveReverse;
import dev.dnsdig.application.port.in.ResolveReverse.ReverseResolution;
import dev.dnsdig.domain.dns.Expectation;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.Propagation;
import dev.dnsdig.domain.dns.ReverseName;
import dev.dnsdig.domain.user.Permission;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The lookups built on a resolution (permission {@code read:resolver}, limited per user like {@code /v1/resolve}):
 * {@code /v1/reverse/{ip}} (PTR of an address), {@code /v1/propagation/{name}/{type}} (do the providers give the
 * expected answer yet) and {@code POST /v1/resolve/bulk} (up to {@value ResolveBatch#MAX_QUESTIONS} questions at once).
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class LookupResource {
    /** 100 questions of the longest names fit in about 30 KiB; twice that is plenty. */
    static final int MAX_BULK_BODY = 64 * 1024;

    private final ResolveReverse resolveReverse;
    private final CheckPropagation checkPropagation;
    private final ResolveBatch resolveBatch;

    @Inject
    public LookupResource(ResolveReverse resolveReverse, CheckPropagation checkPropagation, ResolveBatch resolveBatch) {
        this.resolveReverse = resolveReverse;
        this.checkPropagation = checkPropagation;
        this.resolveBatch = resolveBatch;
    }

    @GET
    @Path("reverse/{ip}")
    @Secured(Permission.READ_RESOLVER)
    public Response reverse(@PathParam("ip") String ip) {
        ReverseResolution reverse = resolveReverse.resolveReverse(ReverseName.of(ip), IpFamily.IPV4);
        return ResolveResource.answered(LookupJson.reverse(reverse), List.of(reverse.resolution()), IpFamily.IPV4, ResolveResource.SIGNED_IN);
    }

    @GET
    @Path("propagation/{name}/{type}")
    @Secured(Permission.READ_RESOLVER)
    public Response propagation(@PathParam("name") String name, @PathParam("type") String type,
                                @QueryParam("expect") List<String> expect) {
        ResolveQuery query = ResolveQuery.of(name, type, IpFamily.IPV4);
        Optional<Expectation> expectation = expect == null || expect.isEmpty() ? Optional.empty()
                : Optional.of(Expectation.parse(query.type(), expect));
        Propagation propagation = checkPropagation.checkPropagation(query, expectation);
        return ResolveResource.answered(LookupJson.propagation(propagation), List.of(propagation.resolution()),
                IpFamily.IPV4, ResolveResource.SIGNED_IN);
    }

    /**
     * 200 whenever the body is a valid batch, whatever became of each question; a batch is the caller's own, asked
     * now, so no cache keeps it.
     */
    @POST
    @Path("resolve/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @Secured(Permission.READ_RESOLVER)
    @BodyLimit(MAX_BULK_BODY)
    public Response bulk(LookupJson.BulkRequest body) {
        if (body == null || body.queries() == null) {
            throw new ProblemException(ValidationProblem.of(List.of(new FieldError("queries", "is required: an array "
                    + "of 1 to " + ResolveBatch.MAX_QUESTIONS + " {\"name\", \"type\"} objects"))));
        }
        int count = body.queries().size();
        if (count == 0 || count > ResolveBatch.MAX_QUESTIONS) {
            throw new ProblemException(ValidationProblem.of(List.of(new FieldError("queries", "must hold 1 to "
                    + ResolveBatch.MAX_QUESTIONS + " questions, not " + count)))
                    .with("maxQueries", ResolveBatch.MAX_QUESTIONS));
        }
        int ipVersion = body.ipVersion() == null ? 4 : body.ipVersion();
        if (ipVersion != 4 && ipVersion != 6) {
            throw new ProblemException(ValidationProblem.of(List.of(new FieldError("ipVersion", "must be 4 or 6"))));
        }
        List<Question> questions = body.queries().stream()
                .map(q -> q == null ? new Question("", "") : new Question(q.name(), q.type())).toList();
        long start = System.nanoTime();
        List<BatchResult> results = resolveBatch.resolveBatch(new BatchQuery(questions,
                ipVersion == 6 ? IpFamily.IPV6 : IpFamily.IPV4));
        return Response.ok(LookupJson.bulk(results, ipVersion, Duration.ofNanos(System.nanoTime() - start)))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
