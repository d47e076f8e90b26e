package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.application.port.in.AnswerDnsMessage;
import dev.dnsdig.application.port.in.AnswerDnsMessage.Answer;
import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.application.port.out.DnsMessageExchange.Exchanged;
import dev.dnsdig.application.port.out.DnsMessageExchange.WireQuery;
import dev.dnsdig.application.port.out.DnsResolver.UpstreamQuery;
import dev.dnsdig.application.service.DnsMessageService;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordType;
import java.io.IOException;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Fuzz tests of the DNS wire format where it comes from outside: what a client sends to {@code /dns-query}, and what an
 * upstream sends back. Without {@code JAZZER_FUZZ} each runs once on every file under {@code WireFormatFuzzTestInputs}
 * (seeds and the findings kept), as a regression test; with it, Jazzer mutates them (see the README).
 */
class WireFormatFuzzTest {
    private static final String WWW = "www.dnsdig.test.";

    @AutoClose
    private static final KnotServer knot = KnotServer.start();
    /** What the scripted upstream sends back to the next query. */
    private static final AtomicReference<byte[]> reply = new AtomicReference<>(new byte[0]);
    @AutoClose
    private static final FaultyDnsServer scripted = scripted();
    private static final UpstreamHealth health = new UpstreamHealth(List.of("knot", "scripted"), Duration.ofSeconds(30),
            Clock.systemUTC());
    private static final DnsjavaResolver resolver = new DnsjavaResolver(Duration.ofSeconds(1), health);
    /** Validating as the server does with anchors: signed.test is secure, the rest of Knot's zones insecure. */
    private static final DnsMessageExchange validating =
            resolver.messageExchange(Optional.of(TrustAnchors.parse(knot.trustAnchor("signed.test"))));

    private static FaultyDnsServer scripted() {
        try {
            return FaultyDnsServer.scripted("127.0.0.1", reply::get);
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Jazzer takes any connection for request forgery; ours go to Knot and the scripted server (TCP on truncation). Said
     * in the test itself: Jazzer forbids every connection again just before fuzzing starts.
     */
    private static void allowLoopback() {
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.equals("127.0.0.1"));
    }

    /** A fresh cache each time: an answer kept from an earlier input must not stand in for this one's. */
    private static AnswerDnsMessage service(String provider, DnsMessageExchange exchange) {
        var upstream = provider.equals("knot") ? knot.ipv4() : scripted.server();
        return new DnsMessageService(List.of(new DnsProvider(provider, List.of(upstream))),
                new CachingMessageExchange(exchange, 16, Duration.ofDays(1), Ticker.systemTicker()),
                Duration.ofSeconds(2), Clock.systemUTC());
    }

    /**
     * A client's message, as {@code /dns-query} hands it on, forwarded to Knot, validated, and asked twice (the second
     * answer comes from the cache when the first may be kept): it is answered with the client's id, or rejected as
     * malformed with a reason; nothing is thrown.
     */
    @FuzzTest(maxDuration = "2m")
    void clientMessage(byte[] message) throws IOException {
        allowLoopback();
        AnswerDnsMessage answers = service("knot", validating);
        for (int round = 0; round < 2; round++) {
            switch (answers.answer(message)) {
                case Answer.Malformed malformed -> assertFalse(malformed.reason().isBlank());
                case Answer.Answered answered -> assertAnswers(message, answered.message());
                case Answer.Unanswered unanswered -> assertAnswers(message, unanswered.message());
            }
        }
    }

    /** The answer is a DNS response to the client's message, with its id. */
    private static void assertAnswers(byte[] query, byte[] answer) throws IOException {
        Message message = new Message(answer);
        assertTrue(message.getHeader().getFlag(Flags.QR));
        assertEquals(new Message(query).getHeader().getID(), message.getHeader().getID());
    }

    /**
     * Whatever an upstream sends back, through both ports that read answers ({@link DnsMessageExchange} with its cache,
     * and {@code DnsResolver}): an answer the client can read, or a failed provider result; nothing is thrown. The
     * question asked is the reply's own when it has one, so that a reply is not simply refused as another question's.
     */
    @FuzzTest(maxDuration = "2m")
    void upstreamAnswer(byte[] answer) throws IOException {
        allowLoopback();
        if (answer.length < 2) {
            return; // no id: matched to no query, so it is never read (the query times out; see UdpExchangeTest)
        }
        reply.set(answer);
        Record question = questionOf(answer);
        Message query = Message.newQuery(question);
        WireQuery wire = new WireQuery(query.toWire(), question.getName().toString(), question.getType());
        AnswerDnsMessage answers = service("scripted", resolver.messageExchange());
        for (int round = 0; round < 2; round++) {
            switch (answers.answer(wire.message())) {
                case Answer.Malformed malformed -> throw new AssertionError("our own query is malformed: " + malformed);
                case Answer.Answered answered -> assertAnswers(wire.message(), answered.message());
                case Answer.Unanswered unanswered -> assertAnswers(wire.message(), unanswered.message());
            }
        }
        Exchanged exchanged = resolver.messageExchange().exchange("scripted", List.of(scripted.server()), wire,
                Instant.now().plusSeconds(2));
        if (exchanged instanceof Exchanged.Answered answered) {
            assertAnswers(wire.message(), answered.message());
        }
        Optional<UpstreamQuery> typed = typed(question);
        if (typed.isPresent()) {
            ProviderResult result = resolver.query(typed.get());
            assertTrue(result instanceof ProviderResult.Answered || result instanceof ProviderResult.Failed);
        }
    }

    private static Record questionOf(byte[] answer) {
        try {
            Record question = new Message(answer).getQuestion();
            if (question != null) {
                return Record.newRecord(question.getName(), question.getType(), question.getDClass());
            }
        } catch (IOException | RuntimeException e) {
            // not a message dnsjava reads: ask our usual question, whose answer this is not
        }
        return Record.newRecord(Name.fromConstantString(WWW), Type.A, DClass.IN);
    }

    /** The same question for the {@code DnsResolver} port, when it is one of ours (a name and a type we know). */
    private static Optional<UpstreamQuery> typed(Record question) {
        Optional<RecordType> type = RecordType.ofCode(question.getType());
        if (type.isEmpty() || question.getDClass() != DClass.IN) {
            return Optional.empty();
        }
        try {
            return Optional.of(new UpstreamQuery("scripted", List.of(scripted.server()),
                    DomainName.of(question.getName().toString()), type.get(), Instant.now().plusSeconds(2)));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }
}
