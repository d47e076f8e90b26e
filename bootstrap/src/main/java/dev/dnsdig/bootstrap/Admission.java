package dev.dnsdig.bootstrap;

import dev.dnsdig.adapters.rest.support.RequestIdFilter;
import dev.dnsdig.adapters.rest.support.SecurityHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.AfterServiceListener;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Admission control in front of the API: at most {@code maxInFlight} API requests are worked on at once, and the next
 * is answered at once with a 503 problem ({@code overloaded}, {@code Retry-After}) instead of waiting. Without it a
 * flood simply piles up (requests run on virtual threads, of which there is no shortage): every request waits
 * longer, until clients time out while the server still works on what they gave up, and memory grows with the pile.
 * A refusal costs a counter and a small write, far less than the work it spares, so the server goes on doing what
 * it can.
 *
 * <p>Operators' routes ({@code /health/*}, {@code /metrics}) have a small budget of their own, so that a full API
 * never hides the server from its probes and scrapers. An overloaded refusal keeps its connection (the client is to
 * wait a second, not to connect again). Once a shutdown has begun ({@code draining}), API requests are refused with
 * a 503 {@code shutting-down} that closes the connection, so that a client learns at once to go elsewhere. The
 * counters are plain atomics, no lock: this sits on every request.
 */
final class Admission extends HttpHandler {
    /** Requests at once on the operators' routes: enough for probes and scrapers, too few to matter as load. */
    static final int OPERATORS_IN_FLIGHT = 64;
    /** Seconds a refused client is asked to wait: by then the pile has usually gone, or another instance has room. */
    static final int RETRY_AFTER_SECONDS = 1;
    private static final System.Logger LOG = System.getLogger(Admission.class.getName());
    /** What a client refused during a shutdown is told, here and on Grizzly's own refusals (see ProblemErrorPages). */
    static final String SHUTTING_DOWN = "The server is shutting down; retry in " + RETRY_AFTER_SECONDS
            + " second (another instance may answer).";

    private final HttpHandler api;
    private final int maxInFlight;
    private final AtomicBoolean draining;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger operators = new AtomicInteger();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder shuttingDown = new LongAdder();
    private final ThrottledWarning warning = new ThrottledWarning(LOG);
    private final Supplier<String> overloadedWarning;
    private final AfterServiceListener releaseApi = request -> inFlight.decrementAndGet();
    private final AfterServiceListener releaseOperators = request -> operators.decrementAndGet();
    private final String overloadedDetail;

    Admission(HttpHandler api, int maxInFlight, AtomicBoolean draining) {
        this.api = api;
        this.maxInFlight = maxInFlight;
        this.draining = draining;
        this.overloadedDetail = "The server is working on as many requests as it takes at once (" + maxInFlight
                + "); retry in " + RETRY_AFTER_SECONDS + " second.";
        this.overloadedWarning = () -> "overloaded: " + overloaded.sum() + " requests refused with 503 since start (at most "
                + maxInFlight + " API requests at once, DNSDIG_MAX_IN_FLIGHT)";
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        boolean operator = isOperators(request.getRequestURI());
        if (!operator && draining.get()) {
            shuttingDown.increment();
            refuse(request, response, "shutting-down", "Shutting down", SHUTTING_DOWN);
            return;
        }
        AtomicInteger taken = operator ? operators : inFlight;
        // take a place, then look: two requests racing for the last place cannot both get it
        if (taken.incrementAndGet() > (operator ? OPERATORS_IN_FLIGHT : maxInFlight)) {
            taken.decrementAndGet();
            overloaded.increment();
            warning.now(overloadedWarning);
            // the client may stay connected: it is asked to wait, not to leave (nor to connect again)
            ProblemCodec.keepConnection(response.getResponse());
            refuse(request, response, "overloaded", "Server overloaded", overloadedDetail);
            return;
        }
        // runs once the response is complete, however it got there (an exception, an asynchronous response)
        request.addAfterServiceListener(operator ? releaseOperators : releaseApi);
        api.service(request, response);
    }

    /** {@code /health/live}, {@code /health/ready} and {@code /metrics}, exactly as the API serves them. */
    static boolean isOperators(String path) {
        return path.equals("/metrics") || path.equals("/health/live") || path.equals("/health/ready");
    }

    /** A 503 problem written here, without the API: nothing of the refused request is read beyond its head. */
    private static void refuse(Request request, Response response, String kind, String title, String detail) {
        String requestId = RequestIdFilter.idFor(request.getHeader(RequestIdFilter.HEADER));
        byte[] body = ServerProblems.json("urn:dnsdig:problem:" + kind, title, 503, detail, requestId)
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(503, ServerProblems.reason(503));
        response.setContentType(ServerProblems.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        response.setHeader(RequestIdFilter.HEADER, requestId);
        SecurityHeaders.ALWAYS.forEach(response::setHeader);
        try {
            response.getOutputStream().write(body);
        } catch (IOException clientGone) {
            // it closed the connection meanwhile (a client giving up under load does): nobody is left to tell, and
            // nothing went wrong here worth a log line per refusal
        }
    }

    @Override
    public void start() {
        api.start();
    }

    @Override
    public void destroy() {
        api.destroy();
    }

    /** API requests being worked on now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Requests on the operators' routes being worked on now. */
    int operatorsInFlight() {
        return operators.get();
    }

    /** Requests refused because the server was full. */
    long overloaded() {
        return overloaded.sum();
    }

    /** API requests refused because a shutdown had begun. */
    long shuttingDown() {
        return shuttingDown.sum();
    }
}
