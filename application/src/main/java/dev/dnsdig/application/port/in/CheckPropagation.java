package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.dns.Expectation;
import dev.dnsdig.domain.dns.Propagation;
import java.util.Optional;

/** Use case: whether every provider already gives one answer, or the expected one, for a name and type. */
public interface CheckPropagation {

    /** Resolves {@code query} at every provider and compares what each said with {@code expectation}, if any. */
    Propagation checkPropagation(ResolveQuery query, Optional<Expectation> expectation);
}
