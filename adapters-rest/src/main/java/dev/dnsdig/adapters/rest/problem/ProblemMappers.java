package dev.dnsdig.adapters.rest.problem;

import dev.dnsdig.adapters.rest.support.RequestIdFilter;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.RecordType;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.CharConversionException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The one place where exceptions become problem+json responses; nothing internal ever reaches the client. */
public final class ProblemMappers {
    private static final System.Logger LOG = System.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    public static Class<?>[] all() {
        return new Class<?>[] {Problems.class, InvalidValues.class, WebErrors.class, Unavailable.class, Unexpected.class,
            Violations.class, MalformedJson.class, UndecodableJson.class, UnfitJson.class};
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
            return respond(problem(e));
        }

        /** The problem for a broken rule; also what one rejected item of a batch carries. */
        public static Problem problem(InvalidValueException e) {
            return switch (e.field()) {
                case "name" -> Problem.of("invalid-name", "Invalid domain name", 400, e.getMessage());
                case "type" -> Problem.of("invalid-type", "Unsupported record type", 400, e.getMessage())
                        .with("validTypes", RecordType.names());
                default -> Problem.of("invalid-value", "Invalid value", 400, e.getMessage()).with("field", e.field());
            };
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

    /** Bean Validation on a request body: 422 listing every invalid field at once. */
    public static final class Violations extends Base<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            List<FieldError> errors = new ArrayList<>();
            for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
                String field = null;
                for (Path.Node node : violation.getPropertyPath()) {
                    field = node.getName();
                }
                // a violation on the parameter itself (no body at all) has the parameter's name
                errors.add(new FieldError(field == null || field.startsWith("arg") ? "body" : field, violation.getMessage()));
            }
            errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
            return respond(ValidationProblem.of(errors));
        }
    }

    /** A body that is not JSON at all: 400. */
    public static final class MalformedJson extends Base<JsonParseException> {
        @Override
        public Response toResponse(JsonParseException e) {
            return respond(Problem.of("malformed-json", "Malformed JSON", 400,
                    "The request body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")."));
        }
    }

    /**
     * A body whose first octets make Jackson guess UTF-16 or UTF-32 and that is not that either (an unknown byte order,
     * a character cut short): not JSON text (RFC 8259 section 8.1), so 400 like any other malformed JSON.
     */
    public static final class UndecodableJson extends Base<CharConversionException> {
        @Override
        public Response toResponse(CharConversionException e) {
            return respond(Problem.of("malformed-json", "Malformed JSON", 400,
                    "The request body is not JSON text: send it in UTF-8."));
        }
    }

    /** JSON that parses but does not fit: unknown fields, wrong types, too deep or too large. */
    public static final class UnfitJson extends Base<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            if (e instanceof StreamConstraintsException) {
                return respond(Problem.of("json-limits", "JSON too large or too deep", 413, "The JSON document exceeds the allowed size or nesting."));
            }
            // binding to a record, Jackson wraps a syntax error met inside it with the path: still not JSON, still 400
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof JsonParseException parse) {
                    return new MalformedJson().toResponse(parse);
                }
            }
            String field = "body";
            if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                field = mapping.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
            }
            String message = e instanceof UnrecognizedPropertyException ? "unknown field; it cannot be set here"
                    : e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                    ? "must be " + describe(mismatch.getTargetType()) : "has the wrong type";
            return respond(ValidationProblem.of(List.of(new FieldError(field, message))));
        }

        private static String describe(Class<?> type) {
            if (type == String.class) {
                return "a string";
            }
            if (type == Boolean.class || type == boolean.class) {
                return "true or false";
            }
            if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
                return "a number";
            }
            if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
                return "an array";
            }
            return "an object";
        }
    }

    /** One invalid field of a request and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    /** The 422 problem listing invalid fields. */
    public static final class ValidationProblem {
        private ValidationProblem() {
        }

        public static Problem of(List<FieldError> errors) {
            String detail = errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message()
                    : errors.size() + " fields are invalid: " + errors.stream().map(FieldError::field).distinct()
                    .collect(java.util.stream.Collectors.joining(", "));
            return Problem.of("validation", "Invalid request", 422, detail).with("errors", errors);
        }
    }

    /**
     * The database could not be reached: a 503 to retry shortly, not a bug. Every storage port throws it, so this is
     * the one place the answer is made.
     */
    public static final class Unavailable extends Base<StorageUnavailableException> {
        @Override
        public Response toResponse(StorageUnavailableException e) {
            // the storage says once when the database goes and comes back, and the access log has every 503: a line
            // per request here would only repeat them while it is down
            LOG.log(System.Logger.Level.DEBUG, "request " + requestId() + ": " + e.getMessage());
            return respond(problem());
        }

        static Problem problem() {
            return Problem.of("dependency-unavailable", "Service unavailable", 503,
                            "A service this request needs did not answer in time. Retry shortly (a create safely with the same Idempotency-Key).")
                    .header("Retry-After", "1");
        }
    }

    /** Anything else is a bug: logged with the request id, answered with a 500 that reveals nothing. */
    public static final class Unexpected extends Base<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            return respond(unexpected(e, requestId()));
        }
    }

    /** The answer to a failure nobody expected, logged here; also for handlers outside Jersey. */
    public static Problem unexpected(Throwable e, String requestId) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StorageUnavailableException unavailable) {
                // wrapped on its way (an executor, a completion): still the database, not a bug
                LOG.log(System.Logger.Level.DEBUG, "request " + requestId + ": " + unavailable.getMessage());
                return Unavailable.problem();
            }
        }
        LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed", e);
        return Problem.ofStatus(500, "The request could not be completed; quote the requestId when reporting it.");
    }
}
