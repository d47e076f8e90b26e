package dev.dnsdig.application.port.in;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.RecordType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests of {@link ResolveQuery}: parsing user input into a command. */
class ResolveQueryTest {

    @ParameterizedTest
    @CsvSource({
            "example.com, A, example.com, A",
            "Example.COM., mx, example.com, MX",
            "example.com, 28, example.com, AAAA",
            "example.com, TYPE16, example.com, TXT",
            "example.com, ' soa ', example.com, SOA",
            "., NS, '', NS",
    })
    void parsesNameAndType(String name, String type, String ascii, RecordType expected) {
        ResolveQuery query = ResolveQuery.of(name, type, IpFamily.IPV6);

        assertEquals(new DomainName(ascii), query.name());
        assertEquals(expected, query.type());
        assertEquals(IpFamily.IPV6, query.family());
    }

    @Test
    void turnsUnicodeNamesIntoPunycode() {
        assertEquals("xn--bcher-kva.example", ResolveQuery.of("bücher.example", "A", IpFamily.IPV4).name().ascii());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", ".example.com", "exa mple.com", "ex@mple.com", " example.com"})
    void rejectsBadNamesNamingTheField(String name) {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> ResolveQuery.of(name, "A", IpFamily.IPV4));
        assertEquals("name", e.field());
    }

    @Test
    void rejectsAMissingName() {
        assertEquals("name", assertThrows(InvalidValueException.class,
                () -> ResolveQuery.of(null, "A", IpFamily.IPV4)).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "BOGUS", "TYPE", "TYPE99999", "1234567", "-1", "ANY"})
    void rejectsBadTypesListingTheValidOnes(String type) {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> ResolveQuery.of("example.com", type, IpFamily.IPV4));
        assertEquals("type", e.field());
        assertTrue(e.getMessage().contains("MX"), e.getMessage());
    }

    @Test
    void rejectsAMissingType() {
        assertEquals("type", assertThrows(InvalidValueException.class,
                () -> ResolveQuery.of("example.com", null, IpFamily.IPV4)).field());
    }

    @Test
    void requiresEveryPart() {
        DomainName name = DomainName.of("example.com");
        assertThrows(NullPointerException.class, () -> ResolveQuery.of("example.com", "A", null));
        assertThrows(NullPointerException.class, () -> new ResolveQuery(null, RecordType.A, IpFamily.IPV4));
        assertThrows(NullPointerException.class, () -> new ResolveQuery(name, null, IpFamily.IPV4));
        assertThrows(NullPointerException.class, () -> new ResolveQuery(name, RecordType.A, null));
    }
}
