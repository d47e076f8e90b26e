package dev.dnsdig.adapters.rest.doh;

import dev.dnsdig.adapters.rest.observe.RequestLog;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.ratelimit.RateLimitFeature;
import dev.dnsdig.adapters.rest.ratelimit.RateLimitFields;
import dev.dnsdig.adapters.rest.ratelimit.TrustedProxies;
import dev.dnsdig.adapters.rest.support.RequestIdFilter;
import dev.dnsdig.adapters.rest.support.SecurityHeaders;
import dev.dnsdig.application.port.in.AnswerDnsMessage;
import dev.dnsdig.application.port.in.LimitRequests;
import dev.dnsdig.application.port.in.LimitRequests.Decision;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What the DNS-over-HTTPS listener does with one request, whichever HTTP version carried it: the checks RFC 8484 and
 * the API ask for (route, method, media types, sizes), the anonymous rate limit, the answer, and the access log line
 * and latency histogram every API request also leaves. Errors are the API's problem documents.
 */
public final class DohRequests {
    private static final System.Logger LOG = System.getLogger(DohRequests.class.getName());
    /** The longest request target: a query of some 12 KiB in base64url, far more than any real one (RFC 8484 4.1). */
    static final int MAX_URI = 16 * 1024;
    /** The most header bytes of one request, as on the API's listeners. */
    static final int MAX_HEADERS = 16 * 1024;
    static final String ALLOW = "GET, HEAD, POST, OPTIONS";
    static final String UNMATCHED = "unmatched";
    static final String SHUTTING_DOWN = "The server is shutting down; retry in 1 second (another instance may answer).";

    private final AnswerDnsMessage answers;
    private final Optional<Policy> anonymous;
    private final LimitRequests limiter;
    private final TrustedProxies proxies;
    private final RequestLog log;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.util.concurrent.atomic.LongAdder overloaded = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean draining;
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("doh-", 0).factory());

    /**
     * Answers with {@code answers}; counts every request against {@code anonymous} (when there is a limit) per client
     * address as the API does; at most {@code maxInFlight} requests are worked on at once, more get a 503 at once.
     */
    public DohRequests(AnswerDnsMessage answers, Optional<Policy> anonymous, LimitRequests limiter, TrustedProxies proxies,
                       RequestLog log, int maxInFlight) {
        this.answers = answers;
        this.anonymous = anonymous;
        this.limiter = limiter;
        this.proxies = proxies;
        this.log = log;
        this.maxInFlight = maxInFlight;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Requests answered 503 at once because {@code maxInFlight} were being worked on. */
    public long overloaded() {
        return overloaded.sum();
    }

    /** From now on every request is answered 503 (shutting down). */
    void drain() {
        draining = true;
    }

    /** One answer, and whether the connection ends with it (HTTP/1.1 after a request that could not be read). */
    record Response(FullHttpResponse message, boolean close) {
    }

    /**
     * Answers {@code request} from the client at {@code peer} (an address literal): checks on the calling event loop,
     * the DNS work on a virtual thread; {@code reply} gets the response on either.
     */
    void handle(FullHttpRequest request, String peer, Consumer<Response> reply) {
        long started = System.nanoTime();
        String id = RequestIdFilter.idFor(request.headers().get(RequestIdFilter.HEADER));
        String method = RequestLog.method(request.method().name());
        if (request.decoderResult().isFailure()) {
            reply.accept(new Response(finish(unreadable(request.decoderResult().cause(), id), null, method, UNMATCHED,
                    started, id), true));
            return;
        }
        QueryStringDecoder target = new QueryStringDecoder(request.uri());
        if (!DohProtocol.PATH.equals(target.path())) {
            FullHttpResponse notFound = problemMessage(Problem.of("not-found", "Not Found", 404, "This listener serves"
                    + " DNS-over-HTTPS at " + DohProtocol.PATH + " only; the API is on the HTTP (and HTTPS) port."),
                    target.path(), id);
            reply.accept(new Response(finish(notFound, null, method, UNMATCHED, started, id), false));
            return;
        }
        boolean head = HttpMethod.HEAD.equals(request.method());
        Optional<Problem> refused = refusal(request, head);
        if (refused.isPresent()) {
            Response response = respond(refused.get(), null, method, DohProtocol.PATH, started, id);
            // told to go elsewhere, an HTTP/1.1 client should not come back on this connection
            reply.accept(draining ? new Response(response.message(), true) : response);
            return;
        }
        if (HttpMethod.OPTIONS.equals(request.method())) {
            FullHttpResponse allowed = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            allowed.headers().set(HttpHeaderNames.ALLOW, ALLOW);
            reply.accept(new Response(finish(allowed, null, method, DohProtocol.PATH, started, id), false));
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            overloaded.increment();
            reply.accept(respond(Problem.of("overloaded", "Server overloaded", 503, "The server is working on as many"
                    + " DNS-over-HTTPS requests as it takes at once (" + maxInFlight + "); retry in 1 second.")
                    .header("Retry-After", "1"), null, method, DohProtocol.PATH, started, id));
            return;
        }
        // the body outlives this call: the codec releases the request when it returns
        byte[] body = HttpMethod.POST.equals(request.method()) ? ByteBufUtil.getBytes(request.content()) : null;
        List<String> forwardedFor = request.headers().getAll(RateLimitFeature.X_FORWARDED_FOR);
        work.execute(() -> {
            Response response;
            try {
                response = answer(target, body, peer, forwardedFor, head, method, started, id);
            } finally {
                inFlight.decrementAndGet();
            }
            reply.accept(response);
        });
    }

    /** On a virtual thread: the rate limit, the query, its answer. */
    private Response answer(QueryStringDecoder target, byte[] body, String peer, List<String> forwardedFor, boolean head,
                            String method, long started, String id) {
        List<Decision> decisions = List.of();
        try {
            if (anonymous.isPresent()) {
                decisions = List.of(limiter.check(anonymous.get(), proxies.counterKey(peer, forwardedFor)));
                if (!decisions.getFirst().allowed()) {
                    return respond(RateLimitFields.exceeded(decisions), decisions, method, DohProtocol.PATH, started, id);
                }
            }
            byte[] query = body != null ? body : DohProtocol.decode(target.parameters().getOrDefault("dns", List.of())
                    .stream().findFirst().orElse(null));
            DohProtocol.Reply reply = DohProtocol.reply(answers.answer(query));
            FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.message()));
            ok.headers().set(HttpHeaderNames.CONTENT_TYPE, DohProtocol.DNS_MESSAGE)
                    .set(HttpHeaderNames.CACHE_CONTROL, reply.cacheControl())
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.message().length);
            return new Response(finish(ok, decisions, method, DohProtocol.PATH, started, id), false);
        } catch (ProblemException e) {
            return respond(e.problem(), decisions, method, DohProtocol.PATH, started, id);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "DNS-over-HTTPS request " + id + " failed", e);
            return respond(Problem.ofStatus(500, "The request failed on our side; it has been logged as " + id + "."),
                    decisions, method, DohProtocol.PATH, started, id);
        }
    }

    /** What RFC 8484 and HTTP refuse before any work: method, size, media types, a server shutting down. */
    private Optional<Problem> refusal(FullHttpRequest request, boolean head) {
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !head && !HttpMethod.POST.equals(method) && !HttpMethod.OPTIONS.equals(method)) {
            return Optional.of(Problem.ofStatus(405, "Method " + method.name() + " is not allowed on " + DohProtocol.PATH
                    + "; allowed: " + ALLOW + ".").header("Allow", ALLOW));
        }
        if (request.uri().length() > MAX_URI) {
            return Optional.of(Problem.ofStatus(414, "The request target is longer than " + MAX_URI + " characters."));
        }
        if (HttpMethod.POST.equals(method)) {
            CharSequence type = HttpUtil.getMimeType(request);
            if (type == null || !DohProtocol.DNS_MESSAGE.equalsIgnoreCase(type.toString().strip())) {
                return Optional.of(Problem.ofStatus(415, "The body must be " + DohProtocol.DNS_MESSAGE + " (RFC 8484"
                        + " section 4.1), not " + (type == null ? "without a Content-Type" : type) + "."));
            }
        } else if (!HttpMethod.OPTIONS.equals(method) && !acceptsDnsMessage(request.headers())) {
            return Optional.of(Problem.ofStatus(406, "The answer is " + DohProtocol.DNS_MESSAGE + ", which the Accept"
                    + " header does not allow."));
        }
        if (draining) {
            return Optional.of(Problem.of("shutting-down", "Shutting down", 503, SHUTTING_DOWN).header("Retry-After", "1"));
        }
        return Optional.empty();
    }

    /** No Accept, or one with a range that covers application/dns-message at a quality above zero. */
    static boolean acceptsDnsMessage(HttpHeaders headers) {
        List<String> accept = headers.getAll(HttpHeaderNames.ACCEPT);
        if (accept.isEmpty()) {
            return true;
        }
        for (String header : accept) {
            for (String range : header.split(",")) {
                String[] parts = range.split(";");
                String type = parts[0].strip().toLowerCase(Locale.ROOT);
                boolean refusedByQuality = false;
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
                    refusedByQuality |= parameter.matches("q=0(\\.0{0,3})?");
                }
                if (!refusedByQuality && (type.equals(DohProtocol.DNS_MESSAGE) || type.equals("application/*")
                        || type.equals("*/*"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A request the codec could not read: its target or headers too long, or no HTTP at all. */
    private static FullHttpResponse unreadable(Throwable cause, String id) {
        Problem problem = cause instanceof TooLongHttpLineException
                ? Problem.ofStatus(414, "The request target is longer than " + MAX_URI + " characters.")
                : cause instanceof TooLongHttpHeaderException
                ? Problem.ofStatus(431, "The request's headers are larger than " + MAX_HEADERS + " bytes.")
                : cause instanceof TooLongFrameException
                ? Problem.ofStatus(431, "A part of the request is larger than this server reads.")
                : Problem.ofStatus(400, "The request is not valid HTTP.");
        return problemMessage(problem, null, id);
    }

    private Response respond(Problem problem, List<Decision> decisions, String method, String route, long started, String id) {
        FullHttpResponse response = problemMessage(problem, route, id);
        return new Response(finish(response, decisions, method, route, started, id), false);
    }

    /** The problem document as a response; {@code instance} the path it is about (null: none known). */
    private static FullHttpResponse problemMessage(Problem problem, String instance, String id) {
        byte[] json = problem.toJson(instance, id);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(problem.getStatus(), Problem.reason(problem.getStatus())),
                Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        problem.headers().forEach(response.headers()::set);
        return response;
    }

    /** The headers every answer carries, then its log line and time. */
    private FullHttpResponse finish(FullHttpResponse response, List<Decision> decisions, String method, String route,
                                    long started, String id) {
        HttpHeaders headers = response.headers();
        SecurityHeaders.ALWAYS.forEach(headers::set);
        if (id != null) {
            headers.set(RequestIdFilter.HEADER, id);
        }
        if (decisions != null && !decisions.isEmpty() && !headers.contains("RateLimit")) {
            RateLimitFields.headers(decisions).forEach(headers::set);
        }
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        }
        log.finished(method, route, response.status().code(), System.nanoTime() - started, id, null);
        return response;
    }

    /**
     * Reads an HTTP/1.1 request's body whole, up to the largest DNS message; a larger one is a 413 problem, and the
     * connection ends there, as what is left of the body will not be read.
     */
    final class Aggregator extends HttpObjectAggregator {
        Aggregator() {
            super(DohProtocol.MAX_MESSAGE);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // HTTP/1.1 only (HTTP/2 streams are read by DohHttp2Handler): the connection ends here
            ctx.writeAndFlush(tooLarge(oversized)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The 413 for a request whose body outgrew the largest DNS message, logged as the other answers are. */
    FullHttpResponse tooLarge(HttpMessage oversized) {
        long started = System.nanoTime();
        String id = RequestIdFilter.idFor(oversized.headers().get(RequestIdFilter.HEADER));
        String method = oversized instanceof HttpRequest request ? RequestLog.method(request.method().name()) : "OTHER";
        FullHttpResponse response = problemMessage(Problem.of("body-too-large", "Content Too Large", 413,
                "A DNS message is at most " + DohProtocol.MAX_MESSAGE + " octets (RFC 8484 section 6)."),
                DohProtocol.PATH, id);
        return finish(response, null, method, DohProtocol.PATH, started, id);
    }

    Aggregator aggregator() {
        return new Aggregator();
    }
}
