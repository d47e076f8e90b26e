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
        if (status == 503) {
            return shuttingDown(request);
        }
        int actual = status;
        String detail = status >= 500 ? "The request could not be completed." : "The request could not be processed.";
        if (status == 500 && isMalformedUri(exception)) {
            // Jersey's container throws while building the request URI, e.g. for "/%zz": the client's fault
            actual = 400;
            detail = "The request URI is malformed (check its percent-encoding).";
        } else if (status >= 500) {
            LOG.log(System.Logger.Level.ERROR, "request failed before reaching the API", exception);
        }
        head(request, actual);
        return ServerProblems.json("about:blank", ServerProblems.reason(actual), actual, detail, null);
    }

    /**
     * Grizzly's only 503: a request that arrived on an open connection once a graceful shutdown had reached the
     * listener (the operators' routes, and API requests that came before {@link Admission} refused them itself). Not
     * a failure to log: it is how a draining server says no; Grizzly closes the connection after it.
     */
    private static String shuttingDown(Request request) {
        head(request, 503);
        request.getResponse().setHeader("Retry-After", Integer.toString(Admission.RETRY_AFTER_SECONDS));
        return ServerProblems.json("urn:dnsdig:problem:shutting-down", "Shutting down", 503, Admission.SHUTTING_DOWN, null);
    }

    private static void head(Request request, int status) {
        // set before returning: Grizzly only falls back to text/html when no content type is set
        request.getResponse().setStatus(status, ServerProblems.reason(status));
        request.getResponse().setContentType(ServerProblems.MEDIA_TYPE);
        // these never pass the API's response filters
        dev.dnsdig.adapters.rest.support.SecurityHeaders.ALWAYS.forEach(request.getResponse()::setHeader);
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
