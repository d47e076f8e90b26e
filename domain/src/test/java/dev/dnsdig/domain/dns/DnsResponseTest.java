package dev.dnsdig.domain.dns;

import static dev.dnsdig.domain.dns.Fixtures.FLAGS;
import static dev.dnsdig.domain.dns.Fixtures.SERVER;
import static dev.dnsdig.domain.dns.Fixtures.a;
import static dev.dnsdig.domain.dns.Fixtures.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsResponseTest {

    @Test
    void noDataIsNoErrorWithoutAnswers() {
        assertTrue(response(DnsStatus.NOERROR).noData());
        assertFalse(response(DnsStatus.NOERROR, a("192.0.2.1", 60)).noData());
        assertFalse(response(DnsStatus.NXDOMAIN).noData());
        assertFalse(response(DnsStatus.SERVFAIL).noData());
    }

    @Test
    void sectionsAreCopied() {
        List<ResourceRecord> answers = new ArrayList<>(List.of(a("192.0.2.1", 60)));
        List<ResourceRecord> authority = new ArrayList<>();
        DnsResponse response = new DnsResponse(DnsStatus.NOERROR, FLAGS, answers, authority, SERVER, Transport.TCP,
                Duration.ofMillis(5));
        answers.clear();
        authority.add(a("192.0.2.2", 60));
        assertEquals(1, response.answers().size());
        assertEquals(List.of(), response.authority());
        assertEquals(Transport.TCP, response.transport());
        assertTrue(response.flags().recursionAvailable());
        assertFalse(response.flags().authoritative());
    }

    @Test
    void requiredFieldsAreChecked() {
        List<ResourceRecord> none = List.of();
        Duration d = Duration.ZERO;
        assertThrows(NullPointerException.class, () -> new DnsResponse(null, FLAGS, none, none, SERVER, Transport.UDP, d));
        assertThrows(NullPointerException.class,
                () -> new DnsResponse(DnsStatus.NOERROR, null, none, none, SERVER, Transport.UDP, d));
        assertThrows(NullPointerException.class,
                () -> new DnsResponse(DnsStatus.NOERROR, FLAGS, none, none, null, Transport.UDP, d));
        assertThrows(NullPointerException.class,
                () -> new DnsResponse(DnsStatus.NOERROR, FLAGS, none, none, SERVER, null, d));
        assertThrows(NullPointerException.class,
                () -> new DnsResponse(DnsStatus.NOERROR, FLAGS, none, none, SERVER, Transport.UDP, null));
    }
}
