package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.application.port.out.DnsMessageExchange.Checked;
import dev.dnsdig.application.port.out.DnsMessageExchange.Exchanged;
import dev.dnsdig.application.port.out.DnsMessageExchange.WireQuery;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Client messages checked and forwarded as they are to a real Knot server on loopback, answers returned as they came. */
class DnsjavaMessageExchangeTest {
    @AutoClose
    private static final KnotServer knot = KnotServer.start();
    private final UpstreamHealth health = new UpstreamHealth(List.of("knot"), Duration.ofSeconds(30), Clock.systemUTC());
    private final DnsMessageExchange exchange = new DnsjavaResolver(Duration.ofMillis(500), health).messageExchange();

    private static Message query(String name, int type, int id) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.getHeader().setID(id);
        return query;
    }

    private WireQuery checked(Message query) {
        return assertInstanceOf(Checked.Query.class, exchange.check(query.toWire())).query();
    }

    private Exchanged.Answered forward(Message query, UpstreamServer... servers) throws Exception {
        Exchanged result = exchange.exchange("knot", List.of(servers), checked(query), Instant.now().plusSeconds(3));
        return assertInstanceOf(Exchanged.Answered.class, result, result.toString());
    }

    @Test
    void anythingButOneStandardQueryIsMalformedWithAReason() throws Exception {
        assertTrue(((Checked.Malformed) exchange.check(new byte[] {1, 2, 3})).reason().startsWith("not a DNS message"));
        assertTrue(((Checked.Malformed) exchange.check(new byte[0])).reason().startsWith("not a DNS message"));
        Message response = query("www.dnsdig.test.", Type.A, 1);
        response.getHeader().setFlag(Flags.QR);
        assertEquals("the message is a response, not a query", ((Checked.Malformed) exchange.check(response.toWire())).reason());
        Message two = query("www.dnsdig.test.", Type.A, 1);
        two.addRecord(Record.newRecord(Name.fromString("mail.dnsdig.test."), Type.A, DClass.IN), Section.QUESTION);
        assertEquals("a query has exactly one question, this one has 2", ((Checked.Malformed) exchange.check(two.toWire())).reason());
        Message none = new Message(7);
        assertEquals("a query has exactly one question, this one has 0", ((Checked.Malformed) exchange.check(none.toWire())).reason());
        Message update = new Message(7);
        update.getHeader().setOpcode(org.xbill.DNS.Opcode.UPDATE);
        assertTrue(((Checked.Malformed) exchange.check(update.toWire())).reason().contains("only QUERY"));
        WireQuery ok = checked(query("WWW.dnsdig.test.", Type.AAAA, 0));
        assertEquals("WWW.dnsdig.test.", ok.name());
        assertEquals(Type.AAAA, ok.type());
    }

    @Test
    void theClientsQueryIsForwardedWithItsIdFlagsAndEdns() throws Exception {
        Message query = query("www.dnsdig.test.", Type.A, 0); // RFC 8484 4.1: DoH clients use id 0
        query.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        Exchanged.Answered answered = forward(query, knot.ipv4());
        Message answer = new Message(answered.message());
        assertEquals(0, answer.getHeader().getID());
        assertTrue(answer.getHeader().getFlag(Flags.QR));
        assertEquals(Rcode.NOERROR, answer.getRcode());
        assertEquals(2, answer.getSection(Section.ANSWER).size());
        assertTrue(answer.getOPT() != null && (answer.getOPT().getFlags() & ExtendedFlags.DO) != 0,
                "the DNSSEC OK bit reached the server and came back: " + answer);
        assertEquals(DnsStatus.NOERROR, answered.response().status());
        assertEquals(2, answered.response().answers().size());
        assertEquals(knot.ipv4(), answered.response().server());

        Message six = query("www.dnsdig.test.", Type.AAAA, 4242);
        Message overSix = new Message(forward(six, knot.ipv6()).message());
        assertEquals(4242, overSix.getHeader().getID());
        assertEquals(java.net.InetAddress.getByName("2001:db8::10"),
                ((org.xbill.DNS.AAAARecord) overSix.getSection(Section.ANSWER).get(0)).getAddress());
    }

    @Test
    void negativeAnswersAndTruncationArePassedOnCompletely() throws Exception {
        Message nx = new Message(forward(query("nope.dnsdig.test.", Type.A, 9), knot.ipv4()).message());
        assertEquals(Rcode.NXDOMAIN, nx.getRcode());
        assertEquals(Type.SOA, nx.getSection(Section.AUTHORITY).get(0).getType());
        Exchanged.Answered big = forward(query("big.dnsdig.test.", Type.TXT, 10), knot.ipv4());
        assertEquals(Transport.TCP, big.response().transport());
        Message whole = new Message(big.message());
        assertEquals(40, whole.getSection(Section.ANSWER).size()); // every "big" TXT record of the zone
        assertTrue(!whole.getHeader().getFlag(Flags.TC), "the client gets the whole answer, not the truncated one");
        assertEquals(10, whole.getHeader().getID());
    }

    @Test
    void aSilentServerIsPassedOverAndAllSilentIsAFailure() throws Exception {
        try (FaultyDnsServer silent = FaultyDnsServer.silent("127.0.0.1")) {
            Exchanged.Answered answered = forward(query("www.dnsdig.test.", Type.A, 5), silent.server(), knot.ipv4());
            assertEquals(knot.ipv4(), answered.response().server());
            long start = System.nanoTime();
            assertEquals(knot.ipv4(), forward(query("www.dnsdig.test.", Type.A, 6), silent.server(), knot.ipv4()).response().server());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMillis(500)) < 0, "no second timeout");
            assertEquals(1, silent.received(), "skipped after it failed once");
            assertTrue(exchange.failing(List.of(silent.server())), "a provider of it alone is one to ask last");
            assertTrue(!exchange.failing(List.of(silent.server(), knot.ipv4())));
            Exchanged failed = exchange.exchange("knot", List.of(silent.server()), checked(query("www.dnsdig.test.", Type.A, 5)),
                    Instant.now().plusSeconds(3));
            assertEquals(ProviderResult.Failure.TIMEOUT, assertInstanceOf(Exchanged.Failed.class, failed).failure());
            assertEquals(2, silent.received(), "alone, it is asked: a provider is never left with nobody to ask");
        }
    }

    /**
     * {@code message} with one more record in {@code section}: a WKS record for the question's name whose rdata has no
     * bitmap (RFC 1035 3.4.2), which dnsjava 3.7 reads but cannot write again (found by WireFormatFuzzTest).
     */
    private static byte[] withUnwritableRecord(byte[] message, int section) {
        byte[] record = {(byte) 0xC0, 12, 0, 11, 0, 1, 0, 0, 0, 60, 0, 5, (byte) 192, 0, 2, 1, 6};
        byte[] grown = java.util.Arrays.copyOf(message, message.length + record.length);
        System.arraycopy(record, 0, grown, message.length, record.length);
        grown[5 + 2 * section]++; // the section's count: QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT at octets 4-11
        return grown;
    }

    @Test
    void aQueryThatCannotBeWrittenAgainIsMalformed() throws Exception {
        byte[] query = withUnwritableRecord(query("www.dnsdig.test.", Type.A, 7).toWire(), Section.ADDITIONAL);
        assertEquals(1, new Message(query).getSection(Section.ADDITIONAL).size(), "dnsjava reads it");
        String reason = assertInstanceOf(Checked.Malformed.class, exchange.check(query)).reason();
        assertTrue(reason.startsWith("cannot be forwarded"), reason);
    }

    @Test
    void anAnswerThatCannotBeWrittenAgainIsABadResponse() throws Exception {
        Message query = query("www.dnsdig.test.", Type.A, 7);
        Message answer = query.clone();
        answer.getHeader().setFlag(Flags.QR);
        byte[] reply = withUnwritableRecord(answer.toWire(), Section.ANSWER);
        try (FaultyDnsServer scripted = FaultyDnsServer.scripted("127.0.0.1", () -> reply)) {
            Exchanged result = exchange.exchange("knot", List.of(scripted.server()), checked(query),
                    Instant.now().plusSeconds(3));
            Exchanged.Failed failed = assertInstanceOf(Exchanged.Failed.class, result);
            assertEquals(ProviderResult.Failure.BAD_RESPONSE, failed.failure());
            assertTrue(failed.error().contains("cannot be passed on"), failed.error());
        }
    }

    @Test
    void ourOwnQueriesAndTheServerFailureAnswer() throws Exception {
        WireQuery own = exchange.query(DomainName.of("www.dnsdig.test"), Type.A, true, true);
        Message asked = new Message(own.message());
        assertTrue(asked.getHeader().getFlag(Flags.RD) && asked.getHeader().getFlag(Flags.CD));
        assertTrue((asked.getOPT().getFlags() & ExtendedFlags.DO) != 0);
        assertEquals("www.dnsdig.test.", own.name());
        Message plain = new Message(exchange.query(DomainName.of("www.dnsdig.test"), Type.A, false, false).message());
        assertTrue(!plain.getHeader().getFlag(Flags.CD) && plain.getOPT() == null);

        Message failure = new Message(exchange.serverFailure(own));
        assertEquals(Rcode.SERVFAIL, failure.getRcode());
        assertEquals(asked.getHeader().getID(), failure.getHeader().getID());
        assertTrue(failure.getHeader().getFlag(Flags.QR) && failure.getHeader().getFlag(Flags.RD));
        assertEquals(asked.getQuestion(), failure.getQuestion());
        assertTrue((failure.getOPT().getFlags() & ExtendedFlags.DO) != 0, "EDNS is answered with EDNS");
    }
}
