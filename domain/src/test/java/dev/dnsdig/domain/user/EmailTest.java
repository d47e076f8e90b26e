package dev.dnsdig.domain.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of {@link Email}: shape, normalization and the 254-character limit. */
class EmailTest {

    private static void assertRejected(String value) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new Email(value), String.valueOf(value));
        assertEquals("email", e.field());
    }

    @Test
    void acceptsOrdinaryAddresses() {
        for (String value : List.of("alice@example.com", "a@b.co", "first.last+tag@sub.example.org",
                "o'neil@example.co.uk", "x@xn--bcher-kva.example", "müller@bücher.de")) {
            assertEquals(value, new Email(value).value());
        }
    }

    @Test
    void keepsTheCaseAsGivenAndNormalizesToLowerCase() {
        Email email = new Email("Alice.Smith@Example.COM");

        assertEquals("Alice.Smith@Example.COM", email.value());
        assertEquals("Alice.Smith@Example.COM", email.toString());
        assertEquals("alice.smith@example.com", email.normalized());
    }

    @Test
    void stripsSurroundingWhitespace() {
        assertEquals("bob@example.com", new Email("  bob@example.com\t\n").value());
        assertEquals("bob@example.com", new Email("\u2003bob@example.com\u2003").value());
    }

    @Test
    void sameAsIgnoresCase() {
        assertTrue(new Email("Alice@Example.com").sameAs(new Email("alice@EXAMPLE.COM")));
        assertFalse(new Email("alice@example.com").sameAs(new Email("alice@example.org")));
        assertFalse(new Email("alice@example.com").sameAs(new Email("alicia@example.com")));
    }

    @Test
    void normalizationDoesNotDependOnTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
            // in Turkish, "I".toLowerCase() is a dotless i
            assertEquals("info@example.com", new Email("INFO@EXAMPLE.COM").normalized());
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void rejectsEmptyInput() {
        assertRejected(null);
        assertRejected("");
        assertRejected("   ");
        assertRejected("\t\n");
    }

    @Test
    void rejectsWhatDoesNotLookLikeAnAddress() {
        for (String value : List.of("alice", "alice@", "@example.com", "alice@example", "alice@@example.com",
                "alice@bob@example.com", "al ice@example.com", "alice@exa mple.com", "alice@.com", "alice@example.",
                "alice@example..com", "alice.example.com", "alice@example.com.")) {
            assertRejected(value);
        }
    }

    @Test
    void theLocalPartIsAtMost64Characters() {
        assertEquals(64, new Email("a".repeat(64) + "@example.com").value().indexOf('@'));
        assertRejected("a".repeat(65) + "@example.com");
    }

    @Test
    void atMost254Characters() {
        String local = "a".repeat(64) + "@";
        String longest = local + "b".repeat(254 - local.length() - ".com".length()) + ".com";
        String tooLong = local + "b".repeat(255 - local.length() - ".com".length()) + ".com";
        assertEquals(254, longest.length());
        assertEquals(255, tooLong.length());

        assertEquals(longest, new Email(longest).value());
        assertRejected(tooLong);
        // the limit applies after stripping
        assertEquals(longest, new Email("  " + longest + "  ").value());
    }

    @Test
    void theMessageSaysWhatIsExpected() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new Email("nope"));

        assertTrue(e.getMessage().contains("name@example.com"), e.getMessage());
        assertTrue(e.getMessage().contains("254"), e.getMessage());
    }
}
