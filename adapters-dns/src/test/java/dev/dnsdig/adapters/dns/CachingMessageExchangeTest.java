package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.adapters.dns.testing.ManualTicker;
import dev.dnsdig.application.port.out.DnsMessageExchange.Checked;
import dev.dnsdig.application.port.out.DnsMessageExchange.Exchanged;
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
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Forwarded answers kept and served again with the asker's id and counted-down TTLs, against Knot behind a counting relay. */
class CachingMessageExchangeTest {
    @AutoClose
    private static final KnotServer knot = KnotServer.start();
    @AutoClose
    private final FaultyDnsServer relay = relay();
    private final ManualTicker ticker = new ManualTicker();
    private final CachingMessageExchange cache = new CachingMessageExchange(new DnsjavaResolver(Duration.ofSeconds(2),
            new UpstreamHealth(List.of("knot"), Duration.ofSeconds(30), Clock.systemUTC())).messageExchange(),
            100, Duration.ofDays(1), ticker);

    private static FaultyDnsServer relay() {
        try {
            return FaultyDnsServer.slow("127.0.0.1", knot.ipv4(), Duration.ZERO);
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] query(String name, int type, int id, boolean dnssecOk) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.getHeader().setID(id);
        if (dnssecOk) {
            query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        }
        return query.toWire();
    }

    private Message ask(byte[] query) throws Exception {
        Checked.Query checked = assertInstanceOf(Checked.Query.class, cache.check(query));
        Exchanged result = cache.exchange("knot", List.of(relay.server()), checked.query(), Instant.now().plusSeconds(3));
        return new Message(assertInstanceOf(Exchanged.Answered.class, result, result.toString()).message());
    }

    @Test
    void aKeptAnswerServesTheNextAskerWithItsIdAndTtlsCountedDown() throws Exception {
        Message first = ask(query("www.dnsdig.test.", Type.A, 1, false));
        assertEquals(300, first.getSection(Section.ANSWER).get(0).getTTL());
        ticker.advance(Duration.ofSeconds(100));
        Message second = ask(query("WWW.dnsdig.test.", Type.A, 2, false));
        assertEquals(1, relay.received(), "the second question was answered from the cache");
        assertEquals(2, second.getHeader().getID());
        assertEquals(2, second.getSection(Section.ANSWER).size());
        for (Record record : second.getSection(Section.ANSWER)) {
            assertEquals(200, record.getTTL());
        }
        ticker.advance(Duration.ofSeconds(201));
        ask(query("www.dnsdig.test.", Type.A, 3, false));
        assertEquals(2, relay.received(), "expired with its TTL");
    }

    @Test
    void theDnssecOkBitAndNegativeAnswersAreKeptApart() throws Exception {
        ask(query("www.dnsdig.test.", Type.A, 1, false));
        Message withDo = ask(query("www.dnsdig.test.", Type.A, 1, true));
        assertEquals(2, relay.received(), "an answer without DNSSEC records must not serve a DO query");
        ticker.advance(Duration.ofSeconds(10));
        Message again = ask(query("www.dnsdig.test.", Type.A, 1, true));
        assertEquals(2, relay.received());
        assertTrue((again.getOPT().getFlags() & ExtendedFlags.DO) != 0, "the OPT record's flags are not a TTL");
        assertEquals(withDo.getOPT().getPayloadSize(), again.getOPT().getPayloadSize());

        ask(query("nope.dnsdig.test.", Type.A, 5, false));
        ticker.advance(Duration.ofSeconds(59));
        Message nx = ask(query("nope.dnsdig.test.", Type.A, 6, false));
        assertEquals(3, relay.received(), "NXDOMAIN kept for its negative TTL (60 s)");
        assertEquals(1, nx.getSection(Section.AUTHORITY).get(0).getTTL(), "Knot sends the SOA with TTL 60 (RFC 2308 3)");
        ticker.advance(Duration.ofSeconds(2));
        ask(query("nope.dnsdig.test.", Type.A, 7, false));
        assertEquals(4, relay.received());
    }

    @Test
    void aTruncatedQueryIsKeyedAndForwardedAsDnsjavaReadIt() throws Exception {
        // TC set and a header that counts more records than there are: dnsjava reads what is there, as for a
        // truncated answer; the raw header must not reach the cache's key (found by WireFormatFuzzTest)
        byte[] query = query("www.dnsdig.test.", Type.A, 5, false);
        query[2] |= 0x02; // TC
        query[11] = 3; // ARCOUNT 3, none present
        Message answer = ask(query);
        assertEquals(5, answer.getHeader().getID());
        assertEquals(2, answer.getSection(Section.ANSWER).size());
    }

    @Test
    void wireRewritingKeepsEverythingButIdAndTtls() throws Exception {
        byte[] answer = ask(query("alias.dnsdig.test.", Type.A, 9, true)).toWire(); // compressed names, a CNAME chain, OPT
        byte[] rewritten = WireMessages.withIdAndAge(answer, 0xBEEF, 50, 120);
        Message message = new Message(rewritten);
        assertEquals(0xBEEF, message.getHeader().getID());
        for (Record record : message.getSection(Section.ANSWER)) {
            assertEquals(70, record.getTTL(), record.toString()); // capped at 120, then 50 s older
        }
        assertTrue(WireMessages.dnssecOk(rewritten));
        assertFalse(WireMessages.checkingDisabled(rewritten));
        Message cd = Message.newQuery(Record.newRecord(Name.fromString("x."), Type.A, DClass.IN));
        cd.getHeader().setFlag(Flags.CD);
        assertTrue(WireMessages.checkingDisabled(cd.toWire()));
        assertFalse(WireMessages.dnssecOk(cd.toWire()));
        assertEquals(0, new Message(WireMessages.withIdAndAge(answer, 1, 1_000, 120)).getSection(Section.ANSWER).get(0)
                .getTTL(), "never below 0");
        assertThrows(IllegalArgumentException.class, () -> WireMessages.withIdAndAge(new byte[5], 1, 0, 1));
        byte[] cut = java.util.Arrays.copyOf(answer, answer.length - 3);
        assertThrows(IllegalArgumentException.class, () -> WireMessages.withIdAndAge(cut, 1, 0, 1));
    }

    @Test
    void whetherAProvidersServersAllFailedLatelyIsTheUpstreamsWord() throws Exception {
        assertFalse(cache.failing(List.of(relay.server())));
        relay.mute(true);
        Checked.Query checked = assertInstanceOf(Checked.Query.class, cache.check(query("mail.dnsdig.test.", Type.A, 3, false)));
        assertInstanceOf(Exchanged.Failed.class, cache.exchange("knot", List.of(relay.server()), checked.query(),
                Instant.now().plusSeconds(3)));
        assertTrue(cache.failing(List.of(relay.server())));
        assertFalse(cache.failing(List.of(relay.server(), knot.ipv4())), "knot has not failed");
    }
}
