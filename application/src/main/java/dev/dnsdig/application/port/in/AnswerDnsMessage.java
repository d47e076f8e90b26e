package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.Validation;

/**
 * Use case: answer one DNS question the way a DNS-over-HTTPS service does, from the first provider (in configured
 * order) that answers, failing over to the next when one does not.
 */
public interface AnswerDnsMessage {

    /** A client's wire-format query (RFC 8484). */
    Answer answer(byte[] message);

    /**
     * One question asked by name and type code (the JSON API); {@code checkingDisabled} skips DNSSEC validation,
     * {@code dnssecOk} keeps the DNSSEC records (RRSIG, NSEC) in the answer.
     */
    Answer answer(DomainName name, int type, boolean checkingDisabled, boolean dnssecOk);

    sealed interface Answer {
        /**
         * A provider answered, with any DNS status: the wire message for the client, its decoded form and what DNSSEC
         * validation made of it (a bogus answer is a SERVFAIL whose reason is in {@code validation}).
         */
        record Answered(byte[] message, DnsResponse response, String provider, Validation validation) implements Answer {
        }

        /** No provider answered in time: a SERVFAIL message for the client, and why. */
        record Unanswered(byte[] message, String reason) implements Answer {
        }

        /** The client's message is not a query we can answer. */
        record Malformed(String reason) implements Answer {
        }
    }
}
