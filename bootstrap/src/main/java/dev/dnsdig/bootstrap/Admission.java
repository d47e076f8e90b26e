package dev.dnsdig.bootstrap;

import static dev.dnsdig.bootstrap.DnsDigServer.MAX_HEADER_BYTES;

import dev.dnsdig.adapters.rest.support.RequestIdFilter;
import dev.dnsdig.adapters.rest.support.SecurityHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.Note;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AfterServiceListener;
import dev.dnsdig.adapters.rest.support.HandlerInFront;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.RequestExecutorProvider;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.threadpool.Threads;

/**
 * Admission control in front of the API: at most {@code maxInFlight} API requests are worked on at once, and the next
 * is answered at once with a 503 problem ({@code overloaded}, {@code Retry-After}) instead of waiting. Without it a
 * flood simply piles up (requests run on virtual threads, of which there is no shortage): every request waits
 * longer, until clients time out while the server still works on what they gave up, and memory grows with the pile.
 *
 * <p>The decision is taken where Grizzly would hand the request to a thread of its own ({@link #getExecutor}), on
 * the thread that read it: a refused request is answered right there and never waits for, nor costs, a thread, so
 * refusals stay fast while the admitted work keeps the CPU busy. A refusal costs a counter and a small write, far
 * less than the work it spares. The counters are plain atomics, no lock: this sits on every request.
 *
 * <p>Operators' routes ({@code /health/*}, {@code /metrics}) have a small budget of their own, so that a full API
 * never hides the server from its probes and scrapers. An overloaded refusal keeps its connection (the client is to
 * wait a second, not to connect again). Once a shutdown has begun ({@code draining}), API requests are refused with
 * a 503 {@code shutting-down} that closes the connection, so that a client learns at once to go elsewhere.
 *
 * <p>An HTTP/2 request whose header fields are larger than {@link DnsDigServer#MAX_HEADER_BYTES} is answered here with a
 * 431 problem too: on HTTP/1.1 the parser refuses it ({@link ProblemCodec}), on HTTP/2 it arrives decoded.
 */
final class Admission extends HandlerInFront implements RequestExecutorProvider {
    /** Requests at once on the operators' routes: enough for probes and scrapers, too few to matter as load. */
    static final int OPERATORS_IN_FLIGHT = 64;
    /** Seconds a refused client is asked to wait: by then the pile has usually gone, or another instance has room. */
    static final int RETRY_AFTER_SECONDS = 1;
    /** What a client refused during a shutdown is told, here and on Grizzly's own refusals (see ProblemErrorPages). */
    static final String SHUTTING_DOWN = "The server is shutting down; retry in " + RETRY_AFTER_SECONDS
            + " second (another instance may answer).";
    private static final System.Logger LOG = System.getLogger(Admission.class.getName());
    private static final Note<Verdict> VERDICT = Request.createNote(Admission.class.getName() + ".verdict");

    private enum Verdict { ADMITTED, OVERLOADED, SHUTTING_DOWN, HEADERS_TOO_LARGE }

    private final int maxInFlight;
    private final AtomicBoolean draining;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger operators = new AtomicInteger();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder shuttingDown = new LongAdder();
    private final ThrottledWarning warning = new ThrottledWarning(LOG);
    private final Supplier<String> overloadedWarning;
    // run once the response is complete, however it got there (an exception included); the verdict goes too, as
    // Grizzly keeps a request's notes when it recycles the request for the next one
    private final AfterServiceListener releaseApi = request -> {
        request.removeNote(VERDICT);
        inFlight.decrementAndGet();
    };
    private final AfterServiceListener releaseOperators = request -> {
        request.removeNote(VERDICT);
        operators.decrementAndGet();
    };
    private final AfterServiceListener forget = request -> request.removeNote(VERDICT);
    private final String overloadedDetail;

    Admission(HttpHandler api, int maxInFlight, AtomicBoolean draining) {
        super(api);
        this.maxInFlight = maxInFlight;
        this.draining = draining;
        this.overloadedDetail = "The server is working on as many requests as it takes at once (" + maxInFlight
                + "); retry in " + RETRY_AFTER_SECONDS + " second.";
        this.overloadedWarning = () -> "overloaded: " + overloaded.sum() + " requests refused with 503 since start (at most "
                + maxInFlight + " API requests at once, DNSDIG_MAX_IN_FLIGHT)";
    }

    @Override
    public RequestExecutorProvider getRequestExecutorProvider() {
        return this;
    }

    /**
     * Where the request runs: decided once per request, before Grizzly hands it to a thread (Grizzly may ask again,
     * for the callbacks of a write that had to wait). Admitted, it goes to a virtual thread as Grizzly's default
     * would send it; refused, it is answered on this thread.
     */
    @Override
    public Executor getExecutor(Request request) {
        if (request.getNote(VERDICT) == null) {
            Verdict verdict = admit(request);
            request.setNote(VERDICT, verdict);
            if (verdict != Verdict.ADMITTED) {
                request.addAfterServiceListener(forget);
                return null;
            }
        }
        // Grizzly's default: a virtual thread when on a selector thread, else (already on one) this thread
        return Threads.isService() ? request.getContext().getConnection().getTransport().getWorkerThreadPool() : null;
    }

    private Verdict admit(Request request) {
        // HTTP/1.1's limit is the parser's (ProblemCodec); HTTP/2's decoder only bounds the compressed block
        if (request.getRequest().getProtocol() == Protocol.HTTP_2_0 && headerListSize(request) > MAX_HEADER_BYTES) {
            return Verdict.HEADERS_TOO_LARGE;
        }
        boolean operator = isOperators(request.getRequestURI());
        if (!operator && draining.get()) {
            shuttingDown.increment();
            return Verdict.SHUTTING_DOWN;
        }
        AtomicInteger taken = operator ? operators : inFlight;
        // take a place, then look: two requests racing for the last place cannot both get it
        if (taken.incrementAndGet() > (operator ? OPERATORS_IN_FLIGHT : maxInFlight)) {
            taken.decrementAndGet();
            overloaded.increment();
            warning.now(overloadedWarning);
            return Verdict.OVERLOADED;
        }
        request.addAfterServiceListener(operator ? releaseOperators : releaseApi);
        return Verdict.ADMITTED;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        switch (request.getNote(VERDICT)) {
            case ADMITTED -> api.service(request, response);
            case OVERLOADED -> {
                // the client may stay connected: it is asked to wait, not to leave (nor to connect again)
                ProblemCodec.keepConnection(response.getResponse());
                refuse(request, response, 503, "urn:dnsdig:problem:overloaded", "Server overloaded", overloadedDetail);
            }
            case SHUTTING_DOWN -> refuse(request, response, 503, "urn:dnsdig:problem:shutting-down", "Shutting down",
                    SHUTTING_DOWN);
            case HEADERS_TOO_LARGE -> {
                ProblemCodec.keepConnection(response.getResponse()); // a stream's refusal: the connection is sound
                refuse(request, response, 431, "about:blank", ServerProblems.reason(431), ProblemCodec.HEADERS_TOO_LARGE);
            }
            case null -> throw new IllegalStateException("no admission decision for " + request.getRequestURI());
        }
    }

    /** {@code /health/live}, {@code /health/ready} and {@code /metrics}, exactly as the API serves them. */
    static boolean isOperators(String path) {
        return path.equals("/metrics") || path.equals("/health/live") || path.equals("/health/ready");
    }

    /**
     * RFC 9113 §6.5.2's measure of an HTTP/2 request's header section: each field's name and value and 32 octets
     * more, the pseudo-fields included.
     */
    static long headerListSize(Request request) {
        MimeHeaders headers = request.getRequest().getHeaders();
        long size = 4 * 32 + request.getMethod().getMethodString().length() + request.getRequestURI().length()
                + (request.getQueryString() == null ? 0 : 1 + request.getQueryString().length())
                + request.getScheme().length();
        for (int i = 0; i < headers.size(); i++) {
            size += headers.getName(i).getLength() + headers.getValue(i).getLength() + 32;
        }
        return size;
    }

    /** A problem written here, without the API: nothing of the refused request is read beyond its head. */
    private static void refuse(Request request, Response response, int status, String type, String title,
            String detail) {
        String requestId = RequestIdFilter.idFor(request.getHeader(RequestIdFilter.HEADER));
        byte[] body = ServerProblems.json(type, title, status, detail, requestId).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status, ServerProblems.reason(status));
        response.setContentType(ServerProblems.MEDIA_TYPE);
        response.setContentLength(body.length);
        if (status == 503) {
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        response.setHeader(RequestIdFilter.HEADER, requestId);
        SecurityHeaders.ALWAYS.forEach(response::setHeader);
        try {
            response.getOutputStream().write(body);
        } catch (IOException clientGone) {
            // it closed the connection meanwhile (a client giving up under load does): nobody is left to tell, and
            // nothing went wrong here worth a log line per refusal
        }
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
