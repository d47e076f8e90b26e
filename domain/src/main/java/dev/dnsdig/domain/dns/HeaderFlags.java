package dev.dnsdig.domain.dns;

/** The header bits of a DNS answer that tell how it was produced. */
public record HeaderFlags(boolean authoritative, boolean truncated, boolean recursionDesired,
                          boolean recursionAvailable, boolean authenticData, boolean checkingDisabled) {
}
