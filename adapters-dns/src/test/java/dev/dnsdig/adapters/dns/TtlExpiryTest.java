package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * An entry's life counts from when its answer was stored, whenever Caffeine asks: for a loaded entry it asks in the
 * completion callback, which may run after a test (or a slow machine) has moved time on.
 */
class TtlExpiryTest {
    private record Entry(long storedAt, long lifeNanos) {
    }

    private final TtlExpiry<String, Entry> expiry = new TtlExpiry<>(Entry::storedAt, Entry::lifeNanos);

    @Test
    void whatIsLeftOfTheLifeFromWhenTheAnswerWasStored() {
        Entry sixtySeconds = new Entry(1_000, 60_000_000_000L);
        assertEquals(60_000_000_000L, expiry.expireAfterCreate("k", sixtySeconds, 1_000));
        // asked 59 s after it was stored: one second left, not sixty
        assertEquals(1_000_000_000L, expiry.expireAfterUpdate("k", sixtySeconds, 1_000 + 59_000_000_000L, Long.MAX_VALUE));
        assertEquals(0, expiry.expireAfterCreate("k", sixtySeconds, 1_000 + 61_000_000_000L), "over: gone at once");
    }

    @Test
    void anEntryNotToBeKeptIsGoneAtOnceAndReadingNeverProlongsOne() {
        assertEquals(0, expiry.expireAfterCreate("k", new Entry(5, 0), 5));
        assertEquals(42, expiry.expireAfterRead("k", new Entry(5, 60), 50, 42));
    }
}
