package dev.dnsdig.adapters.dns;

/**
 * Reads and rewrites the few fields of a DNS message in wire format (RFC 1035 section 4.1) that a cache needs, without
 * decoding the records: the id, the CD bit, the DNSSEC OK bit of the OPT record, and every record's TTL. Messages
 * here were checked or produced by dnsjava before; a malformed one throws {@link IllegalArgumentException}.
 */
final class WireMessages {
    private static final int HEADER = 12;
    private static final int OPT = 41;
    private static final int CD = 0x10; // in the fourth header octet
    private static final int DO = 0x8000; // in the OPT record's TTL field, RFC 3225

    private WireMessages() {
    }

    static boolean checkingDisabled(byte[] message) {
        require(message.length >= HEADER);
        return (message[3] & CD) != 0;
    }

    /** The DNSSEC OK bit of the message's OPT record; false without one. */
    static boolean dnssecOk(byte[] message) {
        int[] found = {0};
        walk(message, (offset, type) -> {
            if (type == OPT) {
                found[0] = u16(message, offset + 2); // the second half of the TTL field: DO and Z
            }
        });
        return (found[0] & DO) != 0;
    }

    /**
     * A copy with the given id and every record's TTL lowered by {@code age} seconds (never below 0) and capped at
     * {@code cap}; the OPT record's TTL field, which holds flags, is left alone.
     */
    static byte[] withIdAndAge(byte[] message, int id, long age, long cap) {
        byte[] copy = message.clone();
        require(copy.length >= HEADER);
        copy[0] = (byte) (id >>> 8);
        copy[1] = (byte) id;
        walk(copy, (offset, type) -> {
            if (type != OPT) {
                long ttl = Math.max(0, Math.min(u32(copy, offset), cap) - age);
                copy[offset] = (byte) (ttl >>> 24);
                copy[offset + 1] = (byte) (ttl >>> 16);
                copy[offset + 2] = (byte) (ttl >>> 8);
                copy[offset + 3] = (byte) ttl;
            }
        });
        return copy;
    }

    static int id(byte[] message) {
        require(message.length >= HEADER);
        return u16(message, 0);
    }

    private interface TtlField {
        void at(int offset, int type);
    }

    /** Calls {@code visit} with the offset of the TTL field and the type of every record after the question section. */
    private static void walk(byte[] message, TtlField visit) {
        require(message.length >= HEADER);
        int questions = u16(message, 4);
        int records = u16(message, 6) + u16(message, 8) + u16(message, 10);
        int offset = HEADER;
        for (int i = 0; i < questions; i++) {
            offset = skipName(message, offset) + 4; // type, class
        }
        for (int i = 0; i < records; i++) {
            offset = skipName(message, offset);
            require(offset + 10 <= message.length);
            int type = u16(message, offset);
            visit.at(offset + 4, type);
            offset += 10 + u16(message, offset + 8); // type, class, TTL, rdlength, rdata
            require(offset <= message.length);
        }
    }

    private static int skipName(byte[] message, int offset) {
        while (true) {
            require(offset < message.length);
            int length = message[offset] & 0xFF;
            if (length == 0) {
                return offset + 1;
            }
            if ((length & 0xC0) == 0xC0) { // a compression pointer ends the name
                return offset + 2;
            }
            require((length & 0xC0) == 0);
            offset += 1 + length;
        }
    }

    private static int u16(byte[] message, int offset) {
        require(offset + 2 <= message.length);
        return (message[offset] & 0xFF) << 8 | message[offset + 1] & 0xFF;
    }

    private static long u32(byte[] message, int offset) {
        return (long) u16(message, offset) << 16 | u16(message, offset + 2);
    }

    private static void require(boolean condition) {
        if (!condition) {
            throw new IllegalArgumentException("not a well-formed DNS message");
        }
    }
}
