package dev.dnsdig.adapters.rest.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What every finished request leaves behind, whichever listener served it: its access log line and its time in the
 * request latency histogram (unless there is no registry: metrics off, nobody could read them).
 */
public final class RequestLog {
    static final String ACCESS_LOGGER = "dnsdig.access";
    static final String REQUESTS = "http.server.requests";
    // JUL itself rather than System.Logger: a record built here skips the bridge and JUL's per-record bundle lookup
    private static final Logger ACCESS = Logger.getLogger(ACCESS_LOGGER);
    // a dozen fixed buckets rather than Micrometer's ~70 percentile ones: enough for an SLO, cheap per series
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    /** The methods HTTP defines; any other token a client sends is one label value, not one each. */
    private static final java.util.Set<String> METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    private final Optional<MeterRegistry> registry;
    /** Built once per series: Micrometer's builder and registry lookup cost more than the recording itself. */
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

    public RequestLog(Optional<MeterRegistry> registry) {
        this.registry = registry;
    }

    private record Series(String method, String route, int status) {
    }

    /**
     * One request done: {@code method} as {@link #method} names it, {@code route} a template (never a raw path),
     * {@code userId} null for an anonymous one.
     */
    public void finished(String method, String route, int status, long nanos, String requestId, String userId) {
        registry.ifPresent(meters -> timers.computeIfAbsent(new Series(method, route, status),
                series -> Timer.builder(REQUESTS).description("HTTP requests by route template and status")
                        .tags("method", series.method(), "route", series.route(), "status", Integer.toString(series.status()))
                        .serviceLevelObjectives(BUCKETS)
                        .register(meters)).record(nanos, TimeUnit.NANOSECONDS));
        if (!ACCESS.isLoggable(Level.INFO)) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", requestId);
        fields.put("method", method);
        fields.put("route", route);
        fields.put("status", status);
        fields.put("latencyMs", Math.round(nanos / 10_000.0) / 100.0);
        if (userId != null) {
            fields.put("userId", userId);
        }
        // the fields travel as the record's one parameter: a JSON formatter writes them as members of the line
        LogRecord line = new LogRecord(Level.INFO, method + " " + route + " " + status);
        line.setLoggerName(ACCESS_LOGGER);
        line.setParameters(new Object[] {fields});
        ACCESS.log(line);
    }

    /** The method as a label value: one of HTTP's, or {@code OTHER}. */
    public static String method(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }
}
