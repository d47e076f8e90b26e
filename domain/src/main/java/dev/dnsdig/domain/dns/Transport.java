package dev.dnsdig.domain.dns;

/** How an answer arrived: UDP, or TCP after a truncated UDP answer. */
public enum Transport {
    UDP, TCP
}
