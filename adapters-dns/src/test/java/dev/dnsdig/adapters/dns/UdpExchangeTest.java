package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.dns.testing.KnotServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** {@link UdpExchange} against Knot and against servers that echo: answers reach the query they belong to. */
class UdpExchangeTest {
    private static KnotServer knot;

    @BeforeAll
    static void startKnot() {
        knot = KnotServer.start();
    }

    @AfterAll
    static void stopKnot() {
        knot.close();
    }

    private static byte[] query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)).toWire();
    }

    private static InetSocketAddress knotAddress() throws Exception {
        return new InetSocketAddress(InetAddress.getByName(knot.ipv4().address()), knot.ipv4().port());
    }

    @Test
    void manyConcurrentQueriesOnFewSocketsEachGetTheirOwnAnswer() throws Exception {
        UdpExchange exchange = new UdpExchange();
        InetSocketAddress server = knotAddress();
        List<String> names = List.of("www.dnsdig.test.", "mail.dnsdig.test.", "nothing-here.dnsdig.test.", "dnsdig.test.");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String name = names.get(i % names.size());
                results.add(pool.submit(() -> {
                    Message answer = new Message(exchange.exchange(server, query(name, Type.A), Duration.ofSeconds(3)));
                    return answer.getQuestion().getName() + " " + Rcode.string(answer.getRcode());
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                String name = names.get(i % names.size());
                String expected = name + " " + (name.startsWith("nothing") ? "NXDOMAIN" : "NOERROR");
                assertEquals(expected, results.get(i).get(), "query " + i);
            }
        }
    }

    @Test
    void socketsAreReplacedSoSourcePortsKeepChanging() throws Exception {
        Set<Integer> ports = ConcurrentHashMap.newKeySet();
        try (Echo echo = new Echo(ports)) {
            UdpExchange exchange = new UdpExchange(3, Duration.ofSeconds(5));
            for (int i = 0; i < 60; i++) {
                exchange.exchange(echo.address(), query("a.example.", Type.A), Duration.ofSeconds(2));
            }
        }
        // 4 sockets, each replaced after 3 queries: at least 60 / 3 = 20 different source ports
        assertTrue(ports.size() >= 20, "source ports: " + ports.size());
    }

    @Test
    void anIdleSocketClosesItselfAndTheNextQueryStillWorks() throws Exception {
        UdpExchange exchange = new UdpExchange(1_000, Duration.ofMillis(100));
        InetSocketAddress server = knotAddress();
        Message first = new Message(exchange.exchange(server, query("www.dnsdig.test.", Type.A), Duration.ofSeconds(2)));
        assertEquals(Rcode.NOERROR, first.getRcode());
        assertEquals(2, first.getSection(Section.ANSWER).size(), "www has two addresses");
        Thread.sleep(400);
        for (int i = 0; i < 8; i++) {
            Message answer = new Message(exchange.exchange(server, query("www.dnsdig.test.", Type.A), Duration.ofSeconds(2)));
            assertEquals(first.getSection(Section.ANSWER), answer.getSection(Section.ANSWER), "after the idle close, query " + i);
        }
    }

    @Test
    void anAnswerWithAnotherIdIsNotTakenForOurs() throws Exception {
        try (Echo echo = new Echo(ConcurrentHashMap.newKeySet(), 1)) {
            UdpExchange exchange = new UdpExchange();
            assertThrows(TimeoutException.class,
                    () -> exchange.exchange(echo.address(), query("a.example.", Type.A), Duration.ofMillis(300)));
        }
    }

    /** Answers every query with itself (id changed by {@code idOffset}), noting the source ports it came from. */
    private static final class Echo implements AutoCloseable {
        private final DatagramSocket socket;

        Echo(Set<Integer> ports) throws Exception {
            this(ports, 0);
        }

        Echo(Set<Integer> ports, int idOffset) throws Exception {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[4096];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                        socket.receive(packet);
                        ports.add(packet.getPort());
                        int id = (((buffer[0] & 0xff) << 8) | (buffer[1] & 0xff)) + idOffset;
                        buffer[0] = (byte) (id >>> 8);
                        buffer[1] = (byte) id;
                        socket.send(new DatagramPacket(buffer, packet.getLength(), packet.getSocketAddress()));
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
