package dev.dnsdig.bootstrap;

import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;

/**
 * What Grizzly answers for errors that never reach Jersey (a malformed request line, an oversized header):
 * a problem document instead of Grizzly's HTML page with its stack trace.
 */
final class ProblemErrorPages implements ErrorPageGenerator {
    @Override
    public String generate(Request request, int status, String reasonPhrase, String description, Throwable exception) {
        // set before returning: Grizzly only falls back to text/html when no content type is set
        request.getResponse().setContentType("application/problem+json");
        String title = reasonPhrase == null || reasonPhrase.isBlank() ? "Error" : reasonPhrase;
        String detail = status >= 500 ? "The request could not be completed." : "The request could not be processed.";
        return "{\"type\":\"about:blank\",\"title\":\"" + escape(title) + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
