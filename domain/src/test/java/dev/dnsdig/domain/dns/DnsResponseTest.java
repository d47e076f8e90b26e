package dev.dnsdig.domain.dns;

import static dev.dnsdig.domain.dns.Fixtures.FLAGS;
import static dev.dnsdig.domain.dns.Fixtures.SERVER;
import static dev.dnsdig.domain.dns.Fixtures.a;
import static dev.dnsdig.domain.dns.Fixtures.cname;
import static dev.dnsdig.domain.dns.Fixtures.response;
import static dev.dnsdig.domain.dns.Fixtures.soa;
import static dev.dnsdig.domain.dns.Fixtures.withAuthority;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
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
    void positiveAnswersStayTrueForTheirSmallestTtl() {
        assertEquals(OptionalLong.of(60), response(DnsStatus.NOERROR, cname("a.example.com.", 3600), a("192.0.2.1", 60),
                a("192.0.2.2", 300)).freshFor());
        assertEquals(OptionalLong.of(0), response(DnsStatus.NOERROR, a("192.0.2.1", 0)).freshFor(), "TTL 0 is kept 0 s");
        assertEquals(OptionalLong.empty(), response(DnsStatus.NOERROR, a("192.0.2.1", 60)).negativeTtl());
    }

    @Test
    void negativeAnswersHoldForTheSoaTtlOrItsMinimumWhicheverIsSmaller() {
        assertEquals(OptionalLong.of(60), withAuthority(DnsStatus.NXDOMAIN, List.of(), soa(300, 60)).negativeTtl());
        assertEquals(OptionalLong.of(30), withAuthority(DnsStatus.NXDOMAIN, List.of(), soa(30, 60)).freshFor());
        assertEquals(OptionalLong.of(45), withAuthority(DnsStatus.NOERROR, List.of(), soa(300, 45)).freshFor(), "NODATA");
        assertEquals(OptionalLong.of(10),
                withAuthority(DnsStatus.NXDOMAIN, List.of(cname("gone.example.com.", 10)), soa(300, 60)).freshFor(),
                "a CNAME chain ending in NXDOMAIN expires with its shortest record");
    }

    @Test
    void whatMustNotBeKeptHasNoFreshness() {
        assertEquals(OptionalLong.empty(), response(DnsStatus.NXDOMAIN).freshFor(), "negative without SOA");
        assertEquals(OptionalLong.empty(), response(DnsStatus.NOERROR).freshFor(), "NODATA without SOA");
        assertEquals(OptionalLong.empty(), withAuthority(DnsStatus.SERVFAIL, List.of(), soa(300, 60)).freshFor());
        assertEquals(OptionalLong.empty(), response(DnsStatus.REFUSED).freshFor());
        DnsResponse truncated = new DnsResponse(DnsStatus.NOERROR, new HeaderFlags(false, true, true, true, false, false),
                List.of(a("192.0.2.1", 60)), List.of(), SERVER, Transport.UDP, Duration.ofMillis(1));
        assertEquals(OptionalLong.empty(), truncated.freshFor());
    }

    @Test
    void mapRecordsChangesBothSectionsAndKeepsTheRest() {
        DnsResponse response = withAuthority(DnsStatus.NXDOMAIN, List.of(cname("gone.example.com.", 100)), soa(60, 60));
        DnsResponse older = response.mapRecords(r -> r.withTtl(r.ttl() - 10), Duration.ZERO);
        assertEquals(90, older.answers().get(0).ttl());
        assertEquals(50, older.authority().get(0).ttl());
        assertEquals(response.answers().get(0).data(), older.answers().get(0).data());
        assertEquals(Duration.ZERO, older.elapsed());
        assertEquals(response.server(), older.server());
        assertEquals(response.status(), older.status());
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
