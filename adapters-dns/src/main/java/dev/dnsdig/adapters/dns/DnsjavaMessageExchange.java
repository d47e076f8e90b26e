package dev.dnsdig.adapters.dns;

import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.dns.Validation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The {@link DnsMessageExchange} port on dnsjava: a client's query is checked and forwarded as it is (its flags,
 * EDNS options and DNSSEC OK bit included; only an EDNS buffer size that would fragment is lowered), over the same
 * {@link Upstream} sockets as {@link DnsjavaResolver}. With trust anchors, answers are validated here with DNSSEC
 * ({@link DnssecValidator}) unless the client sets CD; AD reaches the client only on answers we validated.
 */
final class DnsjavaMessageExchange implements DnsMessageExchange {
    /** dnsjava reads a few records it cannot write again, such as a WKS record without a bitmap (dnsjava 3.7). */
    private static final String UNWRITABLE = "it holds a record that cannot be written again";

    private final Upstream upstream;
    private final UpstreamHealth health;
    private final Optional<DnssecValidator> dnssec;

    DnsjavaMessageExchange(Upstream upstream, UpstreamHealth health, Optional<DnssecValidator> dnssec) {
        this.upstream = upstream;
        this.health = health;
        this.dnssec = dnssec;
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
        // what dnsjava read, written out again: it reads a message with TC leniently (the records that are there, the
        // counts set to match), so the client's own bytes may count records they lack; the cache's key reads these
        byte[] wire;
        try {
            wire = query.toWire();
        } catch (RuntimeException e) {
            return new Checked.Malformed("cannot be forwarded: " + UNWRITABLE);
        }
        return new Checked.Query(new WireQuery(wire, question.getName().toString(), question.getType()));
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
        } else {
            // RFC 6840 section 5.7: AD in a query asks for AD in the answer, as the JSON API shows it, DO or not
            query.getHeader().setFlag(Flags.AD);
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
        boolean validate = dnssec.isPresent() && !question.getHeader().getFlag(Flags.CD);
        long start = System.nanoTime();
        Upstream.Asked asked = upstream.ask(servers, validate ? DnssecValidator.withDnssec(question) : question, deadline);
        if (asked instanceof Upstream.Asked.NoAnswer none) {
            health.record(provider, new ProviderResult.Failed(provider, none.failure(), none.error(), none.tried(),
                    Duration.ofNanos(System.nanoTime() - start)));
            return new Exchanged.Failed(none.failure(), none.error());
        }
        Upstream.Asked.Answer answer = (Upstream.Asked.Answer) asked;
        health.record(provider, new ProviderResult.Answered(provider, answer.response()));
        Message message = answer.message();
        Validation validation;
        int rcode = message.getRcode();
        if (dnssec.isEmpty()) {
            validation = Validation.unchecked("DNSSEC validation is off");
        } else if (!validate) {
            validation = Validation.unchecked("checking disabled (CD) by the client");
        } else if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            validation = Validation.unchecked("a " + Rcode.string(rcode) + " answer carries nothing to validate");
        } else {
            try {
                DnssecValidator.Validated validated = dnssec.get().validate(provider, servers, question, message, deadline);
                message = validated.message();
                validation = validated.validation();
            } catch (DnssecValidator.ValidationUnfinished e) {
                return new Exchanged.Failed(e.failure(), e.getMessage());
            }
        }
        Message reply = forClient(question, message, validation);
        byte[] wire;
        try {
            wire = reply.toWire();
        } catch (RuntimeException e) {
            return new Exchanged.Failed(ProviderResult.Failure.BAD_RESPONSE,
                    answer.server() + ": the answer cannot be passed on: " + UNWRITABLE);
        }
        return new Exchanged.Answered(wire,
                new Upstream.Asked.Answer(reply, answer.server(), answer.transport(), answer.elapsed()).response(), validation);
    }

    /**
     * The answer as the client's query calls for it: its id and CD bit; AD only on an answer we validated, and only
     * for a client that said it understands AD with DO or AD (RFC 6840 section 5.7); DNSSEC records only for a
     * client that set DO (RFC 4035 section 3.2.1), since we add DO to validate; EDNS only for a client that used it
     * (RFC 6891 section 7), with its DO bit and any Extended DNS Error (RFC 8914) saying why validation failed.
     */
    static Message forClient(Message query, Message answer, Validation validation) {
        Message reply = answer.clone();
        Header header = reply.getHeader();
        Header asked = query.getHeader();
        header.setID(asked.getID());
        header.setFlag(Flags.QR);
        header.setFlag(Flags.RA);
        setFlag(header, Flags.RD, asked.getFlag(Flags.RD));
        setFlag(header, Flags.CD, asked.getFlag(Flags.CD));
        OPTRecord clientOpt = query.getOPT();
        boolean dnssecOk = clientOpt != null && (clientOpt.getFlags() & ExtendedFlags.DO) != 0;
        setFlag(header, Flags.AD, validation.status() == Validation.Status.SECURE && (dnssecOk || asked.getFlag(Flags.AD)));
        if (!dnssecOk) {
            int qtype = query.getQuestion().getType();
            for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
                // a copy: the section is a live view, and removing from it while walking it throws
                for (Record record : new ArrayList<>(reply.getSection(section))) {
                    int type = record.getType();
                    if ((type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3) && type != qtype) {
                        reply.removeRecord(record, section);
                    }
                }
            }
        }
        OPTRecord opt = reply.getOPT();
        if (opt != null) {
            reply.removeRecord(opt, Section.ADDITIONAL);
        }
        if (clientOpt != null) {
            List<EDNSOption> options = opt == null ? List.of() : opt.getOptions();
            reply.addRecord(new OPTRecord(Upstream.EDNS_PAYLOAD, opt == null ? 0 : opt.getExtendedRcode(), 0,
                    dnssecOk ? ExtendedFlags.DO : 0, options), Section.ADDITIONAL);
        }
        return reply;
    }

    private static void setFlag(Header header, int flag, boolean on) {
        if (on) {
            header.setFlag(flag);
        } else {
            header.unsetFlag(flag);
        }
    }

    @Override
    public boolean failing(List<UpstreamServer> servers) {
        return health.servers().allSkipped(servers);
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
