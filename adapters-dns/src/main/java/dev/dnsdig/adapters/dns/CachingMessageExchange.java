package dev.dnsdig.adapters.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.dns.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the answers of forwarded DNS messages (DNS-over-HTTPS, the JSON API) for as long as DNS says they hold, by the
 * same rules as {@link CachingDnsResolver} ({@link DnsResponse#freshFor()}: positive answers for their smallest TTL,
 * NXDOMAIN/NODATA for the RFC 2308 negative TTL, nothing else), keyed by provider, servers, question and the CD and DO
 * bits (an unvalidated or DNSSEC-less answer must not serve a client that asked otherwise). A hit is the kept message
 * with the client's id and every TTL counted down, rewritten in place rather than decoded and encoded again.
 */
public final class CachingMessageExchange implements DnsMessageExchange {
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final DnsMessageExchange upstream;
    private final long maximumTtlSeconds;
    private final Ticker ticker;
    private final Cache<Key, Entry> cache;

    public CachingMessageExchange(DnsMessageExchange upstream, long maximumSize, Duration maximumTtl, Ticker ticker) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (maximumSize < 1 || maximumTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("a cache keeps at least one answer for at least a second");
        }
        this.maximumTtlSeconds = maximumTtl.toSeconds();
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).expireAfter(new TtlExpiry<Key, Entry>(Entry::storedAt, Entry::lifeNanos)).ticker(ticker)
                .executor(Runnable::run) // upkeep on the caller: the common pool has one thread on two cores
                .recordStats().build();
    }

    /** The Caffeine cache underneath, for meters; not for use. */
    public Cache<?, ?> caffeine() {
        return cache;
    }

    @Override
    public Checked check(byte[] message) {
        return upstream.check(message);
    }

    @Override
    public WireQuery query(DomainName name, int type, boolean checkingDisabled, boolean dnssecOk) {
        return upstream.query(name, type, checkingDisabled, dnssecOk);
    }

    @Override
    public boolean failing(List<UpstreamServer> servers) {
        return upstream.failing(servers);
    }

    @Override
    public byte[] serverFailure(WireQuery query) {
        return upstream.serverFailure(query);
    }

    @Override
    public Exchanged exchange(String provider, List<UpstreamServer> servers, WireQuery query, Instant deadline) {
        Key key = Key.of(provider, servers, query);
        Entry kept = cache.getIfPresent(key);
        if (kept != null) {
            long age = (ticker.read() - kept.storedAt()) / NANOS_PER_SECOND;
            byte[] message = WireMessages.withIdAndAge(kept.message(), WireMessages.id(query.message()), age,
                    maximumTtlSeconds);
            DnsResponse response = kept.response().mapRecords(
                    r -> r.withTtl(Math.max(0, Math.min(r.ttl(), maximumTtlSeconds) - age)), Duration.ZERO);
            return new Exchanged.Answered(message, response, kept.validation());
        }
        Exchanged result = upstream.exchange(provider, servers, query, deadline);
        if (result instanceof Exchanged.Answered answered) {
            OptionalLong fresh = answered.response().freshFor();
            if (fresh.isPresent() && fresh.getAsLong() > 0) {
                cache.put(key, new Entry(answered.message(), answered.response(), answered.validation(), ticker.read(),
                        Math.min(fresh.getAsLong(), maximumTtlSeconds) * NANOS_PER_SECOND));
            }
        }
        return result;
    }

    private record Key(String provider, List<UpstreamServer> servers, String name, int type, boolean checkingDisabled,
                       boolean dnssecOk) {
        static Key of(String provider, List<UpstreamServer> servers, WireQuery query) {
            return new Key(provider, servers, query.name().toLowerCase(Locale.ROOT), query.type(),
                    WireMessages.checkingDisabled(query.message()), WireMessages.dnssecOk(query.message()));
        }
    }

    private record Entry(byte[] message, DnsResponse response, Validation validation, long storedAt, long lifeNanos) {
    }
}
