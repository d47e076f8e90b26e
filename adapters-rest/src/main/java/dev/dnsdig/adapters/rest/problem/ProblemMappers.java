package dev.dnsdig.adapters.rest.problem;

import dev.dnsdig.adapters.rest.support.RequestIdFilter;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.RecordType;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

/** The one place where exceptions become problem+json responses; nothing internal ever reaches the client. */
public final class ProblemMappers {
    private static final System.Logger LOG = System.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    public static Class<?>[] all() {
        return new Class<?>[] {Problems.class, InvalidValues.class, WebErrors.class, Unexpected.class};
    }

    abstract static class Base<E extends Throwable> implements ExceptionMapper<E> {
        @Context
        UriInfo uri;
        @Context
        HttpHeaders headers;

        Response respond(Problem problem) {
            return problem.at(uri == null ? null : "/" + uri.getPath(), requestId()).toResponse();
        }

        String requestId() {
            return headers == null ? null : headers.getHeaderString(RequestIdFilter.HEADER);
        }
    }

    /** Problems a resource raised on purpose. */
    public static final class Problems extends Base<ProblemException> {
        @Override
        public Response toResponse(ProblemException e) {
            return respond(e.problem());
        }
    }

    /** A domain rule rejected a value from the request: 400 naming the rule. */
    public static final class InvalidValues extends Base<InvalidValueException> {
        @Override
        public Response toResponse(InvalidValueException e) {
            Problem problem = switch (e.field()) {
                case "name" -> Problem.of("invalid-name", "Invalid domain name", 400, e.getMessage());
                case "type" -> Problem.of("invalid-type", "Unsupported record type", 400, e.getMessage())
                        .with("validTypes", RecordType.names());
                default -> Problem.of("invalid-value", "Invalid value", 400, e.getMessage()).with("field", e.field());
            };
            return respond(problem);
        }
    }

    /** Jersey's own errors (404, 405, 406, 415, ...) in problem form, keeping headers such as Allow. */
    public static final class WebErrors extends Base<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original.getStatus();
            if (status >= 500) {
                LOG.log(System.Logger.Level.ERROR, "request " + requestId() + " failed", e);
            }
            String detail = switch (status) {
                case 404 -> "There is nothing at " + (uri == null ? "this path" : "/" + uri.getPath()) + ".";
                case 405 -> "Allowed methods: " + String.join(", ", original.getAllowedMethods()) + ".";
                case 406 -> "This resource answers with application/json only.";
                case 415 -> "This content type is not accepted here.";
                default -> status >= 500 ? "The request could not be completed." : Problem.reason(status) + ".";
            };
            Response response = respond(Problem.ofStatus(status, detail));
            if (e instanceof NotAllowedException) {
                return Response.fromResponse(response).allow(original.getAllowedMethods()).build();
            }
            return response;
        }
    }

    /** Anything else is a bug: logged with the request id, answered with a 500 that reveals nothing. */
    public static final class Unexpected extends Base<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "request " + requestId() + " failed", e);
            return respond(Problem.ofStatus(500, "The request could not be completed; quote the requestId when reporting it."));
        }
    }
}
