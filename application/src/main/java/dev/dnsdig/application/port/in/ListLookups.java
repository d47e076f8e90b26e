package dev.dnsdig.application.port.in;

import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.util.Optional;

/** Use case: a user's own lookup history, newest first, a page at a time. */
public interface ListLookups {
    int MAX_PAGE = 100;
    /** How long lookups are kept; older ones are never listed, whether or not a store has removed them yet. */
    Duration RETENTION = Duration.ofDays(30);

    Page<Lookup> list(UserId owner, Optional<LookupId> after, int limit);
}
