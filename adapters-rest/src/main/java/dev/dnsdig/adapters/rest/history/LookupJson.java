package dev.dnsdig.adapters.rest.history;

import dev.dnsdig.application.port.in.ReportProviderStatistics.ProviderStatistics;
import dev.dnsdig.application.port.in.ReportProviderStatistics.Report;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.history.LatencySummary;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The JSON shapes of the lookup history and the provider statistics. */
final class LookupJson {
    private LookupJson() {
    }

    /** One provider's result for one question the caller asked. */
    record LookupBody(String id, String at, String name, String type, int ipVersion, String provider, String outcome,
                      String status, boolean cached, double elapsedMs) {
        static LookupBody of(Lookup lookup) {
            LookupResult r = lookup.result();
            return new LookupBody(lookup.id().value(), lookup.at().toString(), r.name().fqdn(), r.type().name(),
                    r.family() == IpFamily.IPV6 ? 6 : 4, r.provider(), r.outcome().name().toLowerCase(Locale.ROOT),
                    r.status(), r.cached(), millis(r.elapsed()));
        }
    }

    record LookupPage(List<LookupBody> items, String next) {
    }

    record StatisticsBody(String window, String from, String until, boolean complete, String percentiles,
                          List<ProviderBody> providers) {
        static StatisticsBody of(Duration window, Report report) {
            return new StatisticsBody(window.toString(), report.from().toString(), report.until().toString(),
                    report.complete(), "nearest-rank", report.providers().stream().map(ProviderBody::of).toList());
        }
    }

    record ProviderBody(String provider, long count, long answered, long failed, LatencyBody latencyMs) {
        static ProviderBody of(ProviderStatistics statistics) {
            LatencySummary l = statistics.latency();
            return new ProviderBody(statistics.provider(), l.count(), statistics.answered(), statistics.failed(),
                    new LatencyBody(millis(l.mean()), millis(l.p50()), millis(l.p95()), millis(l.p99()), millis(l.max())));
        }
    }

    record LatencyBody(double mean, double p50, double p95, double p99, double max) {
    }

    /** Milliseconds to two decimals, as the resolve answers write them. */
    private static double millis(Duration duration) {
        return Math.round(duration.toNanos() / 10_000.0) / 100.0;
    }
}
