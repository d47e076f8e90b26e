package dev.dnsdig.domain.history;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;

/** A recorded lookup's id: a ULID like user ids, so ids sort by the time of the lookup and serve as cursors. */
public record LookupId(String value) implements Comparable<LookupId> {
    public LookupId {
        if (!isValid(value)) {
            throw new InvalidValueException("id", "not a lookup id: '" + value + "'");
        }
    }

    public static boolean isValid(String value) {
        return UserId.isValid(value);
    }

    public static LookupId generate(Instant now) {
        return new LookupId(UserId.generate(now).value());
    }

    @Override
    public int compareTo(LookupId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
