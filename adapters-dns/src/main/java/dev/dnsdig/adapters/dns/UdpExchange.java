package dev.dnsdig.adapters.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DNS over UDP on a few long-lived sockets per server instead of a new socket (and dnsjava's selector thread)
 * per query: a query is sent on one of {@value #SOCKETS_PER_SERVER} connected sockets with a random unused id, and
 * that socket's reader hands the answer with that id to the waiting query. A connected socket takes datagrams from
 * its server only; a socket is replaced after {@value #QUERIES_PER_SOCKET} queries so source ports keep changing,
 * and closes itself when it has been idle for {@link #IDLE}. Measured against a socket per query (dnsjava's
 * SimpleResolver): see the issue notes and bench/resolve.sh.
 */
final class UdpExchange {
    static final int SOCKETS_PER_SERVER = 4;
    static final int QUERIES_PER_SOCKET = 5_000;
    static final Duration IDLE = Duration.ofSeconds(30);
    private static final int MAX_DATAGRAM = 65_535;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<InetSocketAddress, Link[]> links = new ConcurrentHashMap<>();
    private final int queriesPerSocket;
    private final Duration idle;

    UdpExchange() {
        this(QUERIES_PER_SOCKET, IDLE);
    }

    UdpExchange(int queriesPerSocket, Duration idle) {
        this.queriesPerSocket = queriesPerSocket;
        this.idle = idle;
    }

    /**
     * Sends {@code query} (wire format; its first two bytes, the id, are replaced) and returns the answer with the
     * same id, waiting at most {@code timeout}.
     */
    byte[] exchange(InetSocketAddress server, byte[] query, Duration timeout) throws IOException, TimeoutException {
        for (int attempt = 0; ; attempt++) {
            Link link = link(server);
            int id;
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            do {
                id = RANDOM.nextInt(1 << 16);
            } while (link.pending.putIfAbsent(id, answer) != null);
            byte[] packet = query.clone();
            packet[0] = (byte) (id >>> 8);
            packet[1] = (byte) id;
            try {
                link.socket.send(new DatagramPacket(packet, packet.length));
                return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SocketTimeoutException("interrupted");
            } catch (ExecutionException | IOException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (link.closed && attempt == 0) {
                    continue; // the socket closed itself for idleness just as this query took it: take a new one
                }
                throw cause instanceof IOException io ? io : new IOException(cause);
            } finally {
                link.pending.remove(id, answer);
            }
        }
    }

    /** One of the server's sockets, chosen at random; a worn-out or closed one is replaced first. */
    private Link link(InetSocketAddress server) throws SocketException {
        Link[] slots = links.computeIfAbsent(server, s -> new Link[SOCKETS_PER_SERVER]);
        int slot = RANDOM.nextInt(SOCKETS_PER_SERVER);
        synchronized (slots) {
            Link link = slots[slot];
            if (link == null || link.closed || link.uses.incrementAndGet() > queriesPerSocket) {
                if (link != null) {
                    link.retire();
                }
                link = new Link(server, idle);
                link.uses.incrementAndGet();
                slots[slot] = link;
            }
            return link;
        }
    }

    /** A connected socket and its reader. */
    private static final class Link {
        final DatagramSocket socket;
        final Map<Integer, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
        final AtomicInteger uses = new AtomicInteger();
        volatile boolean closed;
        private volatile boolean retired;

        Link(InetSocketAddress server, Duration idle) throws SocketException {
            socket = new DatagramSocket();
            socket.connect(server);
            socket.setSoTimeout((int) idle.toMillis());
            Thread.ofVirtual().name("dns-udp-" + server).start(this::read);
        }

        /** No new queries; it closes once its last answer is in (or after the idle time). */
        void retire() {
            retired = true;
        }

        private void read() {
            byte[] buffer = new byte[MAX_DATAGRAM];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                while (true) {
                    if (retired && pending.isEmpty()) {
                        return;
                    }
                    try {
                        packet.setLength(buffer.length);
                        socket.receive(packet);
                    } catch (SocketTimeoutException idle) {
                        if (pending.isEmpty()) {
                            return;
                        }
                        continue;
                    } catch (PortUnreachableException e) {
                        // ICMP says nothing listens there: every query waiting on this socket learns it at once
                        pending.values().forEach(answer -> answer.completeExceptionally(e));
                        continue;
                    }
                    if (packet.getLength() >= 2) {
                        int id = ((buffer[0] & 0xff) << 8) | (buffer[1] & 0xff);
                        CompletableFuture<byte[]> answer = pending.get(id);
                        if (answer != null) {
                            byte[] bytes = new byte[packet.getLength()];
                            System.arraycopy(buffer, 0, bytes, 0, bytes.length);
                            answer.complete(bytes);
                        }
                    }
                }
            } catch (IOException e) {
                pending.values().forEach(answer -> answer.completeExceptionally(e));
            } finally {
                closed = true;
                socket.close();
                pending.values().forEach(answer -> answer.completeExceptionally(new SocketException("socket closed")));
            }
        }
    }
}
