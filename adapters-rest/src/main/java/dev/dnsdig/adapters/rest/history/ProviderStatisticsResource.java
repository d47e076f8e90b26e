package dev.dnsdig.adapters.rest.history;

import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.adapters.rest.history.LookupJson.StatisticsBody;
import dev.dnsdig.adapters.rest.support.Pages;
import dev.dnsdig.application.port.in.ReportProviderStatistics;
import dev.dnsdig.domain.user.Permission;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v1/stats/providers} (permission {@code read:resolver}): per provider, the count and latency (mean, p50,
 * p95, p99, max) of every user's recorded lookups in a recent window.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderStatisticsResource {
    private static final Pattern SHORT = Pattern.compile("([0-9]{1,7})([smhd])");

    private final ReportProviderStatistics statistics;

    @Inject
    public ProviderStatisticsResource(ReportProviderStatistics statistics) {
        this.statistics = statistics;
    }

    @GET
    @Path("providers")
    @Secured(Permission.READ_RESOLVER)
    public StatisticsBody providers(@QueryParam("window") String windowText) {
        Duration window = windowText == null ? ReportProviderStatistics.DEFAULT_WINDOW : window(windowText);
        return StatisticsBody.of(window, statistics.statistics(window));
    }

    /** {@code 15m}, {@code 1h}, {@code 7d} (or {@code s}), or ISO 8601 ({@code PT90M}); from 1 minute to 7 days. */
    static Duration window(String text) {
        Duration window = parse(text.strip().toLowerCase(Locale.ROOT));
        if (window == null || window.compareTo(ReportProviderStatistics.MIN_WINDOW) < 0
                || window.compareTo(ReportProviderStatistics.MAX_WINDOW) > 0) {
            throw Pages.invalidParameter("window",
                    "window must be from 1 minute to 7 days, like 15m, 1h or 7d (or ISO 8601, like PT90M)");
        }
        return window;
    }

    private static Duration parse(String text) {
        Matcher shortForm = SHORT.matcher(text);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return text.startsWith("p") ? Duration.parse(text) : null;
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }
}
