package dev.dnsdig.domain.dns;

import dev.dnsdig.domain.InvalidValueException;
import java.util.Objects;

/**
 * What DNSSEC validation made of one answer (RFC 4035 section 4.3): {@code SECURE} only when we checked the chain of
 * signatures from a trust anchor ourselves; {@code reason} says why it is not secure, empty when there is nothing to say.
 */
public record Validation(Status status, String reason) {

    public enum Status {
        /** Signed, and the signatures lead to a trust anchor: the answer carries AD. */
        SECURE,
        /** Not covered by a trust anchor, or proven unsigned: answered as it came, without AD. */
        INSECURE,
        /** Should be signed but does not validate: the client gets SERVFAIL and the reason. */
        BOGUS,
        /** Not validated at all: checking disabled by the client (CD), validation turned off, or nothing to check. */
        UNCHECKED
    }

    public Validation {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (status == Status.BOGUS && reason.isBlank()) {
            throw new InvalidValueException("reason", "a bogus answer needs the reason it failed validation");
        }
    }

    public static Validation secure() {
        return new Validation(Status.SECURE, "");
    }

    public static Validation insecure(String reason) {
        return new Validation(Status.INSECURE, reason);
    }

    public static Validation bogus(String reason) {
        return new Validation(Status.BOGUS, reason);
    }

    public static Validation unchecked(String reason) {
        return new Validation(Status.UNCHECKED, reason);
    }

    public boolean bogus() {
        return status == Status.BOGUS;
    }
}
