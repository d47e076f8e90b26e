package dev.dnsdig.adapters.dns;

import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.dns.Validation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DNSSEC validation of answers as a validating stub does it (RFC 4035 section 4.9.3), with dnsjava's
 * {@link ValidatingResolver}: the chain of DS and DNSKEY records from our trust anchors down to the answer is
 * fetched from the same provider's servers, over {@link Upstream} (with DO and CD set, so the provider hands over
 * signatures and data it would itself reject), and checked here. One validator per provider keeps the keys it has
 * proven between queries.
 */
final class DnssecValidator {
    /**
     * An EDNS option code from the local/experimental range (RFC 6891 section 9) that marks the client's question in
     * what {@link ValidatingResolver} asks of its head resolver: that answer is already here and is not fetched twice.
     * It never leaves this process.
     */
    private static final int PREPARED = 65_001;

    private final Upstream upstream;
    private final String anchors;
    private final Duration perQueryTimeout;
    private final Map<String, ValidatingResolver> validators = new ConcurrentHashMap<>();
    private final Map<Long, Message> prepared = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();
    private final Executor lookups = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dnssec-", 0).factory());

    DnssecValidator(Upstream upstream, TrustAnchors anchors, Duration perQueryTimeout) {
        this.upstream = upstream;
        this.anchors = anchors.presentation();
        this.perQueryTimeout = perQueryTimeout;
    }

    /** What validation made of an answer: the message for the client (SERVFAIL when bogus) and the verdict. */
    record Validated(Message message, Validation validation) {
    }

    /**
     * Validates {@code answer}, the provider's answer to {@code question} asked with DO and CD; throws
     * {@link ValidationUnfinished} when the keys could not be fetched before {@code deadline}.
     */
    Validated validate(String provider, List<UpstreamServer> servers, Message question, Message answer, Instant deadline)
            throws ValidationUnfinished {
        ValidatingResolver validator = validators.computeIfAbsent(provider + " " + servers, key -> create(servers));
        long token = tokens.incrementAndGet();
        Message ask = Message.newQuery(question.getQuestion());
        ask.getHeader().setID(question.getHeader().getID());
        ask.addRecord(new OPTRecord(Upstream.EDNS_PAYLOAD, 0, 0, ExtendedFlags.DO,
                List.of(new GenericEDNSOption(PREPARED, ByteBuffer.allocate(Long.BYTES).putLong(token).array()))),
                Section.ADDITIONAL);
        prepared.put(token, answer);
        CompletableFuture<Message> validation = validator.sendAsync(ask).toCompletableFuture();
        try {
            long remaining = Duration.between(Instant.now(), deadline).toNanos();
            return verdict(validation.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            validation.cancel(true);
            throw new ValidationUnfinished(Failure.TIMEOUT, "DNSSEC validation did not finish before the deadline");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ValidationUnfinished(Failure.TIMEOUT, "DNSSEC validation interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof ValidationUnfinished unfinished) {
                throw unfinished;
            }
            throw new ValidationUnfinished(Failure.BAD_RESPONSE, "DNSSEC validation failed: " + cause);
        } finally {
            prepared.remove(token);
        }
    }

    /** AD (set by the validator on secure answers only) and the reason it adds to the additional section. */
    private static Validated verdict(Message validated) {
        String reason = "";
        for (Record record : validated.getSection(Section.ADDITIONAL)) {
            if (record instanceof TXTRecord txt && record.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                reason = String.join("", txt.getStrings());
                validated.removeRecord(record, Section.ADDITIONAL); // dnsjava's private convention, not for clients
            }
        }
        if (validated.getHeader().getFlag(Flags.AD)) {
            return new Validated(validated, Validation.secure());
        }
        if (validated.getRcode() == Rcode.SERVFAIL) { // only NOERROR and NXDOMAIN answers are validated
            return new Validated(validated, Validation.bogus(reason.isBlank() ? extendedError(validated) : reason));
        }
        return new Validated(validated, Validation.insecure(reason));
    }

    private static String extendedError(Message message) {
        OPTRecord opt = message.getOPT();
        List<EDNSOption> options = opt == null ? List.of() : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
        return options.isEmpty() ? "the answer does not validate"
                : ((ExtendedErrorCodeOption) options.get(0)).getText();
    }

    private ValidatingResolver create(List<UpstreamServer> servers) {
        ValidatingResolver validator = new ValidatingResolver(new ProviderResolver(servers));
        try {
            validator.loadTrustAnchors(new ByteArrayInputStream(anchors.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("trust anchors were checked at start", e);
        }
        return validator;
    }

    /** Why validation came to no verdict; the provider is then treated as not answering. */
    static final class ValidationUnfinished extends IOException {
        private final Failure failure;

        ValidationUnfinished(Failure failure, String error) {
            super(error);
            this.failure = failure;
        }

        Failure failure() {
            return failure;
        }
    }

    /**
     * The head resolver {@link ValidatingResolver} asks for the answer and the keys: one provider's servers through
     * {@link Upstream} (its UDP sockets, TCP on truncation, failover between servers), DO and CD always set.
     */
    private final class ProviderResolver implements Resolver {
        private final List<UpstreamServer> servers;

        ProviderResolver(List<UpstreamServer> servers) {
            this.servers = List.copyOf(servers);
        }

        @Override
        public CompletionStage<Message> sendAsync(Message query) {
            return sendAsync(query, lookups);
        }

        @Override
        public CompletionStage<Message> sendAsync(Message query, Executor executor) {
            Message answer = preparedAnswer(query);
            if (answer != null) {
                return CompletableFuture.completedFuture(answer.clone());
            }
            return CompletableFuture.supplyAsync(() -> ask(query), lookups);
        }

        private Message preparedAnswer(Message query) {
            OPTRecord opt = query.getOPT();
            if (opt == null) {
                return null;
            }
            for (EDNSOption option : opt.getOptions(PREPARED)) {
                byte[] wire = option.toWire(); // code and length, then the token
                if (wire.length == 4 + Long.BYTES) {
                    return prepared.get(ByteBuffer.wrap(wire, 4, Long.BYTES).getLong());
                }
            }
            return null;
        }

        private Message ask(Message query) {
            Message asked = withDnssec(query);
            // each key lookup gets as long as asking every server once; the caller's deadline bounds the whole
            Instant deadline = Instant.now().plus(perQueryTimeout.multipliedBy(Math.max(1, servers.size())));
            return switch (upstream.ask(servers, asked, deadline)) {
                case Upstream.Asked.Answer answer -> answer.message();
                case Upstream.Asked.NoAnswer none -> throw new CompletionException(new ValidationUnfinished(none.failure(),
                        "DNSSEC key lookup " + query.getQuestion().getName() + " " + Type.string(query.getQuestion().getType())
                                + ": " + none.error()));
            };
        }

        @Override
        public void setPort(int port) {
            // the servers are fixed per provider
        }

        @Override
        public void setTCP(boolean flag) {
            // Upstream uses TCP when an answer is truncated
        }

        @Override
        public void setIgnoreTruncation(boolean flag) {
            // never: a truncated answer is asked again over TCP
        }

        @Override
        public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
            // DO is set on every query by withDnssec, the payload size is Upstream's
        }

        @Override
        public void setTSIGKey(TSIG key) {
            throw new UnsupportedOperationException("queries to public resolvers are not signed");
        }

        @Override
        public void setTimeout(Duration timeout) {
            // the per-query timeout is Upstream's
        }
    }

    /** The query as a validator asks it (RFC 4035 section 4.9.1/4.9.2): DO for the signatures, CD for the raw data. */
    static Message withDnssec(Message query) {
        Message asked = query.clone();
        asked.getHeader().setFlag(Flags.CD);
        OPTRecord opt = asked.getOPT();
        if (opt == null) {
            asked.addRecord(new OPTRecord(Upstream.EDNS_PAYLOAD, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        } else if ((opt.getFlags() & ExtendedFlags.DO) == 0) {
            List<EDNSOption> options = new ArrayList<>(opt.getOptions());
            asked.removeRecord(opt, Section.ADDITIONAL);
            asked.addRecord(new OPTRecord(opt.getPayloadSize(), opt.getExtendedRcode(), opt.getVersion(),
                    opt.getFlags() | ExtendedFlags.DO, options), Section.ADDITIONAL);
        }
        return asked;
    }
}
