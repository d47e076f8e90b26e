package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.domain.user.UserId;
import java.util.List;

/**
 * Use case: remember what a user looked up, one record per provider result. Returns at once and never fails the
 * lookup: the records are written later on another thread, and dropped (and counted) when too many are waiting.
 */
public interface RecordLookups {
    void record(UserId user, List<LookupResult> results);
}
