package dev.dnsdig.adapters.dns.testing;

import dev.dnsdig.domain.dns.UpstreamServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP endpoint on loopback that misbehaves on purpose, for the faults a real server will not produce on
 * demand: never answering, answering late (relaying to a real server after a delay), refusing, or answering garbage
 * of every kind (junk, noise, a wrong id, another question, a message cut short, a single byte, the query itself).
 */
public final class FaultyDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger received = new AtomicInteger();
    private volatile boolean muted;

    private FaultyDnsServer(String address, Behaviour behaviour) throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(address, 0));
        workers.submit(() -> serve(behaviour));
    }

    /** Receives queries and never answers. */
    public static FaultyDnsServer silent(String address) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
        });
    }

    /** Relays each query to {@code upstream} and its answer back at once: a healthy server, until {@linkplain #mute muted}. */
    public static FaultyDnsServer relay(String address, UpstreamServer upstream) throws SocketException {
        return slow(address, upstream, Duration.ZERO);
    }

    /** Relays each query to {@code upstream} and sends the answer back {@code delay} later. */
    public static FaultyDnsServer slow(String address, UpstreamServer upstream, Duration delay) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            byte[] answer = relay(query, upstream);
            Thread.sleep(delay.toMillis());
            server.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
        });
    }

    /**
     * Relays each query to {@code upstream} and holds the answer until {@code gate} opens: a query stays unanswered
     * exactly as long as a test needs it to, however slow the machine.
     */
    public static FaultyDnsServer held(String address, UpstreamServer upstream, CountDownLatch gate) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            byte[] answer = relay(query, upstream);
            gate.await();
            server.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
        });
    }

    /**
     * Relays each query to {@code upstream} and answers with every A record's address replaced by {@code stale}: a
     * provider that still has an old record, for propagation checks.
     */
    public static FaultyDnsServer stale(String address, UpstreamServer upstream, String stale) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            org.xbill.DNS.Message message = new org.xbill.DNS.Message(relay(query, upstream));
            for (org.xbill.DNS.Record record : new java.util.ArrayList<>(message.getSection(org.xbill.DNS.Section.ANSWER))) {
                if (record instanceof org.xbill.DNS.ARecord a) {
                    message.removeRecord(record, org.xbill.DNS.Section.ANSWER);
                    message.addRecord(new org.xbill.DNS.ARecord(a.getName(), a.getDClass(), a.getTTL(),
                            java.net.InetAddress.getByName(stale)), org.xbill.DNS.Section.ANSWER);
                }
            }
            byte[] wire = message.toWire();
            server.send(new DatagramPacket(wire, wire.length, query.getSocketAddress()));
        });
    }

    /** Sends the query to {@code upstream} and returns its answer (within 2 s). */
    private static byte[] relay(DatagramPacket query, UpstreamServer upstream) throws IOException {
        try (DatagramSocket relay = new DatagramSocket()) {
            relay.setSoTimeout(2000);
            relay.send(new DatagramPacket(query.getData(), query.getLength(),
                    new InetSocketAddress(upstream.address(), upstream.port())));
            DatagramPacket answer = new DatagramPacket(new byte[65535], 65535);
            relay.receive(answer);
            return Arrays.copyOf(answer.getData(), answer.getLength());
        }
    }

    /** Answers every query with the query's id followed by bytes that are not a DNS message. */
    public static FaultyDnsServer garbage(String address) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            byte[] junk = new byte[7];
            Arrays.fill(junk, (byte) 0xff);
            junk[0] = query.getData()[0];
            junk[1] = query.getData()[1];
            server.send(new DatagramPacket(junk, junk.length, query.getSocketAddress()));
        });
    }

    /**
     * Answers every query with the bytes {@code replies} gives at that moment, the query's id written over their first
     * two (a shorter reply is sent as it is): whatever an upstream could send, for fuzzing the reading of answers.
     */
    public static FaultyDnsServer scripted(String address, java.util.function.Supplier<byte[]> replies)
            throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            byte[] reply = replies.get().clone();
            if (reply.length >= 2) {
                reply[0] = query.getData()[0];
                reply[1] = query.getData()[1];
            }
            server.send(new DatagramPacket(reply, reply.length, query.getSocketAddress()));
        });
    }

    /** Answers every query, with its id, but for another question ({@code decoy.example. A}): a spoof, or a bug. */
    public static FaultyDnsServer wrongQuestion(String address) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            org.xbill.DNS.Message answer = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromConstantString("decoy.example."), org.xbill.DNS.Type.A, org.xbill.DNS.DClass.IN));
            answer.getHeader().setID(((query.getData()[0] & 0xff) << 8) | (query.getData()[1] & 0xff));
            answer.getHeader().setFlag(org.xbill.DNS.Flags.QR);
            byte[] wire = answer.toWire();
            server.send(new DatagramPacket(wire, wire.length, query.getSocketAddress()));
        });
    }

    /** Answers every query REFUSED, with its id and question: a server that will not serve us (an ACL, a zone not its). */
    public static FaultyDnsServer refused(String address) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            org.xbill.DNS.Message refusal = new org.xbill.DNS.Message(Arrays.copyOf(query.getData(), query.getLength()));
            refusal.getHeader().setFlag(org.xbill.DNS.Flags.QR);
            refusal.getHeader().setRcode(org.xbill.DNS.Rcode.REFUSED);
            refusal.removeAllRecords(org.xbill.DNS.Section.ADDITIONAL);
            byte[] wire = refusal.toWire();
            server.send(new DatagramPacket(wire, wire.length, query.getSocketAddress()));
        });
    }

    /**
     * Answers every query NXDOMAIN, with its id and question and recursion available: what a recursive resolver says of
     * a name that does not exist, where an authoritative server such as Knot refuses names outside its zones.
     */
    public static FaultyDnsServer nxdomain(String address) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            org.xbill.DNS.Message answer = new org.xbill.DNS.Message(Arrays.copyOf(query.getData(), query.getLength()));
            answer.getHeader().setFlag(org.xbill.DNS.Flags.QR);
            answer.getHeader().setFlag(org.xbill.DNS.Flags.RA);
            answer.getHeader().setRcode(org.xbill.DNS.Rcode.NXDOMAIN);
            answer.removeAllRecords(org.xbill.DNS.Section.ADDITIONAL);
            byte[] wire = answer.toWire();
            server.send(new DatagramPacket(wire, wire.length, query.getSocketAddress()));
        });
    }

    /** Relays each query to {@code upstream} and sends the real answer back under another id: not an answer to it. */
    public static FaultyDnsServer wrongId(String address, UpstreamServer upstream) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            byte[] answer = relay(query, upstream);
            answer[1] ^= 0x01;
            server.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
        });
    }

    /** Relays each query to {@code upstream} and sends back the first 20 bytes of its answer: a message cut short. */
    public static FaultyDnsServer cutShort(String address, UpstreamServer upstream) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            byte[] answer = relay(query, upstream);
            server.send(new DatagramPacket(answer, Math.min(20, answer.length), query.getSocketAddress()));
        });
    }

    /** Answers every query with a single byte: too short even to carry an id. */
    public static FaultyDnsServer oneByte(String address) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> server.send(new DatagramPacket(new byte[] {0x42}, 1,
                query.getSocketAddress())));
    }

    /**
     * Answers every query with 64 bytes of noise, the same every time (a fixed seed); its first two bytes are not the
     * query's id, so it answers nothing.
     */
    public static FaultyDnsServer noise(String address) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> {
            byte[] noise = new byte[64];
            new java.util.Random(8).nextBytes(noise);
            noise[0] = (byte) ~query.getData()[0];
            server.send(new DatagramPacket(noise, noise.length, query.getSocketAddress()));
        });
    }

    /** Sends the query back as it came, with its id but without the QR bit: a query, not a response. */
    public static FaultyDnsServer echo(String address) throws SocketException {
        return new FaultyDnsServer(address, (server, query) -> server.send(new DatagramPacket(query.getData(),
                query.getLength(), query.getSocketAddress())));
    }

    private void serve(Behaviour behaviour) {
        while (!socket.isClosed()) {
            DatagramPacket query = new DatagramPacket(new byte[4096], 4096);
            try {
                socket.receive(query);
            } catch (IOException e) {
                return; // closed
            }
            received.incrementAndGet();
            if (muted) {
                continue;
            }
            DatagramPacket copy = new DatagramPacket(Arrays.copyOf(query.getData(), query.getLength()),
                    query.getLength(), query.getSocketAddress());
            workers.submit(() -> {
                behaviour.handle(socket, copy);
                return null;
            });
        }
    }

    public UpstreamServer server() {
        return new UpstreamServer(socket.getLocalAddress().getHostAddress(), socket.getLocalPort());
    }

    /** Stops answering ({@code true}: a server that died) or starts again; queries are counted either way. */
    public void mute(boolean muted) {
        this.muted = muted;
    }

    /** How many queries arrived so far. */
    public int received() {
        return received.get();
    }

    @Override
    public void close() {
        socket.close();
        workers.shutdownNow();
    }

    @FunctionalInterface
    private interface Behaviour {
        void handle(DatagramSocket server, DatagramPacket query) throws Exception;
    }
}
