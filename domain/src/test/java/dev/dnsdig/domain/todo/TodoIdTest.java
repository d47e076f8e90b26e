package dev.dnsdig.domain.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tests of {@link TodoId}: ULIDs, so todo ids sort by creation time. */
class TodoIdTest {
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /** The milliseconds in the first ten characters, decoded independently of the code under test. */
    private static long timeOf(TodoId id) {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = millis * 32 + CROCKFORD.indexOf(id.value().charAt(i));
        }
        return millis;
    }

    @Test
    void generatedIdsAreValidUlids() {
        Instant now = Instant.parse("2025-03-01T12:34:56.789Z");
        TodoId id = TodoId.generate(now);

        assertEquals(26, id.value().length());
        assertTrue(id.value().chars().allMatch(c -> CROCKFORD.indexOf(c) >= 0), id.value());
        assertTrue(TodoId.isValid(id.value()));
        assertEquals(now.toEpochMilli(), timeOf(id));
        assertEquals(id.value(), id.toString());
    }

    @Test
    void generatedIdsAreUniqueWithinOneMillisecond() {
        Instant now = Instant.parse("2025-03-01T12:00:00Z");
        Set<TodoId> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(TodoId.generate(now));
        }

        assertEquals(100, ids.size());
    }

    @Test
    void generatedIdsSortByCreationTime() {
        Instant start = Instant.parse("2020-01-01T00:00:00Z");
        List<String> inOrderOfCreation = new ArrayList<>();
        for (long step : new long[] {0, 1, 2, 31, 32, 1_000, 86_400_000L, 10L * 365 * 86_400_000L}) {
            inOrderOfCreation.add(TodoId.generate(start.plusMillis(step)).value());
        }
        List<String> sorted = new ArrayList<>(inOrderOfCreation);
        Collections.shuffle(sorted, new Random(7));
        Collections.sort(sorted);

        assertEquals(inOrderOfCreation, sorted);
    }

    @Test
    void acceptsValidIds() {
        for (String valid : List.of("01ARYZ6S41TSV4RRFFQ69G5FAV", "00000000000000000000000000", "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")) {
            assertTrue(TodoId.isValid(valid), valid);
            assertEquals(valid, new TodoId(valid).value());
        }
    }

    @Test
    void rejectsWhatIsNotAUlid() {
        List<String> invalid = new ArrayList<>(List.of(
                "",
                "01ARYZ6S41TSV4RRFFQ69G5FA",    // 25 characters
                "01ARYZ6S41TSV4RRFFQ69G5FAVX",  // 27 characters
                "01aryz6s41tsv4rrffq69g5fav",   // lower case
                "01ARYZ6S41TSV4RRFFQ69G5FAU",   // U is not Crockford
                "81ARYZ6S41TSV4RRFFQ69G5FAV",   // more than 48 bits of time
                " 1ARYZ6S41TSV4RRFFQ69G5FAV",
                "01ARYZ6S41TSV4RRFFQ69G5FÄV",
                "../../etc/passwd"));
        invalid.add(null);
        for (String value : invalid) {
            assertFalse(TodoId.isValid(value), String.valueOf(value));
            InvalidValueException e = assertThrows(InvalidValueException.class, () -> new TodoId(value), String.valueOf(value));
            assertEquals("id", e.field());
            assertEquals("not a todo id: '" + value + "'", e.getMessage());
        }
    }

    @Test
    void equalByValue() {
        assertEquals(new TodoId("01ARYZ6S41TSV4RRFFQ69G5FAV"), new TodoId("01ARYZ6S41TSV4RRFFQ69G5FAV"));
        assertNotEquals(new TodoId("01ARYZ6S41TSV4RRFFQ69G5FAV"), new TodoId("01ARYZ6S41TSV4RRFFQ69G5FAW"));
    }
}
