package dev.dnsdig.adapters.rest.ratelimit;

import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.application.port.in.LimitRequests.Decision;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a rate-limited response says about its limits, for the API's filter and for the DNS-over-HTTPS listener alike:
 * the {@code RateLimit-Policy} and {@code RateLimit} fields (draft-ietf-httpapi-ratelimit-headers-11) and the 429
 * problem.
 */
public final class RateLimitFields {
    private RateLimitFields() {
    }

    /** The two fields for the policies counted so far, in the order they were counted. */
    public static Map<String, String> headers(List<Decision> decisions) {
        return Map.of(
                "RateLimit-Policy", join(decisions, d -> "\"" + d.policy().name() + "\";q=" + d.policy().limit()
                        + ";w=" + d.policy().window().toSeconds()),
                "RateLimit", join(decisions, d -> "\"" + d.policy().name() + "\";r=" + d.remaining() + ";t=" + seconds(d)));
    }

    /** The 429 for the last of {@code decisions}, which refused the request, with {@code Retry-After} and the fields. */
    public static Problem exceeded(List<Decision> decisions) {
        Decision refused = decisions.getLast();
        long seconds = seconds(refused);
        Problem problem = Problem.of("rate-limited", "Too many requests", 429, "At most " + refused.policy().limit()
                        + " requests per " + refused.policy().window().toSeconds() + " seconds (policy "
                        + refused.policy().name() + "); retry in " + seconds + " seconds.")
                .with("violated-policies", List.of(refused.policy().name()))
                .header("Retry-After", Long.toString(seconds));
        headers(decisions).forEach(problem::header);
        return problem;
    }

    private static String join(List<Decision> decisions, Function<Decision, String> item) {
        return decisions.stream().map(item).collect(Collectors.joining(", "));
    }

    /** Whole seconds until the window resets, rounded up: a client waiting that long finds a new window. */
    private static long seconds(Decision decision) {
        return Math.max(1, (decision.resetAfter().toMillis() + 999) / 1000);
    }
}
