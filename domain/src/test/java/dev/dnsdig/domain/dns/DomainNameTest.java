package dev.dnsdig.domain.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNameTest {

    private static InvalidValueException rejected(String input) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> DomainName.of(input));
        assertEquals("name", e.field());
        return e;
    }

    private static void assertMessageContains(InvalidValueException e, String fragment) {
        assertTrue(e.getMessage().contains(fragment),
                () -> "expected message to contain '" + fragment + "' but was: " + e.getMessage());
    }

    // --- accepted names -------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "example.com, example.com",
            "example.com., example.com",
            "WWW.Example.COM, www.example.com",
            "WWW.Example.COM., www.example.com",
            "a, a",
            "xn--bcher-kva.example, xn--bcher-kva.example",
            "0-9.a-b.example, 0-9.a-b.example",
    })
    void asciiNamesAreLowerCasedWithoutTrailingDot(String input, String ascii) {
        DomainName name = DomainName.of(input);
        assertEquals(ascii, name.ascii());
        assertEquals(ascii + ".", name.fqdn());
        assertEquals(ascii + ".", name.toString());
    }

    @ParameterizedTest
    @CsvSource({
            "bücher.example, xn--bcher-kva.example, bücher.example",
            "münchen.de, xn--mnchen-3ya.de, münchen.de",
            "BÜCHER.Example., xn--bcher-kva.example, bücher.example",
            "www.bücher.example, www.xn--bcher-kva.example, www.bücher.example",
    })
    void unicodeNamesBecomePunycodeAndRoundTrip(String input, String ascii, String unicode) {
        DomainName name = DomainName.of(input);
        assertEquals(ascii, name.ascii());
        assertEquals(unicode, name.unicode());
        assertEquals(name, DomainName.of(name.unicode()));
        assertEquals(name, DomainName.of(name.ascii()));
    }

    @Test
    void trailingDotIsOptional() {
        assertEquals(DomainName.of("example.com"), DomainName.of("example.com."));
    }

    @Test
    void caseIsFoldedForEquality() {
        assertEquals(DomainName.of("Example.COM"), DomainName.of("example.com"));
        assertEquals(DomainName.of("example.com"), new DomainName("EXAMPLE.com"));
        assertEquals("example.com", new DomainName("EXAMPLE.com").ascii());
    }

    @Test
    void rootIsASingleDot() {
        DomainName root = DomainName.of(".");
        assertSame(DomainName.ROOT, root);
        assertEquals("", root.ascii());
        assertEquals(".", root.fqdn());
        assertEquals(".", root.toString());
        assertEquals(".", root.unicode());
        assertEquals(List.of(), root.labels());
    }

    @Test
    void labelsAreSplitOnDots() {
        assertEquals(List.of("www", "xn--bcher-kva", "example"), DomainName.of("WWW.bücher.example.").labels());
        assertEquals(List.of("localhost"), DomainName.of("localhost").labels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"_dmarc.example.com", "_sip._tcp.example.com", "_25._tcp.mail.example.com."})
    void underscoreLabelsAreAllowed(String input) {
        DomainName name = DomainName.of(input);
        assertEquals(input.endsWith(".") ? input.substring(0, input.length() - 1) : input, name.ascii());
        assertTrue(name.labels().get(0).startsWith("_"));
    }

    @Test
    void wildcardLabelIsAllowed() {
        DomainName name = DomainName.of("*.example.com");
        assertEquals("*.example.com", name.ascii());
        assertEquals("*", name.labels().get(0));
    }

    @Test
    void asteriskInsideALabelIsNotAWildcard() {
        assertMessageContains(rejected("a*.example.com"), "illegal character '*'");
    }

    @Test
    void labelOf63OctetsIsAccepted() {
        String label = "a".repeat(63);
        assertEquals(label + ".example", DomainName.of(label + ".example").ascii());
    }

    @Test
    void labelOf64OctetsIsRejected() {
        InvalidValueException e = rejected("a".repeat(64) + ".example");
        assertMessageContains(e, "64 octets long");
        assertMessageContains(e, "a label has at most 63");
    }

    @Test
    void nameOf253OctetsIsAccepted() {
        String name = nameOfLength(253);
        assertEquals(253, name.length());
        assertEquals(name, DomainName.of(name).ascii());
        assertEquals(name, DomainName.of(name + ".").ascii());
    }

    @Test
    void nameOf254OctetsIsRejected() {
        String name = nameOfLength(254);
        InvalidValueException e = rejected(name);
        assertMessageContains(e, "254 octets long");
        assertMessageContains(e, "a name has at most 253");
        // the trailing dot does not count, but does not save a name that is too long either
        assertMessageContains(rejected(name + "."), "a name has at most 253");
    }

    @Test
    void lengthIsCountedAfterPunycode() {
        String prefix = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."; // 192 octets
        assertEquals(246, DomainName.of(prefix + "d".repeat(40) + ".bücher").ascii().length());
        // Unicode form is 247 characters, but "bücher" is 13 octets as "xn--bcher-kva": 192 + 49 + 13 = 254
        String input = prefix + "d".repeat(48) + ".bücher";
        assertEquals(247, input.length());
        assertMessageContains(rejected(input), "254 octets long");
    }

    private static String nameOfLength(int length) {
        StringBuilder name = new StringBuilder();
        char c = 'a';
        while (name.length() < length) {
            if (name.length() > 0) {
                name.append('.');
            }
            int room = Math.min(63, length - name.length());
            name.append(String.valueOf(c++).repeat(room));
        }
        return name.toString();
    }

    // --- rejected names -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {""})
    void emptyNameIsRejected(String input) {
        assertMessageContains(rejected(input), "must not be empty");
    }

    @Test
    void nullNameIsRejected() {
        assertMessageContains(rejected(null), "must not be empty");
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new DomainName(null));
        assertMessageContains(e, "must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", ".a", "..", "a..", "example.com..", ".example.com."})
    void emptyLabelIsRejected(String input) {
        assertMessageContains(rejected(input), "empty label");
    }

    @Test
    void emptyLabelIsRejectedByTheConstructorToo() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new DomainName("a..b"));
        assertMessageContains(e, "empty label");
        assertThrows(InvalidValueException.class, () -> new DomainName("example.com."));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a b.example|U+0020",
            "a!b.example|'!'",
            "a/b.example|'/'",
            "user@example.com|'@'",
            "a:b.example|':'",
    })
    void illegalCharactersAreRejected(String input, String shown) {
        InvalidValueException e = rejected(input);
        assertMessageContains(e, "illegal character " + shown);
        assertMessageContains(e, "allowed are letters, digits, '-', '_'");
    }

    @Test
    void illegalCharacterMessageNamesTheLabel() {
        assertMessageContains(rejected("www.a!b.example"), "label 'a!b'");
    }

    @Test
    void whitespaceAndControlCharactersInUnicodeLabelsAreRejected() {
        assertMessageContains(rejected("bü cher.example"), "illegal character U+0020");
        assertMessageContains(rejected("bü\tcher.example"), "illegal character U+0009");
        assertMessageContains(rejected("bü\u0007cher.example"), "illegal character U+0007");
    }

    @Test
    void asciiPunctuationInAUnicodeLabelIsRejected() {
        assertMessageContains(rejected("bü!cher.example"), "illegal character '!'");
    }

    @Test
    void invalidInternationalizedLabelIsRejected() {
        // a Unicode label may not carry the ACE prefix itself
        InvalidValueException e = rejected("xn--bü.example");
        assertMessageContains(e, "not a valid internationalized label (IDNA)");
        assertMessageContains(e, "label 'xn--bü'");
    }

    @Test
    void anIdnaRefusalSaysWhyInWordsNotAsTheLibrarysException() {
        // the JDK's refusal is "java.text.ParseException: <why><the label>" (found by OpenApiFuzzTest)
        InvalidValueException prohibited = rejected("\u202Eevil.example");
        assertEquals("label '\u202Eevil' of '\u202Eevil.example' is not a valid internationalized label (IDNA): "
                + "a prohibited code point was found in the input", prohibited.getMessage());
        InvalidValueException bidi = rejected("\u0627a.example");
        assertMessageContains(bidi, "(IDNA): the input does not conform to the rules for BiDi code points");
        for (InvalidValueException e : List.of(prohibited, bidi, rejected("xn--bü.example"))) {
            assertFalse(e.getMessage().contains("java.") || e.getMessage().contains("Exception"), e::getMessage);
        }
    }

    @Test
    void unicodeLabelTooLongAfterPunycodeIsRejected() {
        InvalidValueException e = rejected("ü".repeat(70) + ".example");
        assertTrue(e.getMessage().contains("IDNA") || e.getMessage().contains("a label has at most 63"),
                e::getMessage);
    }

    @Test
    void differentNamesAreNotEqual() {
        assertNotEquals(DomainName.of("example.com"), DomainName.of("example.org"));
    }
}
