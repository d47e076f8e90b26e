package dev.dnsdig.adapters.rest.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.dns.IpAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the client is behind which proxies, and which proxy lists are accepted. */
class TrustedProxiesTest {
    private static String client(TrustedProxies proxies, String peer, String... forwardedFor) {
        return IpAddresses.canonical(proxies.client(IpAddresses.parse(peer), List.of(forwardedFor)));
    }

    @Test
    void thePeerIsTheClientUnlessItIsTrusted() {
        assertEquals("192.0.2.1", client(TrustedProxies.none(), "192.0.2.1", "198.51.100.1"));
        assertEquals("198.51.100.1", client(TrustedProxies.parse("192.0.2.0/24"), "192.0.2.1", "198.51.100.1"));
        assertEquals("192.0.2.1", client(TrustedProxies.parse("192.0.2.0/24"), "192.0.2.1"), "nothing forwarded");
    }

    @Test
    void blocksMatchByPrefixInTheirOwnFamily() {
        TrustedProxies proxies = TrustedProxies.parse(" 10.0.0.0/8 ,, 2001:db8::/33, 192.0.2.7, 0.0.0.0/0 ");
        assertEquals("198.51.100.1", client(proxies, "2001:db8:7fff::1", "198.51.100.1"));
        assertEquals("2001:db8:8000::1", client(proxies, "2001:db8:8000::1", "198.51.100.1"), "outside the /33");
        assertEquals("2001:db8::5", client(TrustedProxies.parse("::/0"), "::1", "2001:db8::5"));
        assertEquals("2001:db8::5", client(TrustedProxies.parse("::1"), "::1", "2001:db8::5"));
        assertEquals("::2", client(TrustedProxies.parse("::1"), "::2", "2001:db8::5"));
    }

    @Test
    void proxiesWriteAddressesInSeveralWays() {
        assertTrue(TrustedProxies.address("192.0.2.1:4711").isPresent());
        assertTrue(TrustedProxies.address("[2001:db8::1]:4711").isPresent());
        assertTrue(TrustedProxies.address("[2001:db8::1]").isPresent());
        assertTrue(TrustedProxies.address("fe80::1%eth0").isPresent());
        assertTrue(TrustedProxies.address("unknown").isEmpty());
        assertTrue(TrustedProxies.address("_hidden").isEmpty());
    }

    @Test
    void badListsNameEveryBadEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse("10.0.0.0/33, proxy.example.com, ::1/129, 10.0.0.1/x"));
        assertEquals("'10.0.0.0/33': the prefix length must be 0-32; 'proxy.example.com' is not an IP address or "
                + "CIDR block; '::1/129': the prefix length must be 0-128; '10.0.0.1/x': the prefix length must be 0-32",
                e.getMessage());
    }
}
