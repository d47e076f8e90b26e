package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.Resolution;
import dev.dnsdig.domain.dns.ReverseName;
import java.util.Objects;

/** Use case: the PTR records of an IP address's reverse name, from every provider at once. */
public interface ResolveReverse {

    /** Asks every provider, over {@code family}, for the PTR records of {@code reverse}'s name. */
    ReverseResolution resolveReverse(ReverseName reverse, IpFamily family);

    /** Which address, under which name, and what the providers said. */
    record ReverseResolution(ReverseName reverse, Resolution resolution) {
        public ReverseResolution {
            Objects.requireNonNull(reverse, "reverse");
            Objects.requireNonNull(resolution, "resolution");
        }
    }
}
