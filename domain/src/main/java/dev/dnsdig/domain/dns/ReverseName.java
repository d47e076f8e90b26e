package dev.dnsdig.domain.dns;

import dev.dnsdig.domain.InvalidValueException;

/**
 * The name whose PTR records name the host of an IP address: {@code 1.2.0.192.in-addr.arpa.} for IPv4 (RFC 1035
 * 3.5), one label per nibble under {@code ip6.arpa.} for IPv6 (RFC 3596 2.5). {@code address} is the canonical text
 * of the address looked up. An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is an IPv4 host seen through an
 * IPv6 socket, so its name is the IPv4 one.
 */
public record ReverseName(String address, IpFamily family, DomainName name) {
    private static final String HEX = "0123456789abcdef";

    /** Parses an IPv4 or IPv6 literal (mixed notation such as {@code ::ffff:192.0.2.1} allowed) into its reverse name. */
    public static ReverseName of(String literal) {
        byte[] bytes;
        try {
            bytes = IpAddresses.parse(withoutMixedNotation(literal));
        } catch (InvalidValueException e) {
            throw new InvalidValueException("ip", e.getMessage()); // the rule is the same; the input is called ip here
        }
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            bytes = java.util.Arrays.copyOfRange(bytes, 12, 16);
        }
        StringBuilder name = new StringBuilder(72);
        if (bytes.length == 4) {
            for (int i = 3; i >= 0; i--) {
                name.append(bytes[i] & 0xff).append('.');
            }
            name.append("in-addr.arpa");
        } else {
            for (int i = 15; i >= 0; i--) {
                name.append(HEX.charAt(bytes[i] & 0xf)).append('.').append(HEX.charAt((bytes[i] >> 4) & 0xf)).append('.');
            }
            name.append("ip6.arpa");
        }
        return new ReverseName(IpAddresses.canonical(bytes), bytes.length == 4 ? IpFamily.IPV4 : IpFamily.IPV6,
                new DomainName(name.toString()));
    }

    /**
     * The same literal with a trailing dotted quad written as two hex groups ({@code ::ffff:192.0.2.1} gives
     * {@code ::ffff:c000:201}); any other literal unchanged. The parser refuses mixed notation for server addresses,
     * where Java would turn a mapped address into an IPv4 one; here the bytes are all that matter.
     */
    static String withoutMixedNotation(String literal) {
        if (literal == null || literal.indexOf(':') < 0 || literal.indexOf('.') < 0) {
            return literal;
        }
        int lastColon = literal.lastIndexOf(':');
        byte[] v4;
        try {
            v4 = IpAddresses.parse(literal.substring(lastColon + 1));
        } catch (InvalidValueException e) {
            throw new InvalidValueException("ip", "'" + literal + "' is not an IPv4 or IPv6 address literal: the "
                    + "dotted quad at its end is not an IPv4 address");
        }
        if (v4.length != 4) {
            throw new InvalidValueException("ip", "'" + literal + "' is not an IPv4 or IPv6 address literal");
        }
        return literal.substring(0, lastColon + 1) + Integer.toHexString(((v4[0] & 0xff) << 8) | (v4[1] & 0xff)) + ":"
                + Integer.toHexString(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }
}
