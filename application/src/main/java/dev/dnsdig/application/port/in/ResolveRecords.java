package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.dns.Resolution;

/** Use case: ask every configured provider for the records of one name and type, concurrently. */
public interface ResolveRecords {
    Resolution resolve(ResolveQuery query);
}
