package dev.dnsdig.domain.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How far one answer has spread: every provider's result, whether they agree and, when an expectation is given, which
 * providers answered as expected ({@code matching}), which answered otherwise ({@code notMatching}: another record set,
 * NXDOMAIN, SERVFAIL) and which gave no answer at all ({@code failed}).
 */
public record Propagation(Resolution resolution, Optional<Expectation> expectation, List<String> matching,
                          List<String> notMatching, List<String> failed) {
    public Propagation {
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(expectation, "expectation");
        matching = List.copyOf(matching);
        notMatching = List.copyOf(notMatching);
        failed = List.copyOf(failed);
    }

    public static Propagation of(Resolution resolution, Optional<Expectation> expectation) {
        List<String> matching = new ArrayList<>();
        List<String> notMatching = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (ProviderResult result : resolution.results()) {
            switch (result) {
                case ProviderResult.Answered answered when expectation.isPresent() ->
                        (expectation.get().matches(answered.response()) ? matching : notMatching).add(answered.provider());
                case ProviderResult.Answered ignored -> {
                    // without an expectation there is nothing to match: agreement says it all
                }
                case ProviderResult.Failed f -> failed.add(f.provider());
            }
        }
        return new Propagation(resolution, expectation, matching, notMatching, failed);
    }

    /**
     * With an expectation: at least one provider answered and every one that answered matches (a provider that gave
     * no answer says nothing either way). Without one: every provider that answered gave the same answer.
     */
    public boolean propagated() {
        if (resolution.answeredCount() == 0) {
            return false;
        }
        return expectation.isPresent() ? notMatching.isEmpty() : resolution.agreement().allAgree();
    }
}
