package dev.dnsdig.domain.dns;

import dev.dnsdig.domain.InvalidValueException;

/** IP address literals in their canonical text form: dotted quad for IPv4, RFC 5952 compressed for IPv6. */
public final class IpAddresses {
    private IpAddresses() {
    }

    /** The canonical text of a 4- or 16-byte address. */
    public static String canonical(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        if (address.length != 16) {
            throw new InvalidValueException("address", "an IP address has 4 or 16 bytes, not " + address.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        // RFC 5952 4.2: compress the longest run (first if tied) of two or more zero groups
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** Parses an IPv4 or IPv6 literal (no host names, never a lookup) and returns its bytes. */
    public static byte[] parse(String literal) {
        if (literal == null || literal.isEmpty()) {
            throw new InvalidValueException("address", "an IP address must not be empty");
        }
        return literal.indexOf(':') >= 0 ? parseV6(literal) : parseV4(literal);
    }

    /** The canonical form of a literal, e.g. {@code 2001:DB8:0:0::1} gives {@code 2001:db8::1}. */
    public static String canonical(String literal) {
        return canonical(parse(literal));
    }

    private static byte[] parseV4(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            throw notAnAddress(literal);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) octet(parts[i], literal);
        }
        return bytes;
    }

    private static int octet(String part, String literal) {
        if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                || (part.length() > 1 && part.charAt(0) == '0')) {
            throw notAnAddress(literal);
        }
        int value = Integer.parseInt(part);
        if (value > 255) {
            throw notAnAddress(literal);
        }
        return value;
    }

    private static byte[] parseV6(String literal) {
        String text = literal;
        // mixed notation (::ffff:192.0.2.1) is refused: Java turns IPv4-mapped addresses into IPv4 ones, so such
        // a literal would be an IPv6 server in name and an IPv4 one on the wire
        if (text.indexOf('.') >= 0) {
            throw new InvalidValueException("address", "'" + literal + "' is not an IPv4 or IPv6 address literal: "
                    + "an IPv6 address with an embedded IPv4 address (mixed notation) is not accepted; write it in hex");
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw notAnAddress(literal);
        }
        String[] head = groups(doubleColon >= 0 ? text.substring(0, doubleColon) : text, literal);
        String[] rest = doubleColon >= 0 ? groups(text.substring(doubleColon + 2), literal) : new String[0];
        int total = head.length + rest.length;
        if ((doubleColon < 0 && total != 8) || (doubleColon >= 0 && total > 7)) {
            throw notAnAddress(literal);
        }
        byte[] bytes = new byte[16];
        fill(bytes, 0, head, literal);
        fill(bytes, 8 - rest.length, rest, literal);
        return bytes;
    }

    private static String[] groups(String text, String literal) {
        if (text.isEmpty()) {
            return new String[0];
        }
        String[] groups = text.split(":", -1);
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw notAnAddress(literal);
            }
        }
        return groups;
    }

    private static void fill(byte[] bytes, int firstGroup, String[] groups, String literal) {
        for (int i = 0; i < groups.length; i++) {
            int value = Integer.parseInt(groups[i], 16);
            bytes[2 * (firstGroup + i)] = (byte) (value >> 8);
            bytes[2 * (firstGroup + i) + 1] = (byte) value;
        }
    }

    private static InvalidValueException notAnAddress(String literal) {
        return new InvalidValueException("address", "'" + literal + "' is not an IPv4 or IPv6 address literal");
    }
}
