package dev.dnsdig.adapters.rest.observe;

import dev.dnsdig.adapters.rest.auth.AuthenticationFeature;
import dev.dnsdig.adapters.rest.support.RequestIdFilter;
import dev.dnsdig.application.port.in.Authenticate.Principal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Times every request, then writes its access log line and records it in the request latency histogram. Filters
 * rather than Jersey's request event listeners: with a listener registered Jersey builds an event object for every
 * phase of every request, which measured more than half the throughput of a lookup.
 */
@PreMatching
@Priority(0) // first in, last out: the time spans every other filter
final class RequestObservation implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = "dnsdig.started";
    static final String ACCESS_LOGGER = "dnsdig.access";
    static final String REQUESTS = "http.server.requests";
    /** The route of a request that matched no resource: raw paths would make a label value per scanner probe. */
    static final String UNMATCHED = "unmatched";
    // JUL itself rather than System.Logger: a record built here skips the bridge and JUL's per-record bundle lookup
    private static final Logger ACCESS = Logger.getLogger(ACCESS_LOGGER);
    // a dozen fixed buckets rather than Micrometer's ~70 percentile ones: enough for an SLO, cheap per series
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final java.util.Optional<MeterRegistry> registry;
    /** Built once per series: Micrometer's builder and registry lookup cost more than the recording itself. */
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();
    /** A route's template, computed once per resource method rather than joined and cleaned per request. */
    private final Map<ResourceMethod, String> routes = new ConcurrentHashMap<>();

    RequestObservation(java.util.Optional<MeterRegistry> registry) {
        this.registry = registry;
    }

    private record Series(String method, String route, int status) {
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        long nanos = request.getProperty(STARTED) instanceof Long started ? System.nanoTime() - started : 0;
        int status = response.getStatus();
        // from the request itself: an injected ExtendedUriInfo is a proxy that resolves the request on every call
        ExtendedUriInfo uri = ((ContainerRequest) request).getUriInfo();
        ResourceMethod matched = uri.getMatchedResourceMethod();
        String route = matched == null ? route(uri) : routes.computeIfAbsent(matched, m -> route(uri));
        String method = method(request.getMethod());
        registry.ifPresent(meters -> timers.computeIfAbsent(new Series(method, route, status),
                series -> Timer.builder(REQUESTS).description("HTTP requests by route template and status")
                        .tags("method", series.method(), "route", series.route(), "status", Integer.toString(series.status()))
                        .serviceLevelObjectives(BUCKETS)
                        .register(meters)).record(nanos, TimeUnit.NANOSECONDS));
        if (!ACCESS.isLoggable(Level.INFO)) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", request.getHeaderString(RequestIdFilter.HEADER));
        fields.put("method", method);
        fields.put("route", route);
        fields.put("status", status);
        fields.put("latencyMs", Math.round(nanos / 10_000.0) / 100.0);
        if (request.getProperty(AuthenticationFeature.PRINCIPAL) instanceof Principal principal) {
            fields.put("userId", principal.userId().value());
        }
        // the fields travel as the record's one parameter: a JSON formatter writes them as members of the line
        LogRecord line = new LogRecord(Level.INFO, method + " " + route + " " + status);
        line.setLoggerName(ACCESS_LOGGER);
        line.setParameters(new Object[] {fields});
        ACCESS.log(line);
    }

    /** The methods HTTP defines; any other token a client sends is one label value, not one each. */
    private static final java.util.Set<String> METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    static String method(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }

    /** The template the request matched, such as {@code /v1/todos/{id}}, never the raw path. */
    static String route(ExtendedUriInfo uri) {
        List<UriTemplate> templates = uri.getMatchedTemplates(); // innermost first
        if (templates.isEmpty()) {
            return UNMATCHED;
        }
        StringBuilder route = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String part = templates.get(i).getTemplate();
            if (!part.startsWith("/")) {
                route.append('/');
            }
            route.append(part);
        }
        String joined = route.toString().replaceAll("/{2,}", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
