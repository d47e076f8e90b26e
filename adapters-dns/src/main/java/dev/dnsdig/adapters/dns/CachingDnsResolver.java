package dev.dnsdig.adapters.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.dnsdig.application.port.out.DnsResolver;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link DnsResolver} that keeps answers for as long as DNS says they hold, in front of another one (the upstream).
 * <ul>
 * <li>Keyed by provider, servers asked (so the IPv4 and IPv6 servers of a provider never share), name and type.</li>
 * <li>Positive answers live as long as their smallest answer TTL; NXDOMAIN and NODATA for the RFC 2308 negative TTL
 * (the smaller of the SOA's TTL and its MINIMUM), and not at all without an SOA; everything capped at a maximum TTL.
 * Failures and other statuses are never kept: see {@link #keep}.</li>
 * <li>A served answer has every TTL counted down by the time it spent here, and says it was {@code cached}.</li>
 * <li>Concurrent identical questions make one upstream query; each caller still waits only until its own
 * deadline.</li>
 * <li>Bounded in entries (Caffeine's size eviction); hit, miss and eviction counts for meters.</li>
 * </ul>
 */
public final class CachingDnsResolver implements DnsResolver {
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final DnsResolver upstream;
    private final long maximumTtlSeconds;
    private final Ticker ticker;
    private final AsyncCache<Key, Entry> cache;
    // upstream queries run apart from the caller that started them: its deadline or interruption must not end a
    // query others wait for too (virtual threads, as they block on the network)
    private final Executor loads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dns-cache-", 0).factory());

    /**
     * @param maximumSize how many answers are kept at most (at least 1)
     * @param maximumTtl  the longest any answer is kept, whatever its TTL (at least a second)
     * @param ticker      the time entries age by, in nanoseconds ({@link Ticker#systemTicker()} outside tests)
     */
    public CachingDnsResolver(DnsResolver upstream, long maximumSize, Duration maximumTtl, Ticker ticker) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be at least 1, not " + maximumSize);
        }
        if (maximumTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("maximumTtl must be at least a second, not " + maximumTtl);
        }
        this.maximumTtlSeconds = maximumTtl.toSeconds();
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(new TtlExpiry<Key, Entry>(Entry::storedAt, Entry::lifeNanos))
                .ticker(ticker)
                // upkeep (eviction, expiry) on the calling thread: a little work per call, done at once, rather than
                // on the common pool, which has a single thread on these two-core machines
                .executor(Runnable::run)
                .recordStats()
                .buildAsync();
    }

    /** The Caffeine cache underneath, for meters (Micrometer's {@code CaffeineCacheMetrics}); not for use. */
    public AsyncCache<?, ?> caffeine() {
        return cache;
    }

    @Override
    public ProviderResult query(UpstreamQuery query) {
        long start = System.nanoTime();
        AtomicBoolean asked = new AtomicBoolean();
        Key key = Key.of(query);
        CompletableFuture<Entry> pending = cache.get(key, (k, executor) -> {
            asked.set(true);
            return CompletableFuture.supplyAsync(() -> keep(upstream.query(query), query.deadline()), loads);
        });
        Entry entry;
        try {
            entry = pending.get(Math.max(0, Duration.between(Instant.now(), query.deadline()).toNanos()),
                    TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // not cancelled: others may wait for the same query, and its answer will serve the next ones
            return timedOut(query, "no answer within the request deadline", start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return timedOut(query, "interrupted while waiting for an answer", start);
        } catch (ExecutionException e) {
            // the upstream broke its promise not to throw; Caffeine drops the failed load, so nothing is poisoned
            if (asked.get()) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
            return upstream.query(query); // someone else's load failed: ours is asked on its own
        }
        if (asked.get() && entry.lifeNanos() == 0) {
            // not to be kept: gone before we answer, not only once Caffeine's completion callback has run on the
            // loading thread (until then the next question would still join this result)
            cache.asMap().remove(key, pending);
        }
        if (!asked.get() && entry.result() instanceof ProviderResult.Failed failed
                && failed.failure() == ProviderResult.Failure.TIMEOUT && query.deadline().isAfter(entry.askedUntil())) {
            // we joined a query that gave up at its caller's deadline, earlier than ours: we may still get an answer
            return upstream.query(query);
        }
        return asked.get() || entry.lifeNanos() == 0 ? entry.result() : aged(entry, start);
    }

    /**
     * A kept answer that is still fresh, counted down; never a load still under way or a result not to be kept. Looks
     * without counting first, so that a miss is counted once, by the {@link #query} that follows; a hit counts here.
     */
    @Override
    public Optional<ProviderResult> atHand(UpstreamQuery query) {
        long start = System.nanoTime();
        Key key = Key.of(query);
        if (!fresh(cache.asMap().get(key))) {
            return Optional.empty();
        }
        CompletableFuture<Entry> kept = cache.getIfPresent(key);
        return fresh(kept) ? Optional.of(aged(kept.join(), start)) : Optional.empty();
    }

    private static boolean fresh(CompletableFuture<Entry> kept) {
        return kept != null && kept.isDone() && !kept.isCompletedExceptionally() && kept.join().lifeNanos() > 0;
    }

    /**
     * What to keep of an upstream result, and for how long. Never kept: failures (no server answered: the next
     * question should try again, not repeat a timeout that may have been a lost packet), answers whose status is
     * neither NOERROR nor NXDOMAIN (SERVFAIL, REFUSED: the state of a server at that moment, not a fact about the
     * name; RFC 2308 section 7 allows at most five minutes, we allow none and let the coalescing absorb bursts),
     * negative answers without SOA (RFC 2308 section 5) and answers with TTL 0 (RFC 1035: use once, do not keep).
     */
    private Entry keep(ProviderResult result, Instant askedUntil) {
        long now = ticker.read();
        if (result instanceof ProviderResult.Answered answered) {
            OptionalLong fresh = answered.response().freshFor();
            if (fresh.isPresent() && fresh.getAsLong() > 0) {
                long life = Math.min(fresh.getAsLong(), maximumTtlSeconds);
                // no record may promise to hold longer than the entry lives: each is capped at the maximum TTL, the
                // SOA of a negative answer at the negative TTL (RFC 2308 section 5), so counting down stays true
                DnsResponse kept = answered.response().mapRecords(record -> record.withTtl(Math.min(
                        Math.min(record.ttl(), maximumTtlSeconds), negativeCap(answered.response(), record))),
                        answered.response().elapsed());
                return new Entry(new ProviderResult.Answered(answered.provider(), kept), now,
                        life * NANOS_PER_SECOND, askedUntil);
            }
        }
        return new Entry(result, now, 0, askedUntil);
    }

    private static long negativeCap(DnsResponse response, ResourceRecord record) {
        return response.negative() && record.typed() instanceof RecordData.Soa soa ? soa.minimum() : Long.MAX_VALUE;
    }

    /** The kept answer with every TTL counted down by whole seconds spent here, never below 0. */
    private ProviderResult aged(Entry entry, long start) {
        ProviderResult.Answered answered = (ProviderResult.Answered) entry.result();
        long age = (ticker.read() - entry.storedAt()) / NANOS_PER_SECOND;
        DnsResponse response = answered.response().mapRecords(record -> record.withTtl(Math.max(0, record.ttl() - age)),
                Duration.ofNanos(System.nanoTime() - start));
        return new ProviderResult.Answered(answered.provider(), response, true);
    }

    private static ProviderResult timedOut(UpstreamQuery query, String error, long start) {
        return new ProviderResult.Failed(query.provider(), ProviderResult.Failure.TIMEOUT, error, query.servers(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** One question to one provider's servers of one address family. */
    private record Key(String provider, List<UpstreamServer> servers, DomainName name, RecordType type) {
        static Key of(UpstreamQuery query) {
            return new Key(query.provider(), query.servers(), query.name(), query.type());
        }
    }

    /**
     * An upstream result as kept, when it was stored (ticker time), how long it lives (0: handed to those who asked
     * together, then gone) and the deadline its upstream query had.
     */
    private record Entry(ProviderResult result, long storedAt, long lifeNanos, Instant askedUntil) {
    }
}
