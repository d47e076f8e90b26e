package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.application.port.out.DnsMessageExchange.Checked;
import dev.dnsdig.application.port.out.DnsMessageExchange.Exchanged;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.Validation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNSSEC validation against zones Knot signs at start: {@code signed.test} trusted through the DS of its real key
 * (secure), {@code bogus.test} given an anchor that matches none of its keys (bogus: what a validator sees after a
 * botched key rollover) and {@code dnsdig.test}, unsigned and under no anchor (insecure).
 */
class DnssecValidationTest {
    @AutoClose
    private static final KnotServer knot = KnotServer.start();
    private static final TrustAnchors ANCHORS = TrustAnchors.parse(knot.trustAnchor("signed.test") + ";"
            + knot.trustAnchor("signed.test").replaceFirst("^signed\\.test\\.", "bogus.test."));
    private final UpstreamHealth health = new UpstreamHealth(List.of("knot"), Duration.ofSeconds(30), Clock.systemUTC());
    private final DnsMessageExchange exchange =
            new DnsjavaResolver(Duration.ofMillis(500), health).messageExchange(Optional.of(ANCHORS));

    private static Message query(String name, int type, boolean dnssecOk, boolean checkingDisabled) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.getHeader().setID(0);
        if (dnssecOk) {
            query.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        }
        if (checkingDisabled) {
            query.getHeader().setFlag(Flags.CD);
        }
        return query;
    }

    private Exchanged.Answered forward(Message query) {
        Checked.Query checked = assertInstanceOf(Checked.Query.class, exchange.check(query.toWire()));
        Exchanged result = exchange.exchange("knot", List.of(knot.ipv4(), knot.ipv6()), checked.query(),
                Instant.now().plusSeconds(5));
        return assertInstanceOf(Exchanged.Answered.class, result, result.toString());
    }

    private static List<Record> answers(Exchanged.Answered answered, int type) throws Exception {
        return new Message(answered.message()).getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    @Test
    void aSignedZoneUnderTheAnchorIsSecureWithAdAndItsSignaturesForDo() throws Exception {
        Exchanged.Answered answered = forward(query("www.signed.test.", Type.A, true, false));
        Message answer = new Message(answered.message());
        assertEquals(Validation.secure(), answered.validation());
        assertTrue(answer.getHeader().getFlag(Flags.AD), answer.toString());
        assertTrue(answered.response().flags().authenticData());
        assertEquals("192.0.2.100", ((ARecord) answers(answered, Type.A).get(0)).getAddress().getHostAddress());
        assertEquals(1, answers(answered, Type.RRSIG).size(), "DO asked for the signatures");
        assertFalse(answer.getHeader().getFlag(Flags.CD));
        assertEquals(0, answer.getHeader().getID());
    }

    @Test
    void withoutDoTheSignaturesWeAskedForAreLeftOutAndAdNeedsTheClientsAd() throws Exception {
        Exchanged.Answered plain = forward(query("www.signed.test.", Type.A, false, false));
        Message answer = new Message(plain.message());
        assertEquals(Validation.Status.SECURE, plain.validation().status());
        assertEquals(1, answers(plain, Type.A).size());
        assertEquals(0, answers(plain, Type.RRSIG).size(), "no DNSSEC records for a client that did not set DO");
        assertFalse(answer.getHeader().getFlag(Flags.AD), "RFC 6840 5.8: AD only for a client that set DO or AD");
        assertEquals(null, answer.getOPT(), "no EDNS in the answer to a query without it");

        Message withAd = query("www.signed.test.", Type.A, false, false);
        withAd.getHeader().setFlag(Flags.AD);
        assertTrue(new Message(forward(withAd).message()).getHeader().getFlag(Flags.AD));
        // the JSON API's own query asks with AD
        Exchanged own = exchange.exchange("knot", List.of(knot.ipv4()),
                exchange.query(DomainName.of("www.signed.test"), Type.A, false, false), Instant.now().plusSeconds(5));
        assertTrue(assertInstanceOf(Exchanged.Answered.class, own).response().flags().authenticData());
    }

    @Test
    void aSecureDenialOfExistenceIsSecureToo() throws Exception {
        Exchanged.Answered answered = forward(query("nope.signed.test.", Type.A, true, false));
        assertEquals(DnsStatus.NXDOMAIN, answered.response().status());
        assertEquals(Validation.secure(), answered.validation());
        assertTrue(answered.response().flags().authenticData());
    }

    @Test
    void aBogusAnswerIsServfailWithTheReasonInAnExtendedDnsError() throws Exception {
        Exchanged.Answered answered = forward(query("www.bogus.test.", Type.A, true, false));
        Message answer = new Message(answered.message());
        assertEquals(Validation.Status.BOGUS, answered.validation().status());
        assertFalse(answered.validation().reason().isBlank());
        assertEquals(Rcode.SERVFAIL, answer.getRcode());
        assertEquals(DnsStatus.SERVFAIL, answered.response().status());
        assertFalse(answer.getHeader().getFlag(Flags.AD));
        assertTrue(answer.getHeader().getFlag(Flags.RA) && answer.getHeader().getFlag(Flags.RD));
        assertTrue(answer.getSection(Section.ANSWER).isEmpty(), "none of the data that failed validation");
        List<EDNSOption> errors = answer.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
        assertEquals(1, errors.size(), answer.toString());
        ExtendedErrorCodeOption error = (ExtendedErrorCodeOption) errors.get(0);
        assertEquals(answered.validation().reason(), error.getText());
        assertTrue(answer.getSection(Section.ADDITIONAL).stream().allMatch(r -> r.getType() == Type.OPT),
                "dnsjava's reason record stays inside: " + answer);
    }

    @Test
    void checkingDisabledReturnsTheBogusDataUnvalidated() throws Exception {
        Exchanged.Answered answered = forward(query("www.bogus.test.", Type.A, true, true));
        Message answer = new Message(answered.message());
        assertEquals(Validation.Status.UNCHECKED, answered.validation().status());
        assertEquals(Rcode.NOERROR, answer.getRcode());
        assertEquals("192.0.2.200", ((ARecord) answers(answered, Type.A).get(0)).getAddress().getHostAddress());
        assertTrue(answer.getHeader().getFlag(Flags.CD));
        assertFalse(answer.getHeader().getFlag(Flags.AD));
    }

    @Test
    void anUnsignedZoneOutsideTheAnchorsIsAnsweredWithoutAd() throws Exception {
        Exchanged.Answered answered = forward(query("www.dnsdig.test.", Type.A, true, false));
        Message answer = new Message(answered.message());
        assertEquals(Validation.Status.INSECURE, answered.validation().status());
        assertEquals(Rcode.NOERROR, answer.getRcode());
        assertEquals(2, answers(answered, Type.A).size());
        assertFalse(answer.getHeader().getFlag(Flags.AD));
    }

    @Test
    void aSignedDenialReachesAClientWithoutDoWithoutItsProofs() throws Exception {
        // the authority section comes back as SOA, RRSIG, NSEC, RRSIG: signatures to drop between records to keep
        Exchanged.Answered answered = forward(query("nothing.signed.test.", Type.A, false, false));
        Message answer = new Message(answered.message());
        assertEquals(Validation.secure(), answered.validation());
        assertEquals(Rcode.NXDOMAIN, answer.getRcode());
        List<Integer> types = answer.getSection(Section.AUTHORITY).stream().map(Record::getType).toList();
        assertEquals(List.of(Type.SOA), types, answer.toString());
    }

    @Test
    void anUpstreamsAdNeverReachesTheClientUnlessWeValidated() throws Exception {
        Message query = query("www.example.", Type.A, true, false);
        Message upstream = query.clone();
        upstream.getHeader().setFlag(Flags.QR);
        upstream.getHeader().setFlag(Flags.AD);
        upstream.addRecord(new ARecord(Name.fromString("www.example."), DClass.IN, 60,
                java.net.InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        for (Validation validation : List.of(Validation.unchecked("off"), Validation.insecure(""))) {
            assertFalse(DnsjavaMessageExchange.forClient(query, upstream, validation).getHeader().getFlag(Flags.AD));
        }
        assertTrue(DnsjavaMessageExchange.forClient(query, upstream, Validation.secure()).getHeader().getFlag(Flags.AD));
    }
}
