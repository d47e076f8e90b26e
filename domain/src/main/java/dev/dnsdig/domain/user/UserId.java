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

    /** The last id generated, so ids of one millisecond still sort in the order they were made. */
    private static String last = "";
    private static long lastMillis = Long.MIN_VALUE;

    public static UserId generate(Instant now) {
        long millis = now.toEpochMilli();
        synchronized (UserId.class) {
            // same millisecond: the previous id plus one (ULID's monotonic rule), no random draw; a wrap-around (or
            // another millisecond) takes a random one
            String id = millis == lastMillis ? increment(last).orElse(null) : null;
            if (id == null) {
                id = ulid(millis, RANDOM);
            }
            last = id;
            lastMillis = millis;
            return new UserId(id);
        }
    }

    private static java.util.Optional<String> increment(String ulid) {
        char[] text = ulid.toCharArray();
        for (int i = 25; i >= 10; i--) {
            int digit = ALPHABET.indexOf(text[i]);
            if (digit < 31) {
                text[i] = ALPHABET.charAt(digit + 1);
                return java.util.Optional.of(new String(text));
            }
            text[i] = ALPHABET.charAt(0);
        }
        return java.util.Optional.empty();
    }

    static String ulid(long millis, SecureRandom random) {
        char[] text = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            text[i] = ALPHABET.charAt((int) (time & 31));
            time >>>= 5;
        }
        // 80 random bits drawn at once: one draw from the operating system instead of sixteen
        byte[] bits = new byte[10];
        random.nextBytes(bits);
        int buffer = 0;
        int held = 0;
        int next = 0;
        for (int i = 10; i < 26; i++) {
            if (held < 5) {
                buffer = (buffer << 8) | (bits[next++] & 0xFF);
                held += 8;
            }
            held -= 5;
            text[i] = ALPHABET.charAt((buffer >>> held) & 31);
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
