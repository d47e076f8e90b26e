package dev.dnsdig.domain.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordTypeTest {

    @ParameterizedTest
    @CsvSource({
            "A, 1", "NS, 2", "CNAME, 5", "SOA, 6", "PTR, 12", "MX, 15", "TXT, 16", "AAAA, 28", "SRV, 33",
            "NAPTR, 35", "DS, 43", "DNSKEY, 48", "TLSA, 52", "SVCB, 64", "HTTPS, 65", "CAA, 257",
    })
    void everyTypeHasItsIanaCodeAndParsesInEveryForm(String mnemonic, int code) {
        RecordType type = RecordType.valueOf(mnemonic);
        assertEquals(code, type.code());
        assertEquals(type, RecordType.parse(mnemonic));
        assertEquals(type, RecordType.parse(mnemonic.toLowerCase(Locale.ROOT)));
        assertEquals(type, RecordType.parse(" " + mnemonic + " "));
        assertEquals(type, RecordType.parse(Integer.toString(code)));
        assertEquals(type, RecordType.parse("TYPE" + code));
        assertEquals(type, RecordType.parse("type" + code));
        assertEquals(Optional.of(type), RecordType.ofCode(code));
    }

    @Test
    void thereAreSixteenTypes() {
        assertEquals(16, RecordType.values().length);
        assertEquals(List.of("A", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "AAAA", "SRV", "NAPTR", "DS", "DNSKEY",
                "TLSA", "SVCB", "HTTPS", "CAA"), RecordType.names());
    }

    @ParameterizedTest
    @CsvSource({"mx, MX", "Mx, MX", "dnskey, DNSKEY", "Https, HTTPS", "15, MX", "TYPE65, HTTPS", "type65, HTTPS",
            "0015, MX", "TYPE257, CAA"})
    void parsesCaseInsensitivelyAndNumerically(String input, RecordType expected) {
        assertEquals(expected, RecordType.parse(input));
    }

    @Test
    void unknownCodeGivesEmpty() {
        assertEquals(Optional.empty(), RecordType.ofCode(99));
        assertEquals(Optional.empty(), RecordType.ofCode(0));
        assertEquals(Optional.empty(), RecordType.ofCode(-1));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"FOO", "99", "", "   ", "TYPE", "TYPE99", "TYPEMX", "-15", "123456", "TYPE123456", "A6",
            "ANY", "15.0"})
    void unknownTypesAreRejectedWithTheListOfValidTypes(String input) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> RecordType.parse(input));
        assertEquals("type", e.field());
        assertTrue(e.getMessage().contains("'" + input + "'"), e::getMessage);
        assertTrue(e.getMessage().contains("valid types are " + String.join(", ", RecordType.names())),
                e::getMessage);
    }

    @ParameterizedTest
    @EnumSource(RecordType.class)
    void parseOfNameRoundTrips(RecordType type) {
        assertEquals(type, RecordType.parse(type.name()));
        assertEquals(type, RecordType.ofCode(type.code()).orElseThrow());
    }
}
