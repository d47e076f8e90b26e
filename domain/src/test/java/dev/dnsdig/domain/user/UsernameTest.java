package dev.dnsdig.domain.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsdig.domain.InvalidValueException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of {@link Username}: 3-50 ASCII letters and digits, unique regardless of case. */
class UsernameTest {

    private static void assertRejected(String value) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new Username(value),
                String.valueOf(value));
        assertEquals("username", e.field());
        assertEquals("username must be 3-50 letters or digits", e.getMessage());
    }

    @Test
    void acceptsAsciiLettersAndDigits() {
        for (String value : List.of("abc", "ABC", "a1B2c3", "007", "Zz9", "alice", "Alice2025")) {
            assertEquals(value, new Username(value).value());
            assertEquals(value, new Username(value).toString());
        }
    }

    @Test
    void threeToFiftyCharacters() {
        assertEquals(3, new Username("abc").value().length());
        assertEquals(50, new Username("a".repeat(50)).value().length());
        assertRejected("ab");
        assertRejected("a".repeat(51));
        assertRejected("");
        assertRejected(null);
    }

    @Test
    void rejectsEverythingButAsciiLettersAndDigits() {
        for (String value : List.of("ali ce", "ali_ce", "ali-ce", "ali.ce", "alice!", "alice@x", " alice", "alice ",
                "jürgen", "ÄBC", "ﬁne", "ａｂｃ", "abc٣", "abc\u0000", "abc\n", "日本語ユーザ")) {
            assertRejected(value);
        }
    }

    @Test
    void normalizedIsLowerCase() {
        assertEquals("alice42", new Username("AlIcE42").normalized());
        assertEquals(new Username("ALICE").normalized(), new Username("alice").normalized());
        assertNotEquals(new Username("ALICE"), new Username("alice"), "kept as given; uniqueness uses normalized()");
    }

    @Test
    void normalizationDoesNotDependOnTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
            assertEquals("imir", new Username("IMIR").normalized());
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
