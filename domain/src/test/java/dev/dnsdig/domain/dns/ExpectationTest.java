package dev.dnsdig.domain.dns;

import static dev.dnsdig.domain.dns.Fixtures.a;
import static dev.dnsdig.domain.dns.Fixtures.cname;
import static dev.dnsdig.domain.dns.Fixtures.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpectationTest {

    private static ResourceRecord aaaa(String address) {
        return new ResourceRecord("example.com.", "AAAA", 60, address, new RecordData.Aaaa(address));
    }

    private static ResourceRecord txt(String... strings) {
        return new ResourceRecord("example.com.", "TXT", 60, "\"" + String.join("\" \"", strings) + "\"",
                RecordData.Txt.of(List.of(strings)));
    }

    private static ResourceRecord mx(int preference, String exchange) {
        return new ResourceRecord("example.com.", "MX", 60, preference + " " + exchange, new RecordData.Mx(preference, exchange));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "A     | 192.0.2.1                  | 192.0.2.1",
            "AAAA  | 2001:DB8:0:0::1            | 2001:db8::1",
            "AAAA  | ::ffff:192.0.2.1           | ::ffff:c000:201",
            "CNAME | WWW.Example.COM            | www.example.com.",
            "CNAME | www.example.com.           | www.example.com.",
            "PTR   | bücher.example             | xn--bcher-kva.example.",
            "MX    | 10  Mail.Example.com.      | 10 mail.example.com",
            "TXT   | '\"v=spf1 -all\"'          | v=spf1 -all",
            "TXT   | Case Kept                  | Case Kept"})
    void valuesAreComparedInCanonicalForm(RecordType type, String typed, String canonical) {
        assertEquals(canonical, Expectation.canonical(type, typed));
    }

    @Test
    void commasSeparateValuesExceptInTxtWhereTheyArePartOfTheText() {
        assertEquals(Set.of("192.0.2.1", "192.0.2.2"),
                Expectation.parse(RecordType.A, List.of("192.0.2.1, 192.0.2.2", "192.0.2.1")).values());
        assertEquals(Set.of("a, b", "c"), Expectation.parse(RecordType.TXT, List.of("a, b", "c")).values());
    }

    @Test
    void aProviderMatchesWhenItsRecordsOfTheTypeAreExactlyTheExpectedOnes() {
        Expectation two = Expectation.parse(RecordType.A, List.of("192.0.2.2,192.0.2.1"));
        assertTrue(two.matches(response(DnsStatus.NOERROR, a("192.0.2.1", 300), a("192.0.2.2", 5))));
        assertTrue(two.matches(response(DnsStatus.NOERROR, cname("example.com.", 60), a("192.0.2.1", 300),
                a("192.0.2.2", 300))), "the CNAME chain before the records is not part of the comparison");
        assertFalse(two.matches(response(DnsStatus.NOERROR, a("192.0.2.1", 300))), "one missing");
        assertFalse(two.matches(response(DnsStatus.NOERROR, a("192.0.2.1", 300), a("192.0.2.2", 300),
                a("192.0.2.3", 300))), "one more");
        assertFalse(two.matches(response(DnsStatus.NXDOMAIN)));
    }

    @Test
    void recordsFromServersAreCanonicalToo() {
        assertTrue(Expectation.parse(RecordType.AAAA, List.of("2001:db8:0:0:0:0:0:10"))
                .matches(response(DnsStatus.NOERROR, aaaa("2001:db8::10"))));
        assertTrue(Expectation.parse(RecordType.TXT, List.of("first string second string"))
                .matches(response(DnsStatus.NOERROR, txt("first string ", "second string"))), "TXT by its joined text");
        assertFalse(Expectation.parse(RecordType.TXT, List.of("V=SPF1 -all"))
                .matches(response(DnsStatus.NOERROR, txt("v=spf1 -all"))), "TXT text keeps its case");
        assertTrue(Expectation.parse(RecordType.MX, List.of("10 MAIL.example.com"))
                .matches(response(DnsStatus.NOERROR, mx(10, "mail.example.com."))));
        assertTrue(Expectation.parse(RecordType.CNAME, List.of("Example.com"))
                .matches(response(DnsStatus.NOERROR, cname("EXAMPLE.com.", 60))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "A     | 2001:db8::1   | IPv4",
            "A     | 192.0.2.300   | not an IPv4 or IPv6 address",
            "AAAA  | 192.0.2.1     | IPv6",
            "CNAME | a..b          | empty label",
            "MX    | ' '           | must not be empty"})
    void aValueThatCannotBeOfTheTypeIsRefusedNamingTheRule(RecordType type, String value, String rule) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Expectation.parse(type, List.of(value)));
        assertEquals("expect", e.field());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    @Test
    void noValueAtAllIsRefused() {
        assertEquals("expect", assertThrows(InvalidValueException.class,
                () -> Expectation.parse(RecordType.A, List.of())).field());
    }
}
