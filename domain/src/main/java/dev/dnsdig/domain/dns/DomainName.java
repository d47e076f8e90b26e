package dev.dnsdig.domain.dns;

import dev.dnsdig.domain.InvalidValueException;
import java.net.IDN;
import java.util.List;
import java.util.Locale;

/**
 * A DNS name as a user types it (Unicode allowed) and as the wire needs it (ASCII, punycode, lower case).
 * The trailing dot is optional on input; {@link #ascii()} never has it, {@link #fqdn()} always does.
 */
public record DomainName(String ascii) {
    public static final int MAX_NAME_OCTETS = 253;
    public static final int MAX_LABEL_OCTETS = 63;
    public static final DomainName ROOT = new DomainName("");

    public DomainName {
        if (ascii == null) {
            throw new InvalidValueException("name", "name must not be empty");
        }
        if (!ascii.isEmpty()) {
            checkAscii(ascii);
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
    }

    /** Parses what a user typed: Unicode labels become punycode; every broken rule is named in the message. */
    public static DomainName of(String input) {
        if (input == null || input.isEmpty()) {
            throw new InvalidValueException("name", "name must not be empty");
        }
        if (input.equals(".")) {
            return ROOT;
        }
        String name = input.endsWith(".") ? input.substring(0, input.length() - 1) : input;
        if (name.startsWith(".") || name.contains("..") || name.endsWith(".")) {
            throw new InvalidValueException("name", "name '" + input + "' has an empty label (two dots in a row, or a leading dot)");
        }
        StringBuilder ascii = new StringBuilder(name.length());
        for (String label : name.split("\\.", -1)) {
            if (ascii.length() > 0) {
                ascii.append('.');
            }
            ascii.append(toAsciiLabel(label, input));
        }
        return new DomainName(ascii.toString());
    }

    private static String toAsciiLabel(String label, String input) {
        if (label.chars().allMatch(c -> c < 0x80)) {
            return label;
        }
        for (int i = 0; i < label.length(); ) {
            int cp = label.codePointAt(i);
            if (Character.isWhitespace(cp) || Character.isISOControl(cp)) {
                throw illegalCharacter(label, cp);
            }
            i += Character.charCount(cp);
        }
        try {
            return IDN.toASCII(label, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("name", "label '" + label + "' of '" + input
                    + "' is not a valid internationalized label (IDNA): " + why(e, label));
        }
    }

    /**
     * The JDK's reason in words: most refusals come as "java.text.ParseException: Reason.label", which names a class
     * the client has no use for and repeats the label.
     */
    private static String why(IllegalArgumentException e, String label) {
        String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
        if (reason.endsWith(label)) {
            reason = reason.substring(0, reason.length() - label.length());
        }
        reason = reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
        return reason.isEmpty() ? "refused" : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }

    private static void checkAscii(String ascii) {
        if (ascii.length() > MAX_NAME_OCTETS) {
            throw new InvalidValueException("name", "name is " + ascii.length() + " octets long; a name has at most "
                    + MAX_NAME_OCTETS + " (without the trailing dot)");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw new InvalidValueException("name", "name '" + ascii + "' has an empty label");
            }
            if (label.length() > MAX_LABEL_OCTETS) {
                throw new InvalidValueException("name", "label '" + label + "' is " + label.length()
                        + " octets long; a label has at most " + MAX_LABEL_OCTETS);
            }
            if (label.equals("*")) {
                continue;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    throw illegalCharacter(label, c);
                }
            }
        }
    }

    private static InvalidValueException illegalCharacter(String label, int cp) {
        String shown = Character.isISOControl(cp) || Character.isWhitespace(cp)
                ? String.format("U+%04X", cp) : "'" + Character.toString(cp) + "'";
        return new InvalidValueException("name", "label '" + label + "' contains the illegal character " + shown
                + "; allowed are letters, digits, '-', '_' and Unicode letters (IDN)");
    }

    /** The name with its trailing dot, as DNS presentation format writes absolute names. */
    public String fqdn() {
        return ascii + ".";
    }

    /** The Unicode form (punycode labels decoded) for display. */
    public String unicode() {
        if (ascii.isEmpty()) {
            return ".";
        }
        // only a punycode label ("xn--") differs in Unicode; IDN's decoding of every name cost lookups ~1 % of CPU
        return ascii.contains("xn--") ? IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED) : ascii;
    }

    public List<String> labels() {
        return ascii.isEmpty() ? List.of() : List.of(ascii.split("\\."));
    }

    @Override
    public String toString() {
        return fqdn();
    }
}
