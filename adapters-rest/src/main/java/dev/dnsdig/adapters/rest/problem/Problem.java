package dev.dnsdig.adapters.rest.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** An RFC 9457 problem document: the one shape every error of the API has. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "requestId"})
public final class Problem {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
    private static final String TYPE_PREFIX = "urn:dnsdig:problem:";

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private String instance;
    private String requestId;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Problem(String type, String title, int status, String detail) {
        this.type = type;
        this.title = title;
        this.status = status;
        this.detail = detail;
    }

    /** A problem of our own kind, e.g. {@code of("invalid-name", "Invalid domain name", 400, "...")}. */
    public static Problem of(String kind, String title, int status, String detail) {
        return new Problem(TYPE_PREFIX + kind, title, status, detail);
    }

    /** A problem that says no more than its HTTP status (RFC 9457 4.2.1). */
    public static Problem ofStatus(int status, String detail) {
        return new Problem("about:blank", reason(status), status, detail);
    }

    public Problem with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    /** A header to send with the problem, e.g. {@code WWW-Authenticate}. */
    public Problem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Problem at(String instance, String requestId) {
        this.instance = instance;
        this.requestId = requestId;
        return this;
    }

    /** The headers to send with the problem. */
    public Map<String, String> headers() {
        return java.util.Collections.unmodifiableMap(headers);
    }

    /** The document as JSON, for a listener outside Jersey (the DNS-over-HTTPS one). */
    public byte[] toJson(String instance, String requestId) {
        try {
            return dev.dnsdig.adapters.rest.support.JsonConfig.MAPPER.writeValueAsBytes(at(instance, requestId));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a problem document did not serialize", e); // our own fields: cannot happen
        }
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status, reason(status)).type(MEDIA).entity(this);
        headers.forEach(response::header);
        return response.build();
    }

    public String getType() {
        return type;
    }

    public String getTitle() {
        return title;
    }

    public int getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    public String getInstance() {
        return instance;
    }

    public String getRequestId() {
        return requestId;
    }

    @JsonAnyGetter
    public Map<String, Object> getExtensions() {
        return extensions;
    }

    /** Reason phrases, including those Grizzly does not know (it sends none for 422). */
    public static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                yield known == null ? "Error" : known.getReasonPhrase();
            }
        };
    }
}
