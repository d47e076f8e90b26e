package dev.dnsdig.domain.dns;

import static dev.dnsdig.domain.dns.Fixtures.a;
import static dev.dnsdig.domain.dns.Fixtures.answered;
import static dev.dnsdig.domain.dns.Fixtures.cname;
import static dev.dnsdig.domain.dns.Fixtures.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.dns.Agreement.AnswerSet;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {

    @Test
    void sameRecordsInAnotherOrderWithOtherTtlsAgree() {
        Agreement agreement = Agreement.of(List.of(
                answered("cloudflare", DnsStatus.NOERROR, a("192.0.2.1", 300), a("192.0.2.2", 300)),
                answered("google", DnsStatus.NOERROR, a("192.0.2.2", 17), a("192.0.2.1", 299))));
        assertTrue(agreement.allAgree());
        assertEquals(List.of(new AnswerSet(DnsStatus.NOERROR, List.of("A 192.0.2.1", "A 192.0.2.2"),
                List.of("cloudflare", "google"))), agreement.answerSets());
    }

    @Test
    void recordsOfAnAnswerSetAreSortedAndDistinct() {
        Agreement agreement = Agreement.of(List.of(
                answered("quad9", DnsStatus.NOERROR, a("192.0.2.9", 60), cname("example.com.", 60),
                        a("192.0.2.1", 60), a("192.0.2.9", 30))));
        assertEquals(List.of("A 192.0.2.1", "A 192.0.2.9", "CNAME example.com."),
                agreement.answerSets().get(0).records());
    }

    @Test
    void differentRecordsDisagree() {
        Agreement agreement = Agreement.of(List.of(
                answered("cloudflare", DnsStatus.NOERROR, a("192.0.2.1", 300)),
                answered("google", DnsStatus.NOERROR, a("192.0.2.1", 300), a("192.0.2.2", 300)),
                answered("quad9", DnsStatus.NOERROR, a("192.0.2.1", 60))));
        assertFalse(agreement.allAgree());
        assertEquals(2, agreement.answerSets().size());
        assertEquals(List.of("cloudflare", "quad9"), agreement.answerSets().get(0).providers());
        assertEquals(List.of("google"), agreement.answerSets().get(1).providers());
        assertEquals(List.of("A 192.0.2.1", "A 192.0.2.2"), agreement.answerSets().get(1).records());
    }

    @Test
    void differentStatusDisagreesEvenWithoutRecords() {
        Agreement agreement = Agreement.of(List.of(
                answered("cloudflare", DnsStatus.NXDOMAIN),
                answered("google", DnsStatus.NOERROR),
                answered("quad9", DnsStatus.SERVFAIL)));
        assertFalse(agreement.allAgree());
        assertEquals(List.of(DnsStatus.NXDOMAIN, DnsStatus.NOERROR, DnsStatus.SERVFAIL),
                agreement.answerSets().stream().map(AnswerSet::status).toList());
        assertTrue(agreement.answerSets().stream().allMatch(set -> set.records().isEmpty()));
    }

    @Test
    void sameNegativeAnswerAgrees() {
        Agreement agreement = Agreement.of(List.of(
                answered("cloudflare", DnsStatus.NXDOMAIN), answered("google", DnsStatus.NXDOMAIN)));
        assertTrue(agreement.allAgree());
        assertEquals(DnsStatus.NXDOMAIN, agreement.answerSets().get(0).status());
    }

    @Test
    void typeIsPartOfTheIdentity() {
        Agreement agreement = Agreement.of(List.of(
                answered("one", DnsStatus.NOERROR,
                        new ResourceRecord("x.", "A", 1, "192.0.2.1", new RecordData.A("192.0.2.1"))),
                answered("two", DnsStatus.NOERROR,
                        new ResourceRecord("x.", "TXT", 1, "192.0.2.1", RecordData.Txt.of(List.of("192.0.2.1"))))));
        assertFalse(agreement.allAgree());
    }

    @Test
    void failedProvidersAreLeftOut() {
        Agreement agreement = Agreement.of(List.of(
                answered("cloudflare", DnsStatus.NOERROR, a("192.0.2.1", 300)),
                failed("google", Failure.TIMEOUT),
                failed("quad9", Failure.UNREACHABLE)));
        assertTrue(agreement.allAgree());
        assertEquals(1, agreement.answerSets().size());
        assertEquals(List.of("cloudflare"), agreement.answerSets().get(0).providers());
    }

    @Test
    void nobodyAnsweredMeansNoAgreement() {
        Agreement none = Agreement.of(List.of(failed("google", Failure.TIMEOUT), failed("quad9", Failure.BAD_RESPONSE)));
        assertFalse(none.allAgree());
        assertEquals(List.of(), none.answerSets());
        assertFalse(Agreement.of(List.of()).allAgree());
    }

    @Test
    void listsAreCopied() {
        List<String> records = new ArrayList<>(List.of("A 192.0.2.1"));
        List<String> providers = new ArrayList<>(List.of("cloudflare"));
        AnswerSet set = new AnswerSet(DnsStatus.NOERROR, records, providers);
        records.clear();
        providers.clear();
        List<AnswerSet> sets = new ArrayList<>(List.of(set));
        Agreement agreement = new Agreement(true, sets);
        sets.clear();
        assertEquals(List.of("A 192.0.2.1"), agreement.answerSets().get(0).records());
        assertEquals(List.of("cloudflare"), agreement.answerSets().get(0).providers());
        assertThrows(UnsupportedOperationException.class, () -> agreement.answerSets().clear());
    }
}
