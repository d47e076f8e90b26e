package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.dns.testing.FaultyDnsServer;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.application.port.out.DnsMessageExchange.Checked;
import dev.dnsdig.application.port.out.DnsMessageExchange.Exchanged;
import dev.dnsdig.application.port.out.DnsResolver.UpstreamQuery;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Every way an upstream server fails us, through both ports of the adapter (the JSON API's {@code DnsResolver} and
 * DNS-over-HTTPS's {@code DnsMessageExchange}): placed before Knot, the provider fails over and Knot answers well
 * within the deadline; alone, the provider fails with the kind of failure and an error that names the server and
 * says what happened.
 */
class UpstreamFaultsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    @AutoClose
    private static final KnotServer knot = KnotServer.start();

    private final UpstreamHealth health = new UpstreamHealth(List.of("p"), Duration.ofSeconds(30), Clock.systemUTC());
    private final DnsjavaResolver resolver = new DnsjavaResolver(TIMEOUT, health);
    private final DnsMessageExchange exchange = resolver.messageExchange();

    /** A way to fail, what it comes to, and what the error says. */
    enum Fault {
        SILENT(Failure.TIMEOUT, "no answer within 300 ms"),
        SLOW(Failure.TIMEOUT, "no answer within 300 ms"),
        WRONG_ID(Failure.TIMEOUT, "no answer within 300 ms"),
        NOISE(Failure.TIMEOUT, "no answer within 300 ms"),
        ONE_BYTE(Failure.TIMEOUT, "no answer within 300 ms"),
        JUNK(Failure.BAD_RESPONSE, "malformed answer"),
        CUT_SHORT(Failure.BAD_RESPONSE, "malformed answer"),
        WRONG_QUESTION(Failure.BAD_RESPONSE, "the answer is for another question"),
        ECHO(Failure.BAD_RESPONSE, "not a response"),
        REFUSED(Failure.REFUSED, "refused the query (REFUSED"),
        CLOSED_PORT(Failure.UNREACHABLE, "port unreachable");

        final Failure failure;
        final String error;

        Fault(Failure failure, String error) {
            this.failure = failure;
            this.error = error;
        }

        /** A server failing this way; a closed port is a free port nothing listens on. */
        AutoCloseable start(UpstreamServer knot) throws Exception {
            return switch (this) {
                case SILENT -> FaultyDnsServer.silent("127.0.0.1");
                case SLOW -> FaultyDnsServer.slow("127.0.0.1", knot, Duration.ofSeconds(1));
                case WRONG_ID -> FaultyDnsServer.wrongId("127.0.0.1", knot);
                case NOISE -> FaultyDnsServer.noise("127.0.0.1");
                case ONE_BYTE -> FaultyDnsServer.oneByte("127.0.0.1");
                case JUNK -> FaultyDnsServer.garbage("127.0.0.1");
                case CUT_SHORT -> FaultyDnsServer.cutShort("127.0.0.1", knot);
                case WRONG_QUESTION -> FaultyDnsServer.wrongQuestion("127.0.0.1");
                case ECHO -> FaultyDnsServer.echo("127.0.0.1");
                case REFUSED -> FaultyDnsServer.refused("127.0.0.1");
                case CLOSED_PORT -> new ClosedPort(new UpstreamServer("127.0.0.1", KnotServer.freePort()));
            };
        }
    }

    private record ClosedPort(UpstreamServer server) implements AutoCloseable {
        @Override
        public void close() {
        }
    }

    private static UpstreamServer server(AutoCloseable faulty) {
        return faulty instanceof ClosedPort closed ? closed.server() : ((FaultyDnsServer) faulty).server();
    }

    private static UpstreamQuery query(UpstreamServer... servers) {
        return new UpstreamQuery("p", List.of(servers), DomainName.of("www.dnsdig.test"), RecordType.A,
                Instant.now().plus(DEADLINE));
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void bothPortsFailOverAndReportTheFault(Fault fault) throws Exception {
        try (AutoCloseable faulty = fault.start(knot.ipv4())) {
            UpstreamServer bad = server(faulty);
            long start = System.nanoTime();
            ProviderResult.Answered answered = assertInstanceOf(ProviderResult.Answered.class,
                    resolver.query(query(bad, knot.ipv4())));
            assertEquals(knot.ipv4(), answered.response().server());
            assertWithinDeadline(start);
            ProviderResult.Failed failed = assertInstanceOf(ProviderResult.Failed.class, resolver.query(query(bad)),
                    "asked although it failed a moment ago: there is nobody else to ask");
            assertReported(fault, bad, failed.failure(), failed.error());
            assertEquals(List.of(bad), failed.servers());
            assertEquals("failing: " + failed.error(), health.probe().details().get("p"));

            // DNS-over-HTTPS: the same, over the same sockets
            start = System.nanoTime();
            Exchanged.Answered forwarded = assertInstanceOf(Exchanged.Answered.class,
                    exchange.exchange("p", List.of(bad, knot.ipv4()), wireQuery(), Instant.now().plus(DEADLINE)));
            assertEquals(knot.ipv4(), forwarded.response().server());
            assertEquals(2, new Message(forwarded.message()).getSection(org.xbill.DNS.Section.ANSWER).size());
            assertWithinDeadline(start);
            Exchanged.Failed unanswered = assertInstanceOf(Exchanged.Failed.class,
                    exchange.exchange("p", List.of(bad), wireQuery(), Instant.now().plus(DEADLINE)));
            assertReported(fault, bad, unanswered.failure(), unanswered.error());
        }
    }

    private DnsMessageExchange.WireQuery wireQuery() throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString("www.dnsdig.test."), Type.A, DClass.IN));
        return assertInstanceOf(Checked.Query.class, exchange.check(query.toWire())).query();
    }

    /** The kind of failure, and an error that names the server and says what it did. */
    private static void assertReported(Fault fault, UpstreamServer bad, Failure failure, String error) {
        assertEquals(fault.failure, failure, error);
        assertTrue(error.startsWith(bad + ": ") && error.contains(fault.error), error);
    }

    /** One timeout at most, then Knot: far inside the deadline even on a loaded machine. */
    private static void assertWithinDeadline(long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertTrue(took.compareTo(DEADLINE.minusSeconds(1)) < 0, "took " + took);
    }
}
