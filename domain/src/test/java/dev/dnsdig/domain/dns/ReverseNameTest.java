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

class ReverseNameTest {
    private static final String V6_NAME =
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";

    @ParameterizedTest
    @CsvSource({
            "192.0.2.1, 192.0.2.1, 1.2.0.192.in-addr.arpa.",
            "10.0.0.255, 10.0.0.255, 255.0.0.10.in-addr.arpa.",
            "0.0.0.0, 0.0.0.0, 0.0.0.0.in-addr.arpa.",
            "255.255.255.255, 255.255.255.255, 255.255.255.255.in-addr.arpa."})
    void ipv4ReversesItsOctetsUnderInAddrArpa(String literal, String address, String name) {
        ReverseName reverse = ReverseName.of(literal);
        assertEquals(address, reverse.address());
        assertEquals(IpFamily.IPV4, reverse.family());
        assertEquals(name, reverse.name().fqdn());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "2001:DB8:0:0:0:0:0:1", "2001:0db8:0000:0000:0000:0000:0000:0001",
            "2001:db8:0::0:1"})
    void ipv6InAnyFormGivesOneNibbleLabelPerHexDigitUnderIp6Arpa(String literal) {
        ReverseName reverse = ReverseName.of(literal);
        assertEquals("2001:db8::1", reverse.address(), "the canonical, compressed form");
        assertEquals(IpFamily.IPV6, reverse.family());
        assertEquals(V6_NAME, reverse.name().fqdn());
        assertEquals(34, reverse.name().labels().size(), "32 nibbles, ip6, arpa");
    }

    @Test
    void theEdgesOfIpv6() {
        assertEquals("0.".repeat(32) + "ip6.arpa.", ReverseName.of("::").name().fqdn());
        assertEquals("1." + "0.".repeat(31) + "ip6.arpa.", ReverseName.of("::1").name().fqdn());
        assertEquals("f.".repeat(32) + "ip6.arpa.", ReverseName.of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").name().fqdn());
        assertEquals("0.".repeat(28) + "e.f.0.0.ip6.arpa.", ReverseName.of("fe::").name().fqdn(),
                "leading zeros of a group are nibbles too");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:192.0.2.1", "::FFFF:192.0.2.1", "::ffff:c000:201", "0:0:0:0:0:ffff:c000:0201"})
    void anIpv4MappedAddressIsTheIpv4HostItMaps(String literal) {
        ReverseName reverse = ReverseName.of(literal);
        assertEquals("192.0.2.1", reverse.address());
        assertEquals(IpFamily.IPV4, reverse.family());
        assertEquals("1.2.0.192.in-addr.arpa.", reverse.name().fqdn());
    }

    @Test
    void mixedNotationThatIsNotMappedStaysIpv6() {
        ReverseName reverse = ReverseName.of("64:ff9b::192.0.2.1");
        assertEquals("64:ff9b::c000:201", reverse.address());
        assertEquals("1.0.2.0.0.0.0.c." + "0.".repeat(16) + "b.9.f.f.4.6.0.0.ip6.arpa.", reverse.name().fqdn());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"192.0.2", "192.0.2.256", "192.0.2.01", "1.2.3.4.5", "example.com", "2001:db8::1::2",
            "2001:db8:1:2:3:4:5:6:7", "12345::", "::ffff:192.0.2", "::ffff:1.2.3.999", "192.0.2.1:53", "g::1",
            " 192.0.2.1", "[::1]"})
    void anythingElseIsRefusedNamingTheInput(String literal) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> ReverseName.of(literal));
        assertEquals("ip", e.field());
        assertTrue(e.getMessage().contains("IP address") || e.getMessage().contains("address literal"), e.getMessage());
    }
}
