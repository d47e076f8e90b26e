package dev.dnsdig.adapters.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The DNSSEC trust anchors answers are validated from: DS or DNSKEY records in presentation format (the format of
 * IANA's root-anchors and of a zone file). Parsed and checked once, at start.
 */
public final class TrustAnchors {
    /**
     * The IANA root zone anchors (https://data.iana.org/root-anchors/root-anchors.xml): KSK-2017 (key tag 20326) and
     * KSK-2024 (key tag 38696), both RSA/SHA-256 (8), SHA-256 digests. Both stay, so the rollover to KSK-2024 needs
     * no change here.
     */
    static final String IANA_ROOT = """
            . IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
            . IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
            """;

    private final List<Record> records;

    private TrustAnchors(List<Record> records) {
        this.records = List.copyOf(records);
    }

    /** The IANA root anchors: validation of the whole public DNS. */
    public static TrustAnchors ianaRoot() {
        return records(IANA_ROOT);
    }

    /**
     * {@code root}: the IANA root anchors; a path (no blanks, no {@code ;}) to a file of DS/DNSKEY records; or the
     * records themselves, separated by {@code ;} or new lines. Throws {@link IllegalArgumentException} saying what is
     * wrong.
     */
    public static TrustAnchors parse(String text) {
        String value = text.strip();
        if (value.equalsIgnoreCase("root")) {
            return ianaRoot();
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("no trust anchor given");
        }
        if (value.chars().noneMatch(c -> Character.isWhitespace(c) || c == ';')) {
            Path file = Path.of(value);
            try {
                return records(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the trust anchor file " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage());
            }
        }
        // inline: ';' separates records here; in a file it starts a comment, as in any zone file
        // (stripped: a line that starts with a blank continues the previous record's owner in a zone file)
        return records(java.util.Arrays.stream(value.split(";")).map(String::strip).collect(Collectors.joining("\n")));
    }

    private static TrustAnchors records(String text) {
        List<Record> records = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root, 3600)) {
            Record record;
            while ((record = master.nextRecord()) != null) {
                records.add(record);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not DS or DNSKEY records in presentation format, such as '. IN DS 20326"
                    + " 8 2 E06D...' (" + e.getMessage() + ")");
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no DS or DNSKEY record found");
        }
        for (Record record : records) {
            if (record.getDClass() != DClass.IN) {
                throw new IllegalArgumentException(record.getName() + ": a trust anchor is of class IN");
            }
            if (record instanceof DNSKEYRecord key && (key.getFlags() & org.xbill.DNS.DNSKEYRecord.Flags.ZONE_KEY) == 0) {
                throw new IllegalArgumentException(record.getName() + ": DNSKEY with flags " + key.getFlags()
                        + " is not a zone key (256 or 257)");
            }
            if (!(record instanceof DSRecord) && !(record instanceof DNSKEYRecord)) {
                throw new IllegalArgumentException(record.getName() + " " + Type.string(record.getType())
                        + ": only DS and DNSKEY records can be trust anchors");
            }
        }
        return new TrustAnchors(records);
    }

    List<Record> records() {
        return records;
    }

    /** The records in presentation format, one a line, as {@code ValidatingResolver} loads them. */
    String presentation() {
        return records.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    /** Value semantics, so that two readings of one configuration are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TrustAnchors anchors && anchors.records.equals(records);
    }

    @Override
    public int hashCode() {
        return records.hashCode();
    }

    /** For the start-up log: which zones, which key tags. */
    @Override
    public String toString() {
        TreeSet<String> anchors = new TreeSet<>();
        for (Record record : records) {
            int tag = record instanceof DSRecord ds ? ds.getFootprint() : ((DNSKEYRecord) record).getFootprint();
            anchors.add(record.getName() + " " + Type.string(record.getType()) + " " + tag);
        }
        return "trust anchors " + String.join(", ", anchors);
    }
}
