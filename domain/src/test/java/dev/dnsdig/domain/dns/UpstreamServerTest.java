package dev.dnsdig.domain.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamServerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1.1.1.1|1.1.1.1|53|IPV4|1.1.1.1",
            "127.0.0.1:5301|127.0.0.1|5301|IPV4|127.0.0.1:5301",
            "127.0.0.1:53|127.0.0.1|53|IPV4|127.0.0.1",
            "'  8.8.8.8  '|8.8.8.8|53|IPV4|8.8.8.8",
            "[2606:4700:4700::1111]|2606:4700:4700::1111|53|IPV6|[2606:4700:4700::1111]",
            "[::1]:5301|::1|5301|IPV6|[::1]:5301",
            "[::1]:65535|::1|65535|IPV6|[::1]:65535",
            "[2001:DB8:0:0:0:0:0:1]|2001:db8::1|53|IPV6|[2001:db8::1]",
            "[2001:4860:4860:0000:0000:0000:0000:8888]:53|2001:4860:4860::8888|53|IPV6|[2001:4860:4860::8888]",
            "2001:4860:4860::8888|2001:4860:4860::8888|53|IPV6|[2001:4860:4860::8888]",
            // more than one colon without brackets is an IPv6 literal, never address:port
            "::1:5301|::1:5301|53|IPV6|[::1:5301]",
            "1.1.1.1:1|1.1.1.1|1|IPV4|1.1.1.1:1",
    })
    void parsesAddressPortAndFamily(String spec, String address, int port, IpFamily family, String text) {
        UpstreamServer server = UpstreamServer.parse(spec);
        assertEquals(address, server.address());
        assertEquals(port, server.port());
        assertEquals(family, server.family());
        assertEquals(text, server.toString());
        assertEquals(server, UpstreamServer.parse(server.toString()), "toString round trip");
    }

    @Test
    void constructorCanonicalizesTheAddress() {
        UpstreamServer server = new UpstreamServer("2606:4700:4700:0:0:0:0:1111", UpstreamServer.DNS_PORT);
        assertEquals("2606:4700:4700::1111", server.address());
        assertEquals(server, UpstreamServer.parse("[2606:4700:4700::1111]:53"));
        assertEquals("[2606:4700:4700::1111]", server.toString());
        assertEquals(53, UpstreamServer.DNS_PORT);
    }

    @Test
    void hostNamesAreRefused() {
        InvalidValueException e = rejected("example.com");
        assertContains(e, "'example.com' is not an IPv4 or IPv6 address literal");
        rejected("dns.google:53");
        rejected("[localhost]:53");
    }

    @Test
    void unclosedBracketIsRejected() {
        assertContains(rejected("[::1"), "opens '[' but never closes it");
        assertContains(rejected("[::1:5301"), "opens '[' but never closes it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]5301", "[::1]x", "[::1]]"})
    void somethingOtherThanAPortAfterTheBracketIsRejected(String spec) {
        assertContains(rejected(spec), "expected ':port' after ']'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1:abc", "1.1.1.1:", "[::1]:", "[::1]:abc", "1.1.1.1:-1", "1.1.1.1:123456",
            "1.1.1.1:5 3", "[::1]:+53"})
    void portThatIsNotANumberIsRejected(String spec) {
        assertContains(rejected(spec), "port must be a number from 1 to 65535");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1.1.1.1:0|0", "1.1.1.1:70000|70000", "[::1]:65536|65536", "[::1]:00000|0"})
    void portOutOfRangeIsRejected(String spec, int port) {
        InvalidValueException e = rejected(spec);
        assertContains(e, "port must be between 1 and 65535, not " + port);
        assertContains(e, "'" + spec + "'");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void emptySpecIsRejected(String spec) {
        assertContains(rejected(spec), "must not be empty");
    }

    @Test
    void badAddressMessageHintsAtTheBracketSyntax() {
        // an IPv4 address with a port and a stray colon: not ambiguous, just wrong
        assertContains(rejected("1.1.1.1:53:53"), "(IPv6 with a port is written [addr]:port)");
        assertContains(rejected("::ffff:192.0.2.1"), "(IPv6 with a port is written [addr]:port)");
    }

    @Test
    void constructorRejectsBadPortAndAddress() {
        InvalidValueException port = assertThrows(InvalidValueException.class,
                () -> new UpstreamServer("1.1.1.1", 0));
        assertEquals("port", port.field());
        assertContains(port, "port must be between 1 and 65535, not 0");
        assertThrows(InvalidValueException.class, () -> new UpstreamServer("1.1.1.1", 65536));
        InvalidValueException address = assertThrows(InvalidValueException.class,
                () -> new UpstreamServer("example.com", 53));
        assertEquals("address", address.field());
        assertEquals(65535, new UpstreamServer("1.1.1.1", 65535).port());
        assertEquals(1, new UpstreamServer("1.1.1.1", 1).port());
    }

    private static InvalidValueException rejected(String spec) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> UpstreamServer.parse(spec));
        assertEquals("server", e.field());
        return e;
    }

    private static void assertContains(InvalidValueException e, String fragment) {
        assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in: " + e.getMessage());
    }
}
