package dev.dnsdig.adapters.dns;

import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * The {@link DnsMessageExchange} port on dnsjava: a client's query is checked and forwarded as it is (its flags,
 * EDNS options and DNSSEC OK bit included; only an EDNS buffer size that would fragment is lowered), over the same
 * {@link Upstream} sockets as {@link DnsjavaResolver}.
 */
final class DnsjavaMessageExchange implements DnsMessageExchange {
    private final Upstream upstream;
    private final UpstreamHealth health;

    DnsjavaMessageExchange(Upstream upstream, UpstreamHealth health) {
        this.upstream = upstream;
        this.health = health;
    }

    @Override
    public Checked check(byte[] message) {
        Message query;
        try {
            query = new Message(message);
        } catch (IOException | RuntimeException e) {
            return new Checked.Malformed("not a DNS message: " + e.getMessage());
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return new Checked.Malformed("the message is a response, not a query");
        }
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return new Checked.Malformed("opcode " + Opcode.string(query.getHeader().getOpcode())
                    + " is not served; only QUERY");
        }
        if (query.getHeader().getCount(Section.QUESTION) != 1) {
            return new Checked.Malformed("a query has exactly one question, this one has "
                    + query.getHeader().getCount(Section.QUESTION));
        }
        Record question = query.getQuestion();
        return new Checked.Query(new WireQuery(message.clone(), question.getName().toString(), question.getType()));
    }

    @Override
    public WireQuery query(DomainName name, int type, boolean checkingDisabled, boolean dnssecOk) {
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(name.fqdn()), type, DClass.IN));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("a valid DomainName is a valid DNS name: " + name, e);
        }
        if (checkingDisabled) {
            query.getHeader().setFlag(Flags.CD);
        }
        if (dnssecOk) {
            query.addRecord(new OPTRecord(Upstream.EDNS_PAYLOAD, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        }
        return new WireQuery(query.toWire(), query.getQuestion().getName().toString(), type);
    }

    @Override
    public Exchanged exchange(String provider, List<UpstreamServer> servers, WireQuery query, Instant deadline) {
        Message question;
        try {
            question = new Message(query.message());
        } catch (IOException e) {
            // checked before it got here; a WireQuery made elsewhere may still be broken
            return new Exchanged.Failed(ProviderResult.Failure.BAD_RESPONSE, "not a DNS message: " + e.getMessage());
        }
        long start = System.nanoTime();
        return switch (upstream.ask(servers, question, deadline)) {
            case Upstream.Asked.Answer answer -> {
                health.record(provider, new ProviderResult.Answered(provider, answer.response()));
                yield new Exchanged.Answered(answer.message().toWire(), answer.response());
            }
            case Upstream.Asked.NoAnswer none -> {
                health.record(provider, new ProviderResult.Failed(provider, none.failure(), none.error(), none.tried(),
                        java.time.Duration.ofNanos(System.nanoTime() - start)));
                yield new Exchanged.Failed(none.failure(), none.error());
            }
        };
    }

    @Override
    public byte[] serverFailure(WireQuery query) {
        Message asked;
        try {
            asked = new Message(query.message());
        } catch (IOException e) {
            throw new IllegalArgumentException("not a checked query", e);
        }
        Message failure = new Message(asked.getHeader().getID());
        failure.getHeader().setFlag(Flags.QR);
        failure.getHeader().setFlag(Flags.RA);
        if (asked.getHeader().getFlag(Flags.RD)) {
            failure.getHeader().setFlag(Flags.RD);
        }
        if (asked.getHeader().getFlag(Flags.CD)) {
            failure.getHeader().setFlag(Flags.CD);
        }
        failure.getHeader().setRcode(Rcode.SERVFAIL);
        failure.addRecord(asked.getQuestion(), Section.QUESTION);
        if (asked.getOPT() != null) { // EDNS answered with EDNS (RFC 6891 section 7)
            failure.addRecord(new OPTRecord(Upstream.EDNS_PAYLOAD, 0, 0, asked.getOPT().getFlags() & ExtendedFlags.DO),
                    Section.ADDITIONAL);
        }
        return failure.toWire();
    }
}
