package dev.dnsdig.bootstrap;

import dev.dnsdig.adapters.rest.problem.Problem;

/**
 * Problem documents (RFC 9457) that the server writes itself, outside the API: what Grizzly refuses while parsing,
 * its error pages, and admission control. The same members as the API's, written without Jackson.
 */
final class ServerProblems {
    static final String MEDIA_TYPE = Problem.MEDIA_TYPE;

    private ServerProblems() {
    }

    /** The document; {@code requestId} may be null (Grizzly refused the request before it had one). */
    static String json(String type, String title, int status, String detail, String requestId) {
        return "{\"type\":\"" + escape(type) + "\",\"title\":\"" + escape(title) + "\",\"status\":" + status
                + ",\"detail\":\"" + escape(detail) + "\""
                + (requestId == null ? "" : ",\"requestId\":\"" + escape(requestId) + "\"") + "}";
    }

    static String reason(int status) {
        return Problem.reason(status);
    }

    /** Our own texts need none of it; it keeps a quote or backslash that slips in one day from breaking the JSON. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
