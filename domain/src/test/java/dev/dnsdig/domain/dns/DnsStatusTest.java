package dev.dnsdig.domain.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsStatusTest {

    @ParameterizedTest
    @CsvSource({"0, NOERROR", "1, FORMERR", "2, SERVFAIL", "3, NXDOMAIN", "5, REFUSED", "11, DSOTYPENI",
            "16, BADVERS", "23, BADCOOKIE"})
    void ofCodeFindsTheStatus(int code, DnsStatus status) {
        assertEquals(status, DnsStatus.ofCode(code));
        assertEquals(code, status.code());
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 15, 24, 3841, 4095, -2})
    void unknownCodesAreUnassigned(int code) {
        assertEquals(DnsStatus.UNASSIGNED, DnsStatus.ofCode(code));
    }

    @ParameterizedTest
    @EnumSource(value = DnsStatus.class, mode = EnumSource.Mode.EXCLUDE, names = "UNASSIGNED")
    void everyAssignedCodeRoundTrips(DnsStatus status) {
        assertEquals(status, DnsStatus.ofCode(status.code()));
    }
}
