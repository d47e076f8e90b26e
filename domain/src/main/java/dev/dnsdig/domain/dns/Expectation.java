package dev.dnsdig.domain.dns;

import dev.dnsdig.domain.InvalidValueException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The records a propagation check expects for one type, each in canonical form, so that what a user types and what a
 * server returns compare equal when they mean the same: addresses in canonical text (IPv6 compressed, lower case),
 * names lower case with the trailing dot optional, TXT by its text (strings joined, case kept), any other type by its
 * presentation data token by token (lower case, trailing dots optional). A provider matches when the records of the
 * type in its answer are exactly the expected set (order and duplicates aside).
 */
public record Expectation(RecordType type, Set<String> values) {
    public Expectation {
        java.util.Objects.requireNonNull(type, "type");
        values = Set.copyOf(values);
        if (values.isEmpty()) {
            throw new InvalidValueException("expect", "expect needs at least one value");
        }
    }

    /**
     * Parses the {@code expect} parameters: each one may hold several values separated by commas, except for TXT,
     * whose text may itself contain commas (repeat the parameter for several TXT records).
     */
    public static Expectation parse(RecordType type, List<String> parameters) {
        Set<String> values = new LinkedHashSet<>();
        for (String parameter : parameters) {
            List<String> parts = type == RecordType.TXT ? List.of(parameter) : List.of(parameter.split(",", -1));
            for (String part : parts) {
                values.add(canonical(type, part));
            }
        }
        return new Expectation(type, values);
    }

    /** The canonical form of one expected value of {@code type}; throws naming the rule when it cannot be one. */
    public static String canonical(RecordType type, String value) {
        String text = type == RecordType.TXT ? value : value.trim();
        if (text.isEmpty() && type != RecordType.TXT) {
            throw new InvalidValueException("expect", "an expected " + type + " value must not be empty");
        }
        return switch (type) {
            case A, AAAA -> address(type, text);
            case CNAME, NS, PTR -> {
                try {
                    yield DomainName.of(text).fqdn();
                } catch (InvalidValueException e) {
                    throw new InvalidValueException("expect", "expected " + type + " value: " + e.getMessage());
                }
            }
            // a value typed with its quotes, as zone files and dig show it, means the text inside them
            case TXT -> text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                    ? text.substring(1, text.length() - 1) : text;
            default -> tokens(text);
        };
    }

    /** Whether the records of this type in {@code response} are exactly the expected ones. */
    public boolean matches(DnsResponse response) {
        return values.equals(found(response));
    }

    /** The canonical values of the records of this type in {@code response} (a CNAME chain before them left out). */
    public Set<String> found(DnsResponse response) {
        return response.answers().stream().filter(r -> r.type().equalsIgnoreCase(type.name()))
                .map(Expectation::canonical).collect(Collectors.toSet());
    }

    /** The canonical form of a record as a server returned it. */
    static String canonical(ResourceRecord record) {
        return switch (record.typed()) {
            case RecordData.A a -> a.address();
            case RecordData.Aaaa aaaa -> aaaa.address();
            case RecordData.Cname cname -> cname.target().toLowerCase(Locale.ROOT);
            case RecordData.Ns ns -> ns.host().toLowerCase(Locale.ROOT);
            case RecordData.Ptr ptr -> ptr.target().toLowerCase(Locale.ROOT);
            case RecordData.Txt txt -> txt.text();
            default -> tokens(record.data());
        };
    }

    private static String address(RecordType type, String text) {
        byte[] bytes;
        try {
            bytes = IpAddresses.parse(ReverseName.withoutMixedNotation(text));
        } catch (InvalidValueException e) {
            throw new InvalidValueException("expect", "expected " + type + " value: " + e.getMessage());
        }
        if (bytes.length != (type == RecordType.A ? 4 : 16)) {
            throw new InvalidValueException("expect", "an expected " + type + " value is an IPv"
                    + (type == RecordType.A ? "4" : "6") + " address, not '" + text + "'");
        }
        return IpAddresses.canonical(bytes);
    }

    private static String tokens(String text) {
        List<String> tokens = new ArrayList<>();
        for (String token : text.trim().split("\\s+")) {
            String lower = token.toLowerCase(Locale.ROOT);
            tokens.add(lower.length() > 1 && lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower);
        }
        return String.join(" ", tokens);
    }
}
