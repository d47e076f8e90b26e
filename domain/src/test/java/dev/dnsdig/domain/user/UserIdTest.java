package dev.dnsdig.domain.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tests of {@link UserId}: ULIDs in Crockford base32 that sort by creation time. */
class UserIdTest {
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /** A random source that always draws the same symbol, so the random part is known. */
    private static SecureRandom constant(int symbol) {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                // the 5-bit symbol over and over, most significant bit first
                for (int bit = 0; bit < bytes.length * 8; bit++) {
                    if ((symbol >>> (4 - bit % 5) & 1) == 1) {
                        bytes[bit / 8] |= (byte) (0x80 >>> (bit % 8));
                    }
                }
            }
        };
    }

    /** The milliseconds in the first ten characters, decoded independently of the code under test. */
    private static long timeOf(UserId id) {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = millis * 32 + CROCKFORD.indexOf(id.value().charAt(i));
        }
        return millis;
    }

    @Test
    void generatedIdsAre26CrockfordCharacters() {
        UserId id = UserId.generate(Instant.parse("2025-03-01T12:00:00Z"));

        assertEquals(26, id.value().length());
        assertTrue(id.value().chars().allMatch(c -> CROCKFORD.indexOf(c) >= 0), id.value());
        assertTrue(UserId.isValid(id.value()));
        assertEquals(id.value(), id.toString());
    }

    @Test
    void theFirstTenCharactersAreTheMilliseconds() {
        Instant now = Instant.parse("2025-03-01T12:34:56.789Z");

        assertEquals(now.toEpochMilli(), timeOf(UserId.generate(now)));
    }

    @Test
    void knownVectorsOfTheUlidSpecification() {
        // the time part of the example in the ULID specification
        assertEquals("01ARYZ6S41", UserId.ulid(1469918176385L, constant(0)).substring(0, 10));
        assertEquals("00000000000000000000000000", UserId.ulid(0, constant(0)));
        assertEquals("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", UserId.ulid((1L << 48) - 1, constant(31)));
        // 10101 and 01010: each symbol takes exactly its own five bits of the random draw, in order
        assertEquals("0000000000NNNNNNNNNNNNNNNN", UserId.ulid(0, constant(21)));
        assertEquals("0000000000AAAAAAAAAAAAAAAA", UserId.ulid(0, constant(10)));
    }

    @Test
    void theLastSixteenCharactersAreRandom() {
        Instant now = Instant.parse("2025-03-01T12:00:00Z");
        Set<String> randomParts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            UserId id = UserId.generate(now);
            assertEquals(now.toEpochMilli(), timeOf(id));
            randomParts.add(id.value().substring(10));
        }
        assertEquals(100, randomParts.size(), "80 random bits never repeat in 100 draws");
    }

    @Test
    void idsSortByCreationTime() {
        Instant start = Instant.parse("2020-01-01T00:00:00Z");
        List<UserId> inOrderOfCreation = new ArrayList<>();
        for (long step : new long[] {0, 1, 2, 31, 32, 1_000, 86_400_000L, 10L * 365 * 86_400_000L}) {
            inOrderOfCreation.add(UserId.generate(start.plusMillis(step)));
        }
        List<UserId> sorted = new ArrayList<>(inOrderOfCreation);
        java.util.Collections.shuffle(sorted, new java.util.Random(7));
        sorted.sort(null);

        assertEquals(inOrderOfCreation, sorted);
    }

    @Test
    void compareToFollowsTheTextualOrder() {
        UserId earlier = new UserId("01ARYZ6S41TSV4RRFFQ69G5FAV");
        UserId later = new UserId("01ARYZ6S42AAAAAAAAAAAAAAAA");

        assertTrue(earlier.compareTo(later) < 0);
        assertTrue(later.compareTo(earlier) > 0);
        assertEquals(0, earlier.compareTo(new UserId("01ARYZ6S41TSV4RRFFQ69G5FAV")));
    }

    @Test
    void acceptsValidIds() {
        for (String valid : List.of("01ARYZ6S41TSV4RRFFQ69G5FAV", "00000000000000000000000000",
                "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")) {
            assertTrue(UserId.isValid(valid), valid);
            assertEquals(valid, new UserId(valid).value());
        }
    }

    @Test
    void theFirstCharacterIsAtMostSeven() {
        // 48 bits of time leave 3 bits for the first of 26 5-bit symbols
        for (char first : "01234567".toCharArray()) {
            assertTrue(UserId.isValid(first + "1ARYZ6S41TSV4RRFFQ69G5FAV"), String.valueOf(first));
        }
        for (char first : "89ABCDEFGHJKMNPQRSTVWXYZ".toCharArray()) {
            assertFalse(UserId.isValid(first + "1ARYZ6S41TSV4RRFFQ69G5FAV"), String.valueOf(first));
        }
    }

    @Test
    void rejectsWhatIsNotAUlid() {
        List<String> invalid = new ArrayList<>(List.of(
                "",
                "01ARYZ6S41TSV4RRFFQ69G5FA",    // 25 characters
                "01ARYZ6S41TSV4RRFFQ69G5FAVX",  // 27 characters
                "01aryz6s41tsv4rrffq69g5fav",   // lower case
                "01ARYZ6S41TSV4RRFFQ69G5FAI",   // I is not Crockford
                "01ARYZ6S41TSV4RRFFQ69G5FAL",   // L is not Crockford
                "01ARYZ6S41TSV4RRFFQ69G5FAO",   // O is not Crockford
                "01ARYZ6S41TSV4RRFFQ69G5FAU",   // U is not Crockford
                "01ARYZ6S41TSV4RRFFQ69G5FA-",
                " 1ARYZ6S41TSV4RRFFQ69G5FAV",
                "-1ARYZ6S41TSV4RRFFQ69G5FAV",
                "01ARYZ6S41TSV4RRFFQ69G5FÄV"));
        invalid.add(null);
        for (String value : invalid) {
            assertFalse(UserId.isValid(value), String.valueOf(value));
            InvalidValueException e = assertThrows(InvalidValueException.class, () -> new UserId(value),
                    String.valueOf(value));
            assertEquals("id", e.field());
        }
    }

    @Test
    void theMessageQuotesTheRejectedValue() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new UserId("nope"));

        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void equalByValue() {
        assertEquals(new UserId("01ARYZ6S41TSV4RRFFQ69G5FAV"), new UserId("01ARYZ6S41TSV4RRFFQ69G5FAV"));
        assertNotEquals(new UserId("01ARYZ6S41TSV4RRFFQ69G5FAV"), new UserId("01ARYZ6S41TSV4RRFFQ69G5FAW"));
    }

    @Test
    void idsOfOneMillisecondSortInTheOrderTheyWereMade() {
        Instant now = Instant.parse("2026-05-06T07:08:09.010Z");
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            made.add(UserId.generate(now).value());
        }

        assertEquals(made, made.stream().sorted().toList());
        assertEquals(1_000, new HashSet<>(made).size());
        assertTrue(made.stream().allMatch(id -> timeOf(new UserId(id)) == now.toEpochMilli()));
    }

    @Test
    void anEarlierInstantStillGetsAnEarlierId() {
        Instant later = Instant.parse("2026-05-06T07:08:09.010Z");
        UserId first = UserId.generate(later);
        UserId earlier = UserId.generate(later.minusMillis(1));

        assertTrue(earlier.compareTo(first) < 0);
        assertEquals(later.toEpochMilli() - 1, timeOf(earlier));
    }
}
