package dev.dnsdig.domain.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsProviderTest {

    private static final UpstreamServer V4_A = UpstreamServer.parse("1.1.1.1");
    private static final UpstreamServer V4_B = UpstreamServer.parse("1.0.0.1");
    private static final UpstreamServer V6_A = UpstreamServer.parse("[2606:4700:4700::1111]");
    private static final UpstreamServer V6_B = UpstreamServer.parse("[2606:4700:4700::1001]:5353");

    @ParameterizedTest
    @ValueSource(strings = {"cloudflare", "Google", "quad9", "local-unbound", "my_resolver", "9", "a-", "x_",
            "a123456789012345678901234567890123456789012345678901234567890bc"})
    void acceptsValidNames(String name) {
        assertEquals(name, new DnsProvider(name, List.of(V4_A)).name());
    }

    @Test
    void sixtyThreeCharactersIsTheLimit() {
        String name = "p".repeat(63);
        assertEquals(63, new DnsProvider(name, List.of(V4_A)).name().length());
        assertNameRejected("p".repeat(64));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-cloudflare", "_google", "cloud flare", "cloud.flare", "bücher", "a/b", " a", "a "})
    void rejectsInvalidNames(String name) {
        assertNameRejected(name);
    }

    @Test
    void rejectsAProviderWithoutServers() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> new DnsProvider("cloudflare", List.of()));
        assertEquals("provider", e.field());
        assertEquals("provider 'cloudflare' has no servers", e.getMessage());
    }

    @Test
    void keepsServersInConfiguredOrderAndCopiesThem() {
        List<UpstreamServer> servers = new ArrayList<>(List.of(V6_A, V4_A, V4_B));
        DnsProvider provider = new DnsProvider("cloudflare", servers);
        servers.clear();
        assertEquals(List.of(V6_A, V4_A, V4_B), provider.servers());
        assertThrows(UnsupportedOperationException.class, () -> provider.servers().add(V6_B));
    }

    @Test
    void serversOfOneFamilyKeepTheirOrder() {
        DnsProvider provider = new DnsProvider("cloudflare", List.of(V6_A, V4_A, V6_B, V4_B));
        assertEquals(List.of(V4_A, V4_B), provider.servers(IpFamily.IPV4));
        assertEquals(List.of(V6_A, V6_B), provider.servers(IpFamily.IPV6));
    }

    @Test
    void serversOfAMissingFamilyIsEmpty() {
        DnsProvider provider = new DnsProvider("local", List.of(UpstreamServer.parse("127.0.0.1:5301")));
        assertEquals(List.of(), provider.servers(IpFamily.IPV6));
        assertEquals(1, provider.servers(IpFamily.IPV4).size());
    }

    private static void assertNameRejected(String name) {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> new DnsProvider(name, List.of(V4_A)));
        assertEquals("provider", e.field());
        assertTrue(e.getMessage().contains("must be 1-63 letters, digits, '-' or '_', starting with a letter or digit"),
                e::getMessage);
        assertTrue(e.getMessage().contains("'" + name + "'"), e::getMessage);
    }
}
