package dev.dnsdig.adapters.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNSDIG_DNSSEC_TRUST_ANCHORS: the IANA root by name, a file of records, records inline; anything else refused. */
class TrustAnchorsTest {
    private static final String DS = "signed.test. IN DS 12345 13 2 "
            + "DDC6E2B224D0FD821669202258386936FC9CE2899E215EEC6322B95F8DD96D6A";

    @Test
    void rootIsTheIanaKsk2017AndKsk2024() {
        assertEquals("trust anchors . DS 20326, . DS 38696", TrustAnchors.parse("root").toString());
        assertEquals(TrustAnchors.ianaRoot().toString(), TrustAnchors.parse("ROOT").toString());
    }

    @Test
    void recordsInlineSeparatedBySemicolonsOrInAFile(@TempDir Path dir) throws Exception {
        TrustAnchors inline = TrustAnchors.parse(DS + "; " + DS.replace("signed.test.", "other.test."));
        assertEquals("trust anchors other.test. DS 12345, signed.test. DS 12345", inline.toString());
        Path file = dir.resolve("anchors.zone");
        Files.writeString(file, "; comments and blank lines as in any zone file\n\n" + DS + "\n");
        assertEquals("trust anchors signed.test. DS 12345", TrustAnchors.parse(file.toString()).toString());
        String key = "signed.test. IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==";
        assertTrue(TrustAnchors.parse(key).toString().startsWith("trust anchors signed.test. DNSKEY "));
    }

    private static void refused(String value, String problem) {
        String message = assertThrows(IllegalArgumentException.class, () -> TrustAnchors.parse(value)).getMessage();
        assertTrue(message.contains(problem), message);
    }

    @Test
    void everyProblemIsSaid(@TempDir Path dir) {
        refused(dir.resolve("none").toString(), "cannot read the trust anchor file");
        refused("signed.test. IN A 192.0.2.1", "only DS and DNSKEY records can be trust anchors");
        refused("signed.test. IN DS 1 two", "not DS or DNSKEY records in presentation format");
        refused("signed.test. IN DNSKEY 0 3 13 "
                + "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==", "is not a zone key");
        refused(" ; ", "no DS or DNSKEY record found");
    }
}
