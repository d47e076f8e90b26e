package dev.dnsdig.domain.user;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of {@link Password}: every broken rule is named, length counts code points. */
class PasswordTest {
    private static final String LENGTH = "must be 8-128 characters";
    private static final String DIGIT = "must contain a digit";
    private static final String UPPER = "must contain an upper-case letter";
    /** U+1F600, one code point but two chars. */
    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void anAcceptablePasswordBreaksNoRule() {
        for (String ok : List.of("Abcdefg1", "Correct-Horse-42", "12345678A", "A" + "1".repeat(127))) {
            assertEquals(List.of(), Password.violations(ok), ok);
            assertDoesNotThrow(() -> Password.check(ok));
        }
    }

    @Test
    void listsEachBrokenRuleInOrder() {
        assertEquals(List.of(DIGIT, UPPER), Password.violations("abcdefgh"));
        assertEquals(List.of(LENGTH), Password.violations("Abc1"));
        assertEquals(List.of(LENGTH, DIGIT), Password.violations("Abc"));
        assertEquals(List.of(LENGTH, UPPER), Password.violations("abc1"));
        assertEquals(List.of(DIGIT), Password.violations("Abcdefgh"));
        assertEquals(List.of(UPPER), Password.violations("abcdefg1"));
        assertEquals(List.of(LENGTH, DIGIT, UPPER), Password.violations(""));
        assertEquals(List.of(LENGTH, DIGIT, UPPER), Password.violations("abc"));
    }

    @Test
    void nullBreaksEveryRule() {
        assertEquals(List.of(LENGTH, DIGIT, UPPER), Password.violations(null));
        assertThrows(InvalidValueException.class, () -> Password.check(null));
    }

    @Test
    void eightToOneHundredTwentyEightCharacters() {
        assertEquals(List.of(), Password.violations("A1" + "a".repeat(6)));
        assertEquals(List.of(LENGTH), Password.violations("A1" + "a".repeat(5)));
        assertEquals(List.of(), Password.violations("A1" + "a".repeat(126)));
        assertEquals(List.of(LENGTH), Password.violations("A1" + "a".repeat(127)));
    }

    @Test
    void lengthCountsCodePointsNotChars() {
        // 7 code points in 12 chars: too short although String.length() is 12
        String seven = "A1" + EMOJI.repeat(5);
        assertEquals(12, seven.length());
        assertEquals(List.of(LENGTH), Password.violations(seven));
        // 8 code points in 14 chars
        assertEquals(List.of(), Password.violations("A1" + EMOJI.repeat(6)));
        // 128 code points in 254 chars: long enough but not too long
        String longest = "A1" + EMOJI.repeat(126);
        assertEquals(254, longest.length());
        assertEquals(List.of(), Password.violations(longest));
        // 129 code points
        assertEquals(List.of(LENGTH), Password.violations("A1" + EMOJI.repeat(127)));
    }

    @Test
    void nonAsciiUpperCaseLettersCount() {
        assertEquals(List.of(), Password.violations("Äbcdefg1"));
        assertEquals(List.of(), Password.violations("ñandú-Ω-99"));
        assertEquals(List.of(), Password.violations("пароль-Ж-12"));
        // U+1D400 MATHEMATICAL BOLD CAPITAL A lies outside the BMP
        assertEquals(List.of(), Password.violations("\uD835\uDC00bcdefg1"));
        // lower-case umlauts and caseless scripts are no upper-case letter
        assertEquals(List.of(UPPER), Password.violations("äöüßäöü1"));
        assertEquals(List.of(UPPER), Password.violations("パスワード12345"));
    }

    @Test
    void checkNamesTheFieldAndEveryBrokenRule() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Password.check("abc"));

        assertEquals("password", e.field());
        assertEquals("password " + LENGTH + ", " + DIGIT + ", " + UPPER, e.getMessage());
    }

    @Test
    void checkNamesOnlyTheBrokenRule() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Password.check("Abcdefgh"));

        assertEquals("password " + DIGIT, e.getMessage());
        assertTrue(!e.getMessage().contains("Abcdefgh"), "the candidate is never echoed");
    }
}
