package dev.dnsdig.application.service;

import static dev.dnsdig.application.fakes.ScriptedMessageExchange.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsdig.application.fakes.ScriptedMessageExchange;
import dev.dnsdig.application.port.in.AnswerDnsMessage.Answer;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One answer per question, from the first provider in configured order that gives one. */
class DnsMessageServiceTest {
    private static final DnsProvider FIRST = new DnsProvider("first",
            List.of(UpstreamServer.parse("[::1]:5301"), UpstreamServer.parse("127.0.0.1:5301")));
    private static final DnsProvider SECOND = new DnsProvider("second", List.of(UpstreamServer.parse("127.0.0.2")));
    private final ScriptedMessageExchange exchange = new ScriptedMessageExchange();
    private final DnsMessageService service = new DnsMessageService(List.of(FIRST, SECOND), exchange,
            Duration.ofSeconds(5), Clock.systemUTC());

    private static String text(byte[] message) {
        return new String(message, StandardCharsets.UTF_8);
    }

    @Test
    void theFirstProviderAnswersOverItsIpv4ServersFirst() {
        Answer.Answered answered = assertInstanceOf(Answer.Answered.class, service.answer(wire("Q www.example. 1")));
        assertEquals("A first www.example. 1", text(answered.message()));
        assertEquals("first", answered.provider());
        assertEquals(List.of("first [127.0.0.1:5301, [::1]:5301]"), exchange.asked());
    }

    @Test
    void aFailingProviderIsPassedOverAndAllFailingIsAServerFailureSayingWhy() {
        exchange.fail("first", Failure.TIMEOUT);
        Answer.Answered answered = assertInstanceOf(Answer.Answered.class,
                service.answer(DomainName.of("www.example"), 28, false, false));
        assertEquals("A second www.example. 28", text(answered.message()));
        exchange.fail("second", Failure.UNREACHABLE);
        Answer.Unanswered none = assertInstanceOf(Answer.Unanswered.class, service.answer(wire("Q www.example. 1")));
        assertEquals("SERVFAIL www.example.", text(none.message()));
        assertEquals("first: scripted TIMEOUT; second: scripted UNREACHABLE", none.reason());
    }

    @Test
    void aProviderWhoseServersAllFailedLatelyIsAskedAfterTheOthersButStillAsked() {
        exchange.skip(FIRST.servers().toArray(UpstreamServer[]::new));
        Answer.Answered answered = assertInstanceOf(Answer.Answered.class, service.answer(wire("Q www.example. 1")));
        assertEquals("second", answered.provider());
        assertEquals(List.of("second [127.0.0.2]"), exchange.asked(), "the failing provider cost nothing");

        exchange.fail("second", Failure.TIMEOUT);
        answered = assertInstanceOf(Answer.Answered.class, service.answer(wire("Q www.example. 1")));
        assertEquals("first", answered.provider(), "asked last, never not at all");
        assertEquals(List.of("second [127.0.0.2]", "second [127.0.0.2]", "first [127.0.0.1:5301, [::1]:5301]"),
                exchange.asked());
    }

    @Test
    void aProviderWithOneServerLeftIsStillAskedInItsPlace() {
        exchange.skip(UpstreamServer.parse("127.0.0.1:5301"));
        assertEquals("first", assertInstanceOf(Answer.Answered.class, service.answer(wire("Q www.example. 1"))).provider());
    }

    @Test
    void aMalformedMessageReachesNoProvider() {
        assertEquals("not a scripted query",
                assertInstanceOf(Answer.Malformed.class, service.answer(wire("garbage"))).reason());
        assertEquals(List.of(), exchange.asked());
    }

    @Test
    void noProviderIsAskedOnceTheDeadlineHasPassed() {
        // a clock that jumps a minute on every reading: the deadline has passed before the first provider
        Clock jumping = new Clock() {
            private Instant now = Instant.parse("2026-11-21T00:00:00Z");

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public synchronized Instant instant() {
                now = now.plusSeconds(60);
                return now;
            }
        };
        DnsMessageService late = new DnsMessageService(List.of(FIRST), exchange, Duration.ofSeconds(5), jumping);
        Answer.Unanswered none = assertInstanceOf(Answer.Unanswered.class, late.answer(wire("Q www.example. 1")));
        assertEquals("first: not asked, the deadline had passed", none.reason());
        assertEquals(List.of(), exchange.asked());
    }

    @Test
    void itNeedsProvidersAndAPositiveDeadline() {
        assertThrows(IllegalArgumentException.class,
                () -> new DnsMessageService(List.of(), exchange, Duration.ofSeconds(1), Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class,
                () -> new DnsMessageService(List.of(FIRST), exchange, Duration.ZERO, Clock.systemUTC()));
    }
}
