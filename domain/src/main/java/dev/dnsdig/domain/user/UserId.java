package dev.dnsdig.domain.user;

import dev.dnsdig.domain.InvalidValueException;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * A user's id: a ULID (26 characters of Crockford base32, 48 bits of milliseconds then 80 random bits), so
 * ids sort by creation time and make stable pagination cursors.
 */
public record UserId(String value) implements Comparable<UserId> {
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    public UserId {
        if (!isValid(value)) {
            throw new InvalidValueException("id", "not a user id: '" + value + "'");
        }
    }

    public static boolean isValid(String value) {
        if (value == null || value.length() != 26 || ALPHABET.indexOf(value.charAt(0)) > 7) {
            return false;
        }
        return value.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    public static UserId generate(Instant now) {
        return new UserId(ulid(now.toEpochMilli(), RANDOM));
    }

    static String ulid(long millis, SecureRandom random) {
        char[] text = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            text[i] = ALPHABET.charAt((int) (time & 31));
            time >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            text[i] = ALPHABET.charAt(random.nextInt(32));
        }
        return new String(text);
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
