package dev.dnsdig.domain.user;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.UlidGenerator;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * A user's id: a ULID (26 characters of Crockford base32, 48 bits of milliseconds then 80 random bits), so
 * ids sort by creation time and make stable pagination cursors.
 */
public record UserId(String value) implements Comparable<UserId> {
    private static final String ALPHABET = UlidGenerator.ALPHABET;
    private static final SecureRandom RANDOM = new SecureRandom();

    public UserId {
        if (!isValid(value)) {
            throw new InvalidValueException("id", "not a user id: '" + value + "'");
        }
    }

    /** Each character's value in {@link #ALPHABET}, -1 for any other: checked on every id made or read. */
    private static final byte[] DIGITS = new byte[128];

    static {
        java.util.Arrays.fill(DIGITS, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGITS[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    public static boolean isValid(String value) {
        if (value == null || value.length() != 26) {
            return false;
        }
        for (int i = 0; i < 26; i++) {
            char c = value.charAt(i);
            if (c >= 128 || DIGITS[c] < 0) {
                return false;
            }
        }
        return DIGITS[value.charAt(0)] <= 7; // 48 bits of time: the first character holds only three
    }

    /** User ids are made rarely: their random bits come from the operating system's secure source. */
    private static final UlidGenerator IDS = new UlidGenerator(RANDOM::nextBytes);

    public static UserId generate(Instant now) {
        return new UserId(IDS.next(now));
    }

    static String ulid(long millis, SecureRandom random) {
        return UlidGenerator.of(millis, random::nextBytes);
    }

    @Override
    public int compareTo(UserId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
