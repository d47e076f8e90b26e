package dev.dnsdig.domain.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceRecordTest {

    private static final RecordData.Mx MX = new RecordData.Mx(10, "mail.example.com.");

    @Test
    void identityIsTypeAndDataWithoutTtl() {
        ResourceRecord fresh = new ResourceRecord("example.com.", "MX", 3600, "10 mail.example.com.", MX);
        ResourceRecord aged = new ResourceRecord("example.com.", "MX", 17, "10 mail.example.com.", MX);
        assertEquals("MX 10 mail.example.com.", fresh.identity());
        assertEquals(fresh.identity(), aged.identity());
        assertNotEquals(fresh, aged);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 86400, 0xffffffffL})
    void ttlIsAnUnsigned32BitNumber(long ttl) {
        assertEquals(ttl, new ResourceRecord("example.com.", "MX", ttl, "10 mail.example.com.", MX).ttl());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 0x100000000L, Long.MAX_VALUE})
    void ttlOutOfRangeIsRejected(long ttl) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResourceRecord("example.com.", "MX", ttl, "10 mail.example.com.", MX));
        assertTrue(e.getMessage().contains("ttl out of range: " + ttl), e::getMessage);
    }

    @Test
    void fieldsAreRequired() {
        assertThrows(NullPointerException.class, () -> new ResourceRecord(null, "MX", 1, "d", MX));
        assertThrows(NullPointerException.class, () -> new ResourceRecord("n.", null, 1, "d", MX));
        assertThrows(NullPointerException.class, () -> new ResourceRecord("n.", "MX", 1, null, MX));
        assertThrows(NullPointerException.class, () -> new ResourceRecord("n.", "MX", 1, "d", null));
    }
}
