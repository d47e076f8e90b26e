package dev.dnsdig.domain.dns;

import java.util.Objects;

/**
 * One record of a response: owner name (absolute), type mnemonic, remaining TTL in seconds, the
 * presentation-format data and its typed form.
 */
public record ResourceRecord(String name, String type, long ttl, String data, RecordData typed) {
    public ResourceRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(typed, "typed");
        if (ttl < 0 || ttl > 0xffffffffL) {
            throw new IllegalArgumentException("ttl out of range: " + ttl);
        }
    }

    /** The same record with another TTL (a cache counts it down). */
    public ResourceRecord withTtl(long newTtl) {
        return newTtl == ttl ? this : new ResourceRecord(name, type, newTtl, data, typed);
    }

    /** What two providers must both return to agree: type and data, not the TTL that counts down. */
    public String identity() {
        return type + " " + data;
    }
}
