package dev.dnsdig.domain.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Whether the providers that answered gave the same answer: same status and the same set of records
 * (type and data; TTLs and order do not matter). {@code answerSets} groups providers by what they said.
 */
public record Agreement(boolean allAgree, List<AnswerSet> answerSets) {
    public Agreement {
        answerSets = List.copyOf(answerSets);
    }

    /** One distinct answer and the providers that gave it. */
    public record AnswerSet(DnsStatus status, List<String> records, List<String> providers) {
        public AnswerSet {
            records = List.copyOf(records);
            providers = List.copyOf(providers);
        }
    }

    public static Agreement of(List<ProviderResult> results) {
        Map<List<Object>, List<String>> groups = new LinkedHashMap<>();
        for (ProviderResult result : results) {
            if (result instanceof ProviderResult.Answered answered) {
                DnsResponse response = answered.response();
                List<String> records = new ArrayList<>(new TreeSet<>(
                        response.answers().stream().map(ResourceRecord::identity).toList()));
                groups.computeIfAbsent(List.of(response.status(), records), k -> new ArrayList<>())
                        .add(answered.provider());
            }
        }
        List<AnswerSet> sets = new ArrayList<>();
        groups.forEach((key, providers) -> {
            @SuppressWarnings("unchecked")
            List<String> records = (List<String>) key.get(1);
            sets.add(new AnswerSet((DnsStatus) key.get(0), records, providers));
        });
        return new Agreement(sets.size() == 1, sets);
    }
}
