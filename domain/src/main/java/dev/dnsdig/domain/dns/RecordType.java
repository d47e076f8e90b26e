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

    /**
     * The IANA code of any type mnemonic dnsjava or a JSON client may write (not only those one may ask for here),
     * or of the RFC 3597 form {@code TYPEnnn}; -1 when unknown.
     */
    public static int codeOf(String mnemonic) {
        String text = mnemonic.toUpperCase(Locale.ROOT);
        Integer known = MNEMONICS.get(text);
        if (known != null) {
            return known;
        }
        String digits = text.startsWith("TYPE") ? text.substring(4) : "";
        if (!digits.isEmpty() && digits.length() <= 5 && digits.chars().allMatch(Character::isDigit)) {
            int code = Integer.parseInt(digits);
            return code <= 65_535 ? code : -1;
        }
        return -1;
    }

    private static final java.util.Map<String, Integer> MNEMONICS = java.util.Map.ofEntries(
            java.util.Map.entry("A", 1), java.util.Map.entry("NS", 2), java.util.Map.entry("CNAME", 5),
            java.util.Map.entry("SOA", 6), java.util.Map.entry("PTR", 12), java.util.Map.entry("HINFO", 13),
            java.util.Map.entry("MX", 15), java.util.Map.entry("TXT", 16), java.util.Map.entry("RP", 17),
            java.util.Map.entry("AAAA", 28), java.util.Map.entry("LOC", 29), java.util.Map.entry("SRV", 33),
            java.util.Map.entry("NAPTR", 35), java.util.Map.entry("CERT", 37), java.util.Map.entry("DNAME", 39),
            java.util.Map.entry("OPT", 41), java.util.Map.entry("DS", 43), java.util.Map.entry("SSHFP", 44),
            java.util.Map.entry("IPSECKEY", 45), java.util.Map.entry("RRSIG", 46), java.util.Map.entry("NSEC", 47),
            java.util.Map.entry("DNSKEY", 48), java.util.Map.entry("DHCID", 49), java.util.Map.entry("NSEC3", 50),
            java.util.Map.entry("NSEC3PARAM", 51), java.util.Map.entry("TLSA", 52), java.util.Map.entry("SMIMEA", 53),
            java.util.Map.entry("CDS", 59), java.util.Map.entry("CDNSKEY", 60), java.util.Map.entry("OPENPGPKEY", 61),
            java.util.Map.entry("CSYNC", 62), java.util.Map.entry("ZONEMD", 63), java.util.Map.entry("SVCB", 64),
            java.util.Map.entry("HTTPS", 65), java.util.Map.entry("SPF", 99), java.util.Map.entry("ANY", 255),
            java.util.Map.entry("URI", 256), java.util.Map.entry("CAA", 257));

    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
