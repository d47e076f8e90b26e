package dev.dnsdig.bootstrap;

import java.net.URISyntaxException;
import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;

/**
 * What Grizzly answers for errors that never reach Jersey (a request it cannot turn into a URI, say):
 * a problem document instead of Grizzly's HTML page with its stack trace.
 */
final class ProblemErrorPages implements ErrorPageGenerator {
    private static final System.Logger LOG = System.getLogger(ProblemErrorPages.class.getName());

    @Override
    public String generate(Request request, int status, String reasonPhrase, String description, Throwable exception) {
        int actual = status;
        String detail = status >= 500 ? "The request could not be completed." : "The request could not be processed.";
        if (status == 500 && isMalformedUri(exception)) {
            // Jersey's container throws while building the request URI, e.g. for "/%zz": the client's fault
            actual = 400;
            detail = "The request URI is malformed (check its percent-encoding).";
        } else if (status >= 500) {
            LOG.log(System.Logger.Level.ERROR, "request failed before reaching the API", exception);
        }
        // set before returning: Grizzly only falls back to text/html when no content type is set
        request.getResponse().setStatus(actual, dev.dnsdig.adapters.rest.problem.Problem.reason(actual));
        request.getResponse().setContentType("application/problem+json");
        // these never pass the API's response filters
        dev.dnsdig.adapters.rest.support.SecurityHeaders.ALWAYS.forEach(request.getResponse()::setHeader);
        return "{\"type\":\"about:blank\",\"title\":\"" + dev.dnsdig.adapters.rest.problem.Problem.reason(actual)
                + "\",\"status\":" + actual + ",\"detail\":\"" + detail + "\"}";
    }

    private static boolean isMalformedUri(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof URISyntaxException || cause instanceof IllegalArgumentException) {
                return true;
            }
        }
        return false;
    }
}
