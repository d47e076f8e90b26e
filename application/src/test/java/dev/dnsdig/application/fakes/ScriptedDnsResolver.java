package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.DnsResolver;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.HeaderFlags;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Thread-safe in-memory {@link DnsResolver} whose behaviour a test scripts per provider (and optionally per
 * record type): answer, fail, throw, delay or hang; it records every query it receives.
 *
 * <p>Scripts are looked up most specific first: (provider, type), (provider), ({@link #ANY_PROVIDER}, type),
 * ({@link #ANY_PROVIDER}); an unscripted query is answered {@code NOERROR} with no records (NODATA). Outcomes
 * ({@code answer}, {@code fail}, {@code throwing}, {@code respond}) and delays ({@code delay}, {@code hang}) are
 * scripted independently, so {@code delay} followed by {@code fail} fails after the delay. Like a real adapter,
 * a delay honours the query's deadline: if it would pass the deadline, the fake returns
 * {@code Failed TIMEOUT} at the deadline instead; {@link #hang} models a broken adapter that ignores it.
 *
 * <pre>{@code
 * var resolver = new ScriptedDnsResolver()
 *         .answer("cloudflare", DnsStatus.NOERROR, Records.a("example.com.", 300, "192.0.2.1"))
 *         .fail("google", Failure.UNREACHABLE, "port unreachable")
 *         .delay("slow", Duration.ofMillis(300));
 * }</pre>
 */
public final class ScriptedDnsResolver implements DnsResolver {
    /** Scripts under this name apply to every provider without a script of its own ("*" is no valid provider name). */
    public static final String ANY_PROVIDER = "*";
    /** The flags of a scripted answer: recursion desired and available, as from a recursive resolver. */
    public static final HeaderFlags RECURSIVE_FLAGS = new HeaderFlags(false, false, true, true, false, false);

    private final Clock clock;
    private final Map<Key, Function<UpstreamQuery, ProviderResult>> outcomes = new ConcurrentHashMap<>();
    private final Map<Key, Delay> delays = new ConcurrentHashMap<>();
    private final List<UpstreamQuery> queries = new CopyOnWriteArrayList<>();
    private final List<String> interrupted = new CopyOnWriteArrayList<>();

    /** A fake that measures the query deadline against the system clock, as the real adapter does. */
    public ScriptedDnsResolver() {
        this(Clock.systemUTC());
    }

    /** A fake that measures the query deadline against the given clock. */
    public ScriptedDnsResolver(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- scripting: outcomes ----

    /** The provider answers every type with this status and these answer records. */
    public ScriptedDnsResolver answer(String provider, DnsStatus status, ResourceRecord... answers) {
        return answer(provider, null, status, List.of(answers), List.of());
    }

    /** The provider answers this type with this status and these answer records. */
    public ScriptedDnsResolver answer(String provider, RecordType type, DnsStatus status, ResourceRecord... answers) {
        return answer(provider, type, status, List.of(answers), List.of());
    }

    /** The provider answers every type with this status, answer section and authority section. */
    public ScriptedDnsResolver answer(String provider, DnsStatus status, List<ResourceRecord> answers,
                                      List<ResourceRecord> authority) {
        return answer(provider, null, status, answers, authority);
    }

    /** The provider answers this type (null: every type) with this status, answer and authority sections. */
    public ScriptedDnsResolver answer(String provider, RecordType type, DnsStatus status, List<ResourceRecord> answers,
                                      List<ResourceRecord> authority) {
        Objects.requireNonNull(status, "status");
        List<ResourceRecord> answerSection = List.copyOf(answers);
        List<ResourceRecord> authoritySection = List.copyOf(authority);
        return respond(provider, type, query -> answered(query, status, answerSection, authoritySection));
    }

    /** No server of the provider answers, for every type: {@code Failed} with this kind and message. */
    public ScriptedDnsResolver fail(String provider, Failure failure, String message) {
        return fail(provider, null, failure, message);
    }

    /** No server of the provider answers this type: {@code Failed} with this kind and message. */
    public ScriptedDnsResolver fail(String provider, RecordType type, Failure failure, String message) {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(message, "message");
        return respond(provider, type, query -> new ProviderResult.Failed(query.provider(), failure, message,
                query.servers(), Duration.ZERO));
    }

    /** The adapter breaks its promise and throws this exception for every query to the provider. */
    public ScriptedDnsResolver throwing(String provider, RuntimeException exception) {
        Objects.requireNonNull(exception, "exception");
        return respond(provider, null, query -> {
            throw exception;
        });
    }

    /** Escape hatch: the provider's result is whatever the function makes of the query, for every type. */
    public ScriptedDnsResolver respond(String provider, Function<UpstreamQuery, ProviderResult> responder) {
        return respond(provider, null, responder);
    }

    /** Escape hatch: the provider's result for this type (null: every type) is whatever the function returns. */
    public ScriptedDnsResolver respond(String provider, RecordType type,
                                       Function<UpstreamQuery, ProviderResult> responder) {
        outcomes.put(new Key(Objects.requireNonNull(provider, "provider"), type),
                Objects.requireNonNull(responder, "responder"));
        return this;
    }

    // ---- scripting: timing ----

    /** The provider takes this long before its outcome, for every type; past the deadline it times out instead. */
    public ScriptedDnsResolver delay(String provider, Duration delay) {
        return delay(provider, null, delay);
    }

    /** The provider takes this long before its outcome for this type (null: every type). */
    public ScriptedDnsResolver delay(String provider, RecordType type, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        delays.put(new Key(Objects.requireNonNull(provider, "provider"), type), new Delay(delay, true));
        return this;
    }

    /** The provider never answers and ignores the deadline, like a broken adapter; only interruption ends it. */
    public ScriptedDnsResolver hang(String provider) {
        delays.put(new Key(Objects.requireNonNull(provider, "provider"), null), new Delay(null, false));
        return this;
    }

    /** Forgets all scripts, recorded queries and interruptions. */
    public ScriptedDnsResolver reset() {
        outcomes.clear();
        delays.clear();
        queries.clear();
        interrupted.clear();
        return this;
    }

    // ---- inspection ----

    /** Every query received so far, in arrival order (concurrent queries arrive in any order). */
    public List<UpstreamQuery> queries() {
        return List.copyOf(queries);
    }

    /** The queries received so far for one provider, in arrival order. */
    public List<UpstreamQuery> queries(String provider) {
        return queries.stream().filter(q -> q.provider().equals(provider)).toList();
    }

    /** The providers whose query was interrupted while delayed or hanging (e.g. cancelled by the caller). */
    public List<String> interrupted() {
        return List.copyOf(interrupted);
    }

    /** Waits until at least {@code count} queries have arrived; false if the timeout passes first. */
    public boolean awaitQueries(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (queries.size() < count) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    // ---- the port ----

    @Override
    public ProviderResult query(UpstreamQuery query) {
        long start = System.nanoTime();
        queries.add(query);
        Instant now = clock.instant();
        if (!now.isBefore(query.deadline())) {
            return timedOut(query, List.of(), "request deadline passed before any server was asked", start);
        }
        Delay delay = lookup(delays, query);
        if (delay != null) {
            try {
                if (!delay.honoursDeadline()) {
                    while (true) {
                        Thread.sleep(Long.MAX_VALUE);
                    }
                }
                Duration remaining = Duration.between(now, query.deadline());
                if (delay.duration().compareTo(remaining) >= 0) {
                    sleep(remaining);
                    return timedOut(query, query.servers(), "no answer within the request deadline", start);
                }
                sleep(delay.duration());
            } catch (InterruptedException e) {
                interrupted.add(query.provider());
                Thread.currentThread().interrupt();
                return timedOut(query, query.servers(), "interrupted while waiting for an answer", start);
            }
        }
        Function<UpstreamQuery, ProviderResult> outcome = lookup(outcomes, query);
        ProviderResult result = outcome == null
                ? answered(query, DnsStatus.NOERROR, List.of(), List.of())
                : outcome.apply(query);
        return withElapsed(result, Duration.ofNanos(System.nanoTime() - start));
    }

    private static <T> T lookup(Map<Key, T> scripts, UpstreamQuery query) {
        for (Key key : List.of(new Key(query.provider(), query.type()), new Key(query.provider(), null),
                new Key(ANY_PROVIDER, query.type()), new Key(ANY_PROVIDER, null))) {
            T found = scripts.get(key);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        long nanos = duration.toNanos();
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }

    private static ProviderResult answered(UpstreamQuery query, DnsStatus status, List<ResourceRecord> answers,
                                           List<ResourceRecord> authority) {
        if (query.servers().isEmpty()) {
            return new ProviderResult.Failed(query.provider(), Failure.UNREACHABLE, "no servers to ask", List.of(),
                    Duration.ZERO);
        }
        UpstreamServer server = query.servers().get(0);
        return new ProviderResult.Answered(query.provider(), new DnsResponse(status, RECURSIVE_FLAGS, answers,
                authority, server, Transport.UDP, Duration.ZERO));
    }

    /** Stamps the measured time on scripted results (a custom responder's own non-zero elapsed is kept). */
    private static ProviderResult withElapsed(ProviderResult result, Duration elapsed) {
        return switch (result) {
            case ProviderResult.Answered a when a.elapsed().isZero() -> {
                DnsResponse r = a.response();
                yield new ProviderResult.Answered(a.provider(), new DnsResponse(r.status(), r.flags(), r.answers(),
                        r.authority(), r.server(), r.transport(), elapsed), a.cached());
            }
            case ProviderResult.Failed f when f.elapsed().isZero() ->
                    new ProviderResult.Failed(f.provider(), f.failure(), f.error(), f.servers(), elapsed);
            default -> result;
        };
    }

    private static ProviderResult timedOut(UpstreamQuery query, List<UpstreamServer> tried, String error, long start) {
        return new ProviderResult.Failed(query.provider(), Failure.TIMEOUT, error, tried,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private record Key(String provider, RecordType type) {
    }

    private record Delay(Duration duration, boolean honoursDeadline) {
    }
}
