package dev.dnsdig.adapters.rest.observe;

/** Who may read {@code /metrics}. */
public enum MetricsAccess {
    /** Clients on this host only, not through a proxy: the default, as meters reveal traffic and routes. */
    LOOPBACK,
    /** Anyone who reaches the port: for networks where only the scraper can (a pod, a private network). */
    OPEN,
    /** No {@code /metrics} at all; requests are still timed and logged. */
    OFF
}
