package dev.dnsdig.domain.dns;

/** Which address family a resolution travels over to reach its upstream servers. */
public enum IpFamily {
    IPV4, IPV6
}
