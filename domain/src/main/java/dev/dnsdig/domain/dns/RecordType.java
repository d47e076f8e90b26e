package dev.dnsdig.domain.dns;

import dev.dnsdig.domain.InvalidValueException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The record types a client may ask for, with their IANA codes. */
public enum RecordType {
    A(1), NS(2), CNAME(5), SOA(6), PTR(12), MX(15), TXT(16), AAAA(28), SRV(33), NAPTR(35),
    DS(43), DNSKEY(48), TLSA(52), SVCB(64), HTTPS(65), CAA(257);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<RecordType> ofCode(int code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }

    /** Accepts a mnemonic in any case ({@code mx}), a number ({@code 15}) or the RFC 3597 form ({@code TYPE15}). */
    public static RecordType parse(String input) {
        String text = input == null ? "" : input.trim().toUpperCase(Locale.ROOT);
        Optional<RecordType> found = Arrays.stream(values()).filter(t -> t.name().equals(text)).findFirst();
        if (found.isEmpty()) {
            String digits = text.startsWith("TYPE") ? text.substring(4) : text;
            if (!digits.isEmpty() && digits.length() <= 5 && digits.chars().allMatch(Character::isDigit)) {
                found = ofCode(Integer.parseInt(digits));
            }
        }
        return found.orElseThrow(() -> new InvalidValueException("type", "unknown or unsupported record type '"
                + input + "'; valid types are " + String.join(", ", names()) + " (or their numeric codes)"));
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
