package dev.dnsdig.adapters.dns;

import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.HeaderFlags;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.WireParseException;

/**
 * Asking a provider's servers, shared by both ports of this adapter: UDP first (our {@link UdpExchange}: a few
 * long-lived sockets per server), TCP with dnsjava's {@link SimpleResolver} when the answer comes back truncated;
 * servers are tried until one answers, each within the per-query timeout and all within the deadline, those that
 * failed lately last ({@link ServerHealth}).
 */
final class Upstream {
    /** RFC 9715 / DNS Flag Day 2020: the EDNS buffer size that avoids IP fragmentation. */
    static final int EDNS_PAYLOAD = 1232;

    private final Duration perQueryTimeout;
    private final ServerHealth health;
    private final UdpExchange udp = new UdpExchange();
    // dnsjava completes its futures on the common pool otherwise, which on 2 cores means a new thread per query
    private final Executor completions = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dnsjava-", 0).factory());

    Upstream(Duration perQueryTimeout, ServerHealth health) {
        this.perQueryTimeout = Objects.requireNonNull(perQueryTimeout, "perQueryTimeout");
        this.health = Objects.requireNonNull(health, "health");
        if (perQueryTimeout.isNegative() || perQueryTimeout.isZero()) {
            throw new IllegalArgumentException("perQueryTimeout must be positive");
        }
    }

    /** What asking a provider's servers came to. */
    sealed interface Asked {
        record Answer(Message message, UpstreamServer server, Transport transport, Duration elapsed) implements Asked {
            DnsResponse response() {
                Header header = message.getHeader();
                HeaderFlags flags = new HeaderFlags(header.getFlag(Flags.AA), header.getFlag(Flags.TC),
                        header.getFlag(Flags.RD), header.getFlag(Flags.RA), header.getFlag(Flags.AD), header.getFlag(Flags.CD));
                return new DnsResponse(DnsStatus.ofCode(message.getRcode()), flags,
                        RecordMapper.map(message.getSection(Section.ANSWER)),
                        RecordMapper.map(message.getSection(Section.AUTHORITY)), server, transport, elapsed);
            }
        }

        record NoAnswer(Failure failure, String error, List<UpstreamServer> tried) implements Asked {
        }
    }

    /**
     * Asks {@code servers} in the order {@link ServerHealth} gives (those that failed lately last) until one answers;
     * REFUSED is no answer either (the server will not serve this question to us, which says nothing about the name),
     * so the next server is asked. Only the UDP leg judges a server's health: a timeout that the deadline cut short,
     * or an interrupted wait, says nothing about it.
     */
    Asked ask(List<UpstreamServer> servers, Message question, Instant deadline) {
        List<UpstreamServer> tried = new ArrayList<>();
        Failure failure = Failure.TIMEOUT;
        String error = "deadline passed before any server was asked";
        for (UpstreamServer server : health.order(servers)) {
            Duration remaining = Duration.between(Instant.now(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                failure = Failure.TIMEOUT;
                error = "request deadline passed" + (tried.isEmpty() ? " before any server was asked" : "");
                break;
            }
            tried.add(server);
            long serverStart = System.nanoTime();
            boolean fullWait = remaining.compareTo(perQueryTimeout) >= 0;
            Duration timeout = fullWait ? perQueryTimeout : remaining;
            boolean overTcp = false;
            try {
                Message answer = send(server, question, timeout, false);
                health.answered(server);
                Transport transport = Transport.UDP;
                if (answer.getHeader().getFlag(Flags.TC)) {
                    overTcp = true;
                    answer = send(server, question, timeout, true);
                    transport = Transport.TCP;
                }
                if (answer.getRcode() == Rcode.REFUSED) {
                    failure = Failure.REFUSED;
                    error = server + ": refused the query (REFUSED: not a zone it serves, or not to us)";
                    continue;
                }
                return new Asked.Answer(answer, server, transport, Duration.ofNanos(System.nanoTime() - serverStart));
            } catch (TimeoutException e) {
                failure = Failure.TIMEOUT;
                error = server + ": no answer within " + timeout.toMillis() + " ms" + (overTcp ? " over TCP" : "");
                suspect(server, error, fullWait && !overTcp);
            } catch (PortUnreachableException e) {
                failure = Failure.UNREACHABLE;
                error = server + ": port unreachable (nothing listens there)";
                suspect(server, error, !overTcp);
            } catch (WireParseException e) {
                failure = Failure.BAD_RESPONSE;
                error = server + ": malformed answer: " + e.getMessage();
                suspect(server, error, !overTcp);
            } catch (IOException e) {
                failure = Failure.UNREACHABLE;
                error = server + ": " + describe(e) + (overTcp ? " over TCP" : "");
                suspect(server, error, !overTcp && !(e instanceof InterruptedIOException) && !Thread.currentThread().isInterrupted());
            }
        }
        return new Asked.NoAnswer(failure, error, tried);
    }

    private void suspect(UpstreamServer server, String error, boolean itsFault) {
        if (itsFault) {
            health.failed(server, error);
        }
    }

    private Message send(UpstreamServer server, Message question, Duration timeout, boolean tcp)
            throws IOException, TimeoutException {
        if (!tcp) {
            Message query = question.clone();
            OPTRecord asked = query.getOPT();
            if (asked == null) {
                query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
            } else if (asked.getPayloadSize() > EDNS_PAYLOAD) {
                // a client's own EDNS (DNS-over-HTTPS) keeps its flags and options, but not a size that fragments
                query.removeRecord(asked, Section.ADDITIONAL);
                query.addRecord(new OPTRecord(EDNS_PAYLOAD, asked.getExtendedRcode(), asked.getVersion(),
                        asked.getFlags(), asked.getOptions()), Section.ADDITIONAL);
            }
            Message answer = new Message(udp.exchange(socketAddress(server), query.toWire(), timeout));
            if (!answer.getHeader().getFlag(Flags.QR)) {
                throw new WireParseException("not a response (the QR bit is clear)");
            }
            Record expected = question.getQuestion();
            Record answered = answer.getQuestion();
            if (answered == null || !answered.getName().equals(expected.getName()) || answered.getType() != expected.getType()
                    || answered.getDClass() != expected.getDClass()) {
                throw new WireParseException("the answer is for another question: " + answered);
            }
            answer.getHeader().setID(question.getHeader().getID());
            return answer;
        }
        SimpleResolver resolver = new SimpleResolver(socketAddress(server));
        resolver.setTimeout(timeout);
        resolver.setTCP(tcp);
        resolver.setIgnoreTruncation(true); // we retry over TCP ourselves, to report the transport used
        resolver.setEDNS(0, EDNS_PAYLOAD, 0, List.of());
        // dnsjava notices its own timeouts only when its selector wakes up (about once a second), so wait here
        CompletableFuture<Message> answer = resolver.sendAsync(question, completions).toCompletableFuture();
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new SocketTimeoutException("interrupted");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                throw new TimeoutException(cause.getMessage());
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(cause), cause);
        }
    }

    private static InetSocketAddress socketAddress(UpstreamServer server) throws UnknownHostException {
        // the address is a validated literal, so this never performs a lookup
        return new InetSocketAddress(InetAddress.getByName(server.address()), server.port());
    }

    private static String describe(IOException e) {
        if (e instanceof SocketException && e.getMessage() != null) {
            return e.getMessage().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(java.util.Locale.ROOT)
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
