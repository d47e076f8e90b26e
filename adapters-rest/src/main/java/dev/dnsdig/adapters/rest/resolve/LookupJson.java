package dev.dnsdig.adapters.rest.resolve;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemMappers;
import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import dev.dnsdig.application.port.in.ResolveBatch;
import dev.dnsdig.application.port.in.ResolveBatch.BatchResult;
import dev.dnsdig.application.port.in.ResolveReverse.ReverseResolution;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.Propagation;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.ResourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The JSON shapes of the lookups built on a resolution: reverse, propagation and bulk. Each embeds {@link ResolutionJson}. */
public final class LookupJson {
    private LookupJson() {
    }

    /** {@code GET /v1/reverse/{ip}}: the address, its reverse name, the host names found, and the resolution. */
    public record ReverseBody(String ip, String reverseName, List<String> names, ResolutionJson.ResolutionBody resolution) {
    }

    /**
     * {@code GET /v1/propagation/{name}/{type}}: whether the providers agree and, with {@code expect}, which match it.
     * {@code expected}, {@code matching}, {@code notMatching} and {@code propagated} only with {@code expect}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PropagationBody(String name, String type, int ipVersion, boolean agree, List<String> expected,
                                  Boolean propagated, List<String> matching, List<String> notMatching,
                                  List<String> failed, ResolutionJson.ResolutionBody resolution) {
    }

    /**
     * {@code POST /v1/resolve/bulk}: {@code {"queries": [{"name": ..., "type": ...}, ...], "ipVersion": 4}}. Each
     * question counts as one request against the caller's rate limit (one over the limit: 429 for the batch).
     */
    public record BulkRequest(List<BulkQuestion> queries, Integer ipVersion) implements RateLimited.Batch {
        @Override
        public int requests() {
            // a batch over the limit is refused unasked: it counts as the one request it is
            return queries == null || queries.size() > ResolveBatch.MAX_QUESTIONS ? 1 : Math.max(1, queries.size());
        }
    }

    /** One question of a batch, as written. */
    public record BulkQuestion(String name, String type) {
    }

    /** The results, one per question in the order asked; counts of how many were asked and how many rejected. */
    public record BulkBody(int ipVersion, double elapsedMs, int count, int resolved, int rejected, List<BulkItem> results) {
    }

    /** One question's result: its {@code resolution}, or the {@code problem} that kept it from being asked. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BulkItem(int index, String name, String type, ResolutionJson.ResolutionBody resolution, Problem problem) {
    }

    static ReverseBody reverse(ReverseResolution reverse) {
        TreeSet<String> names = new TreeSet<>();
        for (ProviderResult result : reverse.resolution().results()) {
            if (result instanceof ProviderResult.Answered answered) {
                DnsResponse response = answered.response();
                response.answers().stream().map(ResourceRecord::typed).filter(RecordData.Ptr.class::isInstance)
                        .map(ptr -> ((RecordData.Ptr) ptr).target().toLowerCase(Locale.ROOT)).forEach(names::add);
            }
        }
        return new ReverseBody(reverse.reverse().address(), reverse.reverse().name().fqdn(), List.copyOf(names),
                ResolutionJson.of(reverse.resolution()));
    }

    static PropagationBody propagation(Propagation propagation) {
        var resolution = propagation.resolution();
        boolean expecting = propagation.expectation().isPresent();
        return new PropagationBody(resolution.name().fqdn(), resolution.type().name(),
                ResolutionJson.ipVersion(resolution.family()), resolution.agreement().allAgree(),
                propagation.expectation().map(e -> List.copyOf(new TreeSet<>(e.values()))).orElse(null),
                expecting ? propagation.propagated() : null, expecting ? propagation.matching() : null,
                expecting ? propagation.notMatching() : null, propagation.failed(), ResolutionJson.of(resolution));
    }

    static BulkBody bulk(List<BatchResult> results, int ipVersion, Duration elapsed) {
        List<BulkItem> items = new ArrayList<>(results.size());
        int resolved = 0;
        for (BatchResult result : results) {
            String name = result.question().name();
            String type = result.question().type();
            items.add(switch (result) {
                case BatchResult.Resolved r -> {
                    resolved++;
                    yield new BulkItem(items.size(), name, type, ResolutionJson.of(r.resolution()), null);
                }
                case BatchResult.Rejected r -> new BulkItem(items.size(), name, type, null,
                        ProblemMappers.InvalidValues.problem(new InvalidValueException(r.field(), r.message())));
            });
        }
        return new BulkBody(ipVersion, Math.round(elapsed.toNanos() / 10_000.0) / 100.0, results.size(), resolved,
                results.size() - resolved, items);
    }
}
