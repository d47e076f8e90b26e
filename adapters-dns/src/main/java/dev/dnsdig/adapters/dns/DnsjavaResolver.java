package dev.dnsdig.adapters.dns;

import dev.dnsdig.application.port.out.DnsResolver;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.HeaderFlags;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.io.IOException;
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
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.WireParseException;

/**
 * The {@link DnsResolver} port on dnsjava: UDP first (our {@link UdpExchange}: a few long-lived sockets per server,
 * dnsjava's messages), TCP with dnsjava's {@link SimpleResolver} when the answer comes back truncated; servers of a provider are tried in order until one answers, each within the per-query timeout
 * and all within the request's deadline.
 */
public final class DnsjavaResolver implements DnsResolver {
    /** RFC 9715 / DNS Flag Day 2020: the EDNS buffer size that avoids IP fragmentation. */
    static final int EDNS_PAYLOAD = 1232;

    private final Duration perQueryTimeout;
    private final UdpExchange udp = new UdpExchange();
    private final UpstreamHealth health;
    // dnsjava completes its futures on the common pool otherwise, which on 2 cores means a new thread per query
    private final Executor completions = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dnsjava-", 0).factory());

    public DnsjavaResolver(Duration perQueryTimeout, UpstreamHealth health) {
        this.perQueryTimeout = Objects.requireNonNull(perQueryTimeout, "perQueryTimeout");
        this.health = Objects.requireNonNull(health, "health");
        if (perQueryTimeout.isNegative() || perQueryTimeout.isZero()) {
            throw new IllegalArgumentException("perQueryTimeout must be positive");
        }
    }

    @Override
    public ProviderResult query(UpstreamQuery query) {
        long start = System.nanoTime();
        ProviderResult result = ask(query, start);
        health.record(query.provider(), result);
        return result;
    }

    private ProviderResult ask(UpstreamQuery query, long start) {
        Message question;
        try {
            Record record = Record.newRecord(Name.fromString(query.name().fqdn()), query.type().code(), DClass.IN);
            question = Message.newQuery(record);
        } catch (TextParseException e) {
            return failed(query, Failure.BAD_RESPONSE, List.of(), "name not usable in a query: " + e.getMessage(), start);
        }
        List<UpstreamServer> tried = new ArrayList<>();
        Failure failure = Failure.TIMEOUT;
        String error = "deadline passed before any server was asked";
        for (UpstreamServer server : query.servers()) {
            Duration remaining = Duration.between(Instant.now(), query.deadline());
            if (remaining.isNegative() || remaining.isZero()) {
                failure = Failure.TIMEOUT;
                error = "request deadline passed" + (tried.isEmpty() ? " before any server was asked" : "");
                break;
            }
            tried.add(server);
            long serverStart = System.nanoTime();
            Duration timeout = remaining.compareTo(perQueryTimeout) < 0 ? remaining : perQueryTimeout;
            try {
                Message answer = send(server, question, timeout, false);
                Transport transport = Transport.UDP;
                if (answer.getHeader().getFlag(Flags.TC)) {
                    answer = send(server, question, timeout, true);
                    transport = Transport.TCP;
                }
                return new ProviderResult.Answered(query.provider(),
                        toResponse(answer, server, transport, Duration.ofNanos(System.nanoTime() - serverStart)));
            } catch (TimeoutException e) {
                failure = Failure.TIMEOUT;
                error = server + ": no answer within " + timeout.toMillis() + " ms";
            } catch (PortUnreachableException e) {
                failure = Failure.UNREACHABLE;
                error = server + ": port unreachable (nothing listens there)";
            } catch (WireParseException e) {
                failure = Failure.BAD_RESPONSE;
                error = server + ": malformed answer: " + e.getMessage();
            } catch (IOException e) {
                failure = Failure.UNREACHABLE;
                error = server + ": " + describe(e);
            }
        }
        return failed(query, failure, tried, error, start);
    }

    private Message send(UpstreamServer server, Message question, Duration timeout, boolean tcp)
            throws IOException, TimeoutException {
        if (!tcp) {
            Message query = question.clone();
            query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
            Message answer = new Message(udp.exchange(socketAddress(server), query.toWire(), timeout));
            Record asked = question.getQuestion();
            Record answered = answer.getQuestion();
            if (answered == null || !answered.getName().equals(asked.getName()) || answered.getType() != asked.getType()
                    || answered.getDClass() != asked.getDClass()) {
                throw new WireParseException("the answer is for another question: " + answered);
            }
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

    private static DnsResponse toResponse(Message answer, UpstreamServer server, Transport transport, Duration elapsed) {
        Header header = answer.getHeader();
        HeaderFlags flags = new HeaderFlags(header.getFlag(Flags.AA), header.getFlag(Flags.TC),
                header.getFlag(Flags.RD), header.getFlag(Flags.RA), header.getFlag(Flags.AD), header.getFlag(Flags.CD));
        return new DnsResponse(DnsStatus.ofCode(answer.getRcode()), flags,
                RecordMapper.map(answer.getSection(Section.ANSWER)),
                RecordMapper.map(answer.getSection(Section.AUTHORITY)), server, transport, elapsed);
    }

    private static String describe(IOException e) {
        if (e instanceof SocketException && e.getMessage() != null) {
            return e.getMessage().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(java.util.Locale.ROOT)
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static ProviderResult failed(UpstreamQuery query, Failure failure, List<UpstreamServer> tried, String error,
                                         long start) {
        return new ProviderResult.Failed(query.provider(), failure, error, tried, Duration.ofNanos(System.nanoTime() - start));
    }
}
