package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.CheckPropagation;
import dev.dnsdig.application.port.in.ResolveQuery;
import dev.dnsdig.application.port.in.ResolveRecords;
import dev.dnsdig.application.port.in.ResolveReverse;
import dev.dnsdig.domain.dns.Expectation;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.Propagation;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ReverseName;
import java.util.Objects;
import java.util.Optional;

/**
 * Implements the lookups built on one resolution: the reverse (PTR) lookup of an address and the propagation check.
 * Both are a plain {@link ResolveRecords} question plus what the domain makes of its answer.
 */
public final class LookupService implements ResolveReverse, CheckPropagation {
    private final ResolveRecords resolveRecords;

    public LookupService(ResolveRecords resolveRecords) {
        this.resolveRecords = Objects.requireNonNull(resolveRecords, "resolveRecords");
    }

    @Override
    public ReverseResolution resolveReverse(ReverseName reverse, IpFamily family) {
        return new ReverseResolution(reverse,
                resolveRecords.resolve(new ResolveQuery(reverse.name(), RecordType.PTR, family)));
    }

    @Override
    public Propagation checkPropagation(ResolveQuery query, Optional<Expectation> expectation) {
        if (expectation.isPresent() && expectation.get().type() != query.type()) {
            throw new IllegalArgumentException("an expectation of " + expectation.get().type() + " for a "
                    + query.type() + " question");
        }
        return Propagation.of(resolveRecords.resolve(query), expectation);
    }
}
