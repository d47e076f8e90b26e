package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.RecordType;
import java.util.Objects;

/** Command: which name and type to resolve, and over which address family to reach the providers. */
public record ResolveQuery(DomainName name, RecordType type, IpFamily family) {
    public ResolveQuery {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(family, "family");
    }

    /** Parses user input; throws {@link dev.dnsdig.domain.InvalidValueException} naming the broken rule. */
    public static ResolveQuery of(String name, String type, IpFamily family) {
        return new ResolveQuery(DomainName.of(name), dev.dnsdig.domain.dns.RecordType.parse(type), family);
    }
}
