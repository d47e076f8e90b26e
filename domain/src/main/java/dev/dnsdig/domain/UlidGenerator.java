package dev.dnsdig.domain;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes ULIDs (26 characters of Crockford base32: 48 bits of milliseconds, then 80 random bits), so ids sort by the
 * time they were made. Ids of one millisecond are the previous id plus one (ULID's monotonic rule), so they still sort
 * in the order they were made; a new millisecond (or a wrap-around) draws new random bits.
 *
 * <p>Without a lock: thousands of ids a second are made on virtual threads, and a monitor here made some of them wait
 * behind the others for up to seconds under load (thread dumps: dozens of request threads blocked on it).
 */
public final class UlidGenerator {
    /** Crockford's base32 digits, in order of value. */
    public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /** Where the 80 random bits come from: fills the array it is given. */
    @FunctionalInterface
    public interface RandomBits {
        void fill(byte[] bits);
    }

    private final RandomBits random;
    private final AtomicReference<Ulid> last = new AtomicReference<>(new Ulid(Long.MIN_VALUE, 0, 0));

    public UlidGenerator(RandomBits random) {
        this.random = random;
    }

    public String next(Instant now) {
        long millis = now.toEpochMilli();
        Ulid drawn = null;
        while (true) {
            Ulid previous = last.get();
            Ulid next = millis == previous.millis() ? previous.plusOne() : null;
            if (next == null) {
                // drawn at most once, however often another thread gets ahead of this one
                next = drawn != null ? drawn : (drawn = Ulid.random(millis, random));
            }
            if (last.compareAndSet(previous, next)) {
                return next.text();
            }
        }
    }

    /** A ULID of these milliseconds and random bits from this source: a fresh one, not following any other. */
    public static String of(long millis, RandomBits random) {
        return Ulid.random(millis, random).text();
    }

    /** 48 bits of milliseconds, then 80 random bits: {@code high} holds the first 16 of them, {@code low} the rest. */
    record Ulid(long millis, long high, long low) {
        static Ulid random(long millis, RandomBits random) {
            byte[] bits = new byte[10];
            random.fill(bits);
            long low = 0;
            for (int i = 2; i < 10; i++) {
                low = (low << 8) | (bits[i] & 0xFF);
            }
            return new Ulid(millis, ((bits[0] & 0xFF) << 8) | (bits[1] & 0xFF), low);
        }

        /** The next id of the same millisecond, or null when the 80 bits are all ones. */
        Ulid plusOne() {
            if (low != -1L) {
                return new Ulid(millis, high, low + 1);
            }
            return high == 0xFFFF ? null : new Ulid(millis, high + 1, 0);
        }

        String text() {
            char[] text = new char[26];
            long time = millis;
            for (int i = 9; i >= 0; i--) {
                text[i] = ALPHABET.charAt((int) (time & 31));
                time >>>= 5;
            }
            for (int i = 10; i < 26; i++) {
                int shift = 75 - 5 * (i - 10); // the symbol's lowest bit among the 80
                long symbol = shift >= 64 ? high >>> (shift - 64) : (low >>> shift) | (shift > 59 ? high << (64 - shift) : 0);
                text[i] = ALPHABET.charAt((int) (symbol & 31));
            }
            return new String(text);
        }
    }
}
