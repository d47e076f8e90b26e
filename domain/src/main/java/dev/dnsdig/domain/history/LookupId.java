package dev.dnsdig.domain.history;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.UlidGenerator;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * Thousands are made a second, one per provider of every signed-in lookup: their random bits come from the
     * thread's own generator. The secure source has one lock, on which request threads queued under load; a lookup id
     * is a cursor, not a secret, and its random bits only keep ids of different instances apart.
     */
    private static final UlidGenerator IDS = new UlidGenerator(bits -> ThreadLocalRandom.current().nextBytes(bits));

    public static LookupId generate(Instant now) {
        return new LookupId(IDS.next(now));
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
