package dev.dnsdig.domain.history;

import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;

/** One provider's result for one question a user asked, kept in that user's lookup history. */
public record Lookup(LookupId id, UserId user, Instant at, LookupResult result) {
    public Lookup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(result, "result");
    }

    public boolean ownedBy(UserId owner) {
        return user.equals(owner);
    }
}
