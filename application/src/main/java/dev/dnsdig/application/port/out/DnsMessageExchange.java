package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.dns.Validation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Outgoing port for DNS messages as they travel on the wire, for DNS-over-HTTPS (RFC 8484) and the JSON API: the
 * client's own query forwarded as it is, flags and EDNS options included, and the upstream's answer returned as it
 * came, with the client's message id.
 */
public interface DnsMessageExchange {

    /** Reads a client's message: one standard query with one question, or why it is not one. Never throws. */
    Checked check(byte[] message);

    /** A query of our own for one question (the JSON API has no message of the client's): recursion desired. */
    WireQuery query(DomainName name, int type, boolean checkingDisabled, boolean dnssecOk);

    /**
     * Asks one provider's servers in order until one answers, as {@link DnsResolver} does, over UDP and TCP when the
     * answer is truncated, and validates the answer with DNSSEC unless the query disables checking (CD) or validation
     * is off: a bogus answer comes back as SERVFAIL with the reason. Never throws for network trouble.
     */
    Exchanged exchange(String provider, List<UpstreamServer> servers, WireQuery query, Instant deadline);

    /**
     * Whether every one of these servers failed lately and is being asked after others for a while (see the adapter
     * for how long): a caller with other providers to choose from asks those first. Never a reason to ask nobody.
     */
    boolean failing(List<UpstreamServer> servers);

    /** The SERVFAIL answer to a query that no provider answered. */
    byte[] serverFailure(WireQuery query);

    /** A checked query: its wire form and what it asks, for logs and the JSON API. */
    record WireQuery(byte[] message, String name, int type) {
        public WireQuery {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(name, "name");
        }
    }

    sealed interface Checked {
        record Query(WireQuery query) implements Checked {
        }

        /** Not a DNS query we can forward; {@code reason} says why, for the client. */
        record Malformed(String reason) implements Checked {
        }
    }

    sealed interface Exchanged {
        /**
         * The answer for the client (any DNS status), in wire form and decoded, and what validation made of it: AD
         * is set only when {@code validation} is secure, and a bogus answer is a SERVFAIL.
         */
        record Answered(byte[] message, DnsResponse response, Validation validation) implements Exchanged {
            public Answered {
                Objects.requireNonNull(validation, "validation");
            }
        }

        record Failed(ProviderResult.Failure failure, String error) implements Exchanged {
        }
    }
}
