package dev.dnsdig.adapters.rest.resolve;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dnsdig.domain.dns.Agreement;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.HeaderFlags;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.Resolution;
import dev.dnsdig.domain.dns.ResourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shapes of resolution answers. Mapped by hand: the domain's sealed types map with a pattern
 * switch, which is clearer here than generated mappers with a subclass mapping per variant.
 */
public final class ResolutionJson {
    private ResolutionJson() {
    }

    /**
     * {@code GET /v1/resolve/{name}/{type}}: each provider's result plus a summary; {@code source}, not written, is
     * the resolution it shows, for what reads the response afterwards (the lookup history) without parsing it back.
     */
    public record ResolutionBody(String name, String unicodeName, String type, int ipVersion, double elapsedMs,
                                 Summary summary, List<ProviderBody> providers, @JsonIgnore Resolution source) {
    }

    /** {@code GET /v1/resolve/{name}}: one resolution per everyday type, keyed by type. */
    public record OverviewBody(String name, String unicodeName, int ipVersion, double elapsedMs,
                               Map<String, ResolutionBody> types) {
    }

    /** Whether the providers agree, and who said what. */
    public record Summary(int providers, int answered, int failed, boolean agree, List<AnswerSet> answerSets) {
    }

    public record AnswerSet(String status, List<String> records, List<String> providers) {
    }

    /**
     * One provider's part: an answer (status, flags, records; {@code cached}: from our cache, TTLs counted down) or a
     * failure (kind and message).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProviderBody(String provider, String outcome, String status, Flags flags, String server,
                               String transport, Boolean cached, double elapsedMs, List<RecordBody> answers,
                               List<RecordBody> authority, String failure, String error, List<String> serversTried) {
    }

    public record Flags(boolean aa, boolean tc, boolean rd, boolean ra, boolean ad, boolean cd) {
    }

    /** A record: presentation {@code data} and the typed {@code rdata} fields of its type. */
    public record RecordBody(String name, String type, long ttl, String data, RecordData rdata) {
    }

    static ResolutionBody of(Resolution resolution) {
        List<ProviderResult> results = resolution.results();
        int answered = (int) resolution.answeredCount();
        Agreement agreement = resolution.agreement();
        // loops rather than streams: this shapes every answer (streams here were ~3 % of a loaded server's CPU)
        List<AnswerSet> sets = new ArrayList<>(agreement.answerSets().size());
        for (Agreement.AnswerSet set : agreement.answerSets()) {
            sets.add(new AnswerSet(set.status().name(), set.records(), set.providers()));
        }
        Summary summary = new Summary(results.size(), answered, results.size() - answered, agreement.allAgree(), sets);
        List<ProviderBody> providers = new ArrayList<>(results.size());
        for (ProviderResult result : results) {
            providers.add(provider(result));
        }
        return new ResolutionBody(resolution.name().fqdn(), unicodeName(resolution), resolution.type().name(),
                ipVersion(resolution.family()), millis(resolution.elapsed()), summary, providers, resolution);
    }

    static OverviewBody overview(List<Resolution> resolutions) {
        Resolution first = resolutions.get(0);
        Map<String, ResolutionBody> types = new LinkedHashMap<>();
        Duration longest = Duration.ZERO;
        for (Resolution resolution : resolutions) {
            types.put(resolution.type().name(), of(resolution));
            longest = resolution.elapsed().compareTo(longest) > 0 ? resolution.elapsed() : longest;
        }
        return new OverviewBody(first.name().fqdn(), unicodeName(first), ipVersion(first.family()), millis(longest), types);
    }

    private static ProviderBody provider(ProviderResult result) {
        return switch (result) {
            case ProviderResult.Answered answered -> {
                DnsResponse response = answered.response();
                HeaderFlags f = response.flags();
                yield new ProviderBody(answered.provider(), "answered", response.status().name(),
                        new Flags(f.authoritative(), f.truncated(), f.recursionDesired(), f.recursionAvailable(),
                                f.authenticData(), f.checkingDisabled()),
                        response.server().toString(), lower(response.transport()), answered.cached(),
                        millis(response.elapsed()),
                        records(response.answers()), records(response.authority()), null, null, null);
            }
            case ProviderResult.Failed failed -> new ProviderBody(failed.provider(), "failed", null, null, null, null,
                    null, millis(failed.elapsed()), null, null, lower(failed.failure()), failed.error(),
                    failed.servers().stream().map(Object::toString).toList());
        };
    }

    private static List<RecordBody> records(List<ResourceRecord> records) {
        List<RecordBody> bodies = new ArrayList<>(records.size());
        for (ResourceRecord r : records) {
            bodies.add(new RecordBody(r.name(), r.type(), r.ttl(), r.data(), r.typed()));
        }
        return bodies;
    }

    private static String unicodeName(Resolution resolution) {
        String unicode = resolution.name().unicode();
        return unicode.endsWith(".") ? unicode : unicode + ".";
    }

    static int ipVersion(IpFamily family) {
        return family == IpFamily.IPV6 ? 6 : 4;
    }

    private static double millis(Duration duration) {
        return Math.round(duration.toNanos() / 10_000.0) / 100.0;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
