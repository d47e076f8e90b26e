package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.dns.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory {@link DnsMessageExchange} for tests of the use case and the HTTP layer: its "wire format" is text,
 * {@code "Q name type"} for a query and {@code "A <provider> name type"} for an answer, and what each provider does
 * is scripted (answer by default; fail; servers that failed lately). Every exchange is recorded.
 */
public final class ScriptedMessageExchange implements DnsMessageExchange {
    private final Map<String, Failure> failing = new ConcurrentHashMap<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final java.util.Set<UpstreamServer> skipped = ConcurrentHashMap.newKeySet();

    public ScriptedMessageExchange fail(String provider, Failure failure) {
        failing.put(provider, failure);
        return this;
    }

    /** These servers failed lately: {@link #failing} says so of a list made of them only. */
    public ScriptedMessageExchange skip(UpstreamServer... servers) {
        skipped.addAll(List.of(servers));
        return this;
    }

    /** The providers asked so far, in order, each with the servers it was asked over. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    public static byte[] wire(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Checked check(byte[] message) {
        String[] parts = new String(message, StandardCharsets.UTF_8).split(" ");
        if (parts.length != 3 || !parts[0].equals("Q")) {
            return new Checked.Malformed("not a scripted query");
        }
        return new Checked.Query(new WireQuery(message.clone(), parts[1], Integer.parseInt(parts[2])));
    }

    @Override
    public WireQuery query(DomainName name, int type, boolean checkingDisabled, boolean dnssecOk) {
        return new WireQuery(wire("Q " + name.fqdn() + " " + type), name.fqdn(), type);
    }

    @Override
    public Exchanged exchange(String provider, List<UpstreamServer> servers, WireQuery query, Instant deadline) {
        asked.add(provider + " " + servers);
        Failure failure = failing.get(provider);
        if (failure != null) {
            return new Exchanged.Failed(failure, "scripted " + failure);
        }
        DnsResponse response = new DnsResponse(DnsStatus.NOERROR, ScriptedDnsResolver.RECURSIVE_FLAGS, List.of(),
                List.of(), servers.get(0), Transport.UDP, Duration.ofMillis(1));
        return new Exchanged.Answered(wire("A " + provider + " " + query.name() + " " + query.type()), response,
                Validation.unchecked("scripted"));
    }

    @Override
    public boolean failing(List<UpstreamServer> servers) {
        return !servers.isEmpty() && skipped.containsAll(servers);
    }

    @Override
    public byte[] serverFailure(WireQuery query) {
        return wire("SERVFAIL " + query.name());
    }
}
