package dev.dnsdig.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of {@link IdempotencyKey}: 1-255 visible ASCII characters. */
class IdempotencyKeyTest {
    private static final String RULE = "Idempotency-Key must be 1-255 visible ASCII characters (no spaces)";

    @Test
    void acceptsOneToTwoHundredFiftyFiveVisibleAsciiCharacters() {
        StringBuilder everyVisible = new StringBuilder();
        for (char c = 0x21; c <= 0x7e; c++) {
            everyVisible.append(c);
        }
        for (String valid : List.of("a", "k".repeat(255), "6f1c1e5e-3a0b-4a4f-9d55-0c1f4e1d2b7a", everyVisible.toString(),
                "!", "~")) {
            assertEquals(valid, new IdempotencyKey(valid).value());
            assertEquals(valid, new IdempotencyKey(valid).toString());
        }
        assertEquals(94, everyVisible.length());
    }

    @Test
    void rejectsEmptyTooLongSpacesControlAndNonAsciiCharacters() {
        List<String> invalid = new ArrayList<>(List.of(
                "",
                "k".repeat(256),
                " ",
                "a b",
                " leading",
                "trailing ",
                "tab\there",
                "new\nline",
                "nul\u0000",
                "esc\u001b",
                "del\u007f",
                "caf\u00e9",
                "\u00a0nbsp",
                "emoji\uD83D\uDE00",
                "full\uFF41width"));
        invalid.add(null);
        for (String value : invalid) {
            InvalidValueException e = assertThrows(InvalidValueException.class, () -> new IdempotencyKey(value),
                    String.valueOf(value));
            assertEquals("Idempotency-Key", e.field());
            assertEquals(RULE, e.getMessage());
        }
    }

    @Test
    void equalByValueAndCaseSensitive() {
        assertEquals(new IdempotencyKey("abc"), new IdempotencyKey("abc"));
        assertNotEquals(new IdempotencyKey("abc"), new IdempotencyKey("ABC"));
    }
}
