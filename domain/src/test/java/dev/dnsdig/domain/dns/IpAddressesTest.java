package dev.dnsdig.domain.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    // --- IPv6, RFC 5952 ------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            // longest run of zero groups compressed, lower case
            "2001:DB8:0:0:0:0:2:1, 2001:db8::2:1",
            "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
            "2001:0DB8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
            // a single zero group is not compressed
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:db8::1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            // the longest run wins, wherever it is
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "1:0:0:2:0:0:0:0, 1:0:0:2::",
            "0:0:1:0:0:0:1:0, 0:0:1::1:0",
            // on a tie the first run is compressed
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
            // runs at the edges
            "0:0:0:0:0:0:0:1, ::1",
            "::1, ::1",
            "0:0:0:0:0:0:0:0, ::",
            "::, ::",
            "1:0:0:0:0:0:0:0, 1::",
            "1::, 1::",
            "0:0:0:0:0:0:0:1, ::1",
            "0:1:2:3:4:5:6:7, 0:1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
            // leading zeros dropped in each group
            "2606:4700:4700:0000:0000:0000:0000:1111, 2606:4700:4700::1111",
            "FE80::0001, fe80::1",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            // hex form of an IPv4-mapped address is an ordinary IPv6 literal
            "::ffff:c000:201, ::ffff:c000:201",
    })
    void ipv6IsCanonicalized(String literal, String canonical) {
        assertEquals(canonical, IpAddresses.canonical(literal));
        assertEquals(canonical, IpAddresses.canonical(canonical), "canonical form is stable");
        assertEquals(16, IpAddresses.parse(literal).length);
    }

    @Test
    void ipv6BytesAreParsedInNetworkOrder() {
        byte[] bytes = IpAddresses.parse("2001:db8::2:1");
        assertArrayEquals(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1}, bytes);
        assertEquals("2001:db8::2:1", IpAddresses.canonical(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1::2::3", "::1::", ":::", "1:::2",                                // two "::"
            "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4::5:6:7:8",           // wrong number of groups
            "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8",
            "12345::", "g::1", "2001:db8::x", ":1::", "::1:", "1:", ":1", ":",   // malformed groups
            "fe80::1%eth0", "[::1]", " ::1", "::1 ",
            "::ffff:192.0.2.1", "::192.0.2.1", "64:ff9b::192.0.2.33",           // embedded IPv4 form
            "1:2:3:4:5:6:1.2.3.4", "::ffff:1.2.3", "1.2.3.4::",
    })
    void malformedIpv6IsRejected(String literal) {
        assertNotAnAddress(literal);
    }

    @Test
    void embeddedIpv4FormIsRejectedWithAHint() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> IpAddresses.parse("::ffff:192.0.2.1"));
        assertTrue(e.getMessage().contains("mixed notation"), e::getMessage);
        assertEquals("::ffff:c000:201", IpAddresses.canonical("::ffff:c000:201"));
    }

    // --- IPv4 ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "0.0.0.0", "255.255.255.255", "192.0.2.1", "127.0.0.1", "10.0.10.100"})
    void ipv4DottedQuadIsKept(String literal) {
        assertEquals(literal, IpAddresses.canonical(literal));
        assertEquals(4, IpAddresses.parse(literal).length);
    }

    @Test
    void ipv4BytesAreUnsigned() {
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, (byte) 255}, IpAddresses.parse("192.0.2.255"));
        assertEquals("192.0.2.255", IpAddresses.canonical(new byte[] {(byte) 192, 0, 2, (byte) 255}));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "example.com", "localhost", "dns.google",                          // host names
            "01.2.3.4", "1.2.3.04", "1.2.3.00", "010.0.0.1",                   // leading zeros
            "1.2.3.4.5", "1.2.3", "1.2", "1", "16843009",                      // wrong number of octets
            "256.1.1.1", "1.2.3.256", "999.1.1.1", "1000.1.1.1",               // out of range
            "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.-4", "1.2.3.+4", "1.2.3.4 ", "0x1.2.3.4", "1.2.3.a",
            "١.٢.٣.٤",                                                         // non-ASCII digits
    })
    void malformedIpv4IsRejected(String literal) {
        assertNotAnAddress(literal);
    }

    // --- empty and wrong sizes -----------------------------------------------------------------

    @ParameterizedTest
    @NullAndEmptySource
    void emptyLiteralIsRejected(String literal) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> IpAddresses.parse(literal));
        assertEquals("address", e.field());
        assertTrue(e.getMessage().contains("must not be empty"), e::getMessage);
        assertThrows(InvalidValueException.class, () -> IpAddresses.canonical(literal));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 15, 17})
    void canonicalOfWrongByteCountIsRejected(int length) {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> IpAddresses.canonical(new byte[length]));
        assertEquals("address", e.field());
        assertTrue(e.getMessage().contains("4 or 16 bytes, not " + length), e::getMessage);
    }

    private static void assertNotAnAddress(String literal) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> IpAddresses.parse(literal));
        assertEquals("address", e.field());
        assertTrue(e.getMessage().contains("'" + literal + "' is not an IPv4 or IPv6 address literal"),
                e::getMessage);
    }
}
