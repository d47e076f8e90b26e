package dev.dnsdig.domain.dns;

import dev.dnsdig.domain.InvalidValueException;

/** One upstream DNS server: an IP literal (never a host name, so configuring it never causes a lookup) and a port. */
public record UpstreamServer(String address, int port) {
    public static final int DNS_PORT = 53;

    public UpstreamServer {
        address = IpAddresses.canonical(address);
        if (port < 1 || port > 65535) {
            throw new InvalidValueException("port", "port must be between 1 and 65535, not " + port);
        }
    }

    /** Parses {@code 1.1.1.1}, {@code 127.0.0.1:5301}, {@code [2606:4700::1111]} or {@code [::1]:5301}. */
    public static UpstreamServer parse(String spec) {
        String text = spec == null ? "" : spec.trim();
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new InvalidValueException("server", "'" + spec + "' opens '[' but never closes it");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new InvalidValueException("server", "'" + spec + "': expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        int portNumber = DNS_PORT;
        if (port != null) {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                throw new InvalidValueException("server", "'" + spec + "': port must be a number from 1 to 65535");
            }
            portNumber = Integer.parseInt(port);
        }
        try {
            return new UpstreamServer(host, portNumber);
        } catch (InvalidValueException e) {
            throw new InvalidValueException("server", "'" + spec + "': " + e.getMessage()
                    + " (IPv6 with a port is written [addr]:port)");
        }
    }

    public IpFamily family() {
        return address.indexOf(':') >= 0 ? IpFamily.IPV6 : IpFamily.IPV4;
    }

    @Override
    public String toString() {
        String host = family() == IpFamily.IPV6 ? "[" + address + "]" : address;
        return port == DNS_PORT ? host : host + ":" + port;
    }
}
