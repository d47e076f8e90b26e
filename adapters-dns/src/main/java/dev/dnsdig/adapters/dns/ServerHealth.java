package dev.dnsdig.adapters.dns;

import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which upstream servers failed lately, so that a dead server costs one timeout rather than one per query. A server
 * that gave no usable answer (none in time, unreachable, garbage) is asked after its provider's other servers for a
 * back-off of {@link #FIRST_BACKOFF}, doubled by each failed trial up to {@link #MAX_BACKOFF}; any answer from it
 * clears that. When a back-off ends, the first query to come tries the server in its configured place again (a
 * trial: everyone else keeps skipping it meanwhile, so only that query risks the timeout). A server in back-off is
 * still asked when every server before it failed: a provider is never left with nobody to ask.
 *
 * <p>One immutable entry per failing server in a concurrent map, replaced by compare-and-set: while every server
 * answers, the map is empty, and ordering the servers of a query costs one read and no allocation.
 */
final class ServerHealth {
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(2);

    private final Clock clock;
    private final Map<UpstreamServer, Failing> states = new ConcurrentHashMap<>();

    ServerHealth(Clock clock) {
        this.clock = clock;
    }

    /** A failing server: how many failed tries in a row, until when it is skipped, and the last error. */
    private record Failing(int failures, Instant skipUntil, boolean onTrial, String error) {
        /** Taken back for one query: skipped by the others for another back-off of the same length meanwhile. */
        Failing trial(Instant now) {
            return new Failing(failures, now.plus(backOff(failures)), true, error);
        }
    }

    /** {@link #FIRST_BACKOFF} after the first failure, doubled for each further one, at most {@link #MAX_BACKOFF}. */
    static Duration backOff(int failures) {
        Duration backOff = FIRST_BACKOFF;
        for (int i = 1; i < failures && backOff.compareTo(MAX_BACKOFF) < 0; i++) {
            backOff = backOff.multipliedBy(2);
        }
        return backOff.compareTo(MAX_BACKOFF) < 0 ? backOff : MAX_BACKOFF;
    }

    /**
     * The servers in the order to ask them: those without recent failures (and one whose back-off just ended, for
     * this query only) in their configured order, then those being skipped, in their configured order too.
     */
    List<UpstreamServer> order(List<UpstreamServer> servers) {
        if (states.isEmpty()) {
            return servers;
        }
        Instant now = clock.instant();
        List<UpstreamServer> first = new ArrayList<>(servers.size());
        List<UpstreamServer> last = new ArrayList<>(servers.size());
        for (UpstreamServer server : servers) {
            Failing state = states.get(server);
            boolean ask = state == null
                    || !now.isBefore(state.skipUntil()) && states.replace(server, state, state.trial(now));
            (ask ? first : last).add(server);
        }
        if (last.isEmpty()) {
            return servers;
        }
        first.addAll(last);
        return first;
    }

    /** The server answered (any DNS status): it is alive. */
    void answered(UpstreamServer server) {
        if (!states.isEmpty()) {
            states.remove(server);
        }
    }

    /**
     * The server gave no usable answer to a query that waited for it the full per-query timeout. The first failure and
     * a failed trial each start a back-off (a longer one after a trial); a failure while it is skipped anyway (a query
     * sent before the first one came back) changes nothing but the error.
     */
    void failed(UpstreamServer server, String error) {
        Instant now = clock.instant();
        while (true) {
            Failing state = states.get(server);
            if (state == null) {
                if (states.putIfAbsent(server, new Failing(1, now.plus(FIRST_BACKOFF), false, error)) == null) {
                    return;
                }
                continue;
            }
            Failing next = state.onTrial()
                    ? new Failing(state.failures() + 1, now.plus(backOff(state.failures() + 1)), false, error)
                    : new Failing(state.failures(), state.skipUntil(), false, error);
            if (states.replace(server, state, next)) {
                return;
            }
        }
    }

    /** Whether queries ask this server after the others now. */
    boolean skipped(UpstreamServer server) {
        Failing state = states.get(server);
        return state != null && clock.instant().isBefore(state.skipUntil());
    }

    /** Whether every one of {@code servers} is {@linkplain #skipped skipped} now: a provider worth asking last. */
    boolean allSkipped(List<UpstreamServer> servers) {
        if (states.isEmpty()) {
            return false;
        }
        return servers.stream().allMatch(this::skipped);
    }

    /** Whether the server's last try failed: it has not answered since (skipped now or not). */
    boolean failing(UpstreamServer server) {
        return states.containsKey(server);
    }

    /** The failing servers, each with its state in words, for readiness details. */
    Map<String, String> describe() {
        Instant now = clock.instant();
        Map<String, String> described = new LinkedHashMap<>();
        states.forEach((server, state) -> {
            String failures = state.failures() + (state.failures() == 1 ? " failure: " : " failures: ") + state.error();
            if (now.isBefore(state.skipUntil())) {
                long seconds = Math.max(1, Duration.between(now, state.skipUntil()).toSeconds());
                described.put(server.toString(), "asked last for " + seconds + " s more after " + failures);
            } else {
                described.put(server.toString(), "to be tried again by the next query after " + failures);
            }
        });
        return described;
    }
}
