package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.Resolution;
import java.util.List;

/** Use case: the everyday records of a name (A, AAAA, MX, TXT, SOA) from every provider at once. */
public interface ResolveOverview {
    List<RecordType> TYPES = List.of(RecordType.A, RecordType.AAAA, RecordType.MX, RecordType.TXT, RecordType.SOA);

    /** One resolution per type of {@link #TYPES}, in that order. */
    List<Resolution> overview(DomainName name, IpFamily family);
}
