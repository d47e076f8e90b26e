package dev.dnsdig.domain.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.RecordData.ServiceBinding.Param;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordDataTest {

    private static InvalidValueException rejected(String field, String fragment, Executable construct) {
        InvalidValueException e = assertThrows(InvalidValueException.class, construct);
        assertEquals(field, e.field());
        assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in: " + e.getMessage());
        return e;
    }

    private static void outOfRange(String field, long max, long value, Executable construct) {
        rejected(field, field + " must be between 0 and " + max + ", not " + value, construct);
    }

    private static void notAbsolute(String field, String name, Executable construct) {
        rejected(field, field + " must be an absolute name ending in '.', not '" + name + "'", construct);
    }

    @Nested
    class A {
        @ParameterizedTest
        @ValueSource(strings = {"192.0.2.1", "0.0.0.0", "255.255.255.255"})
        void holdsADottedQuad(String address) {
            assertEquals(address, new RecordData.A(address).address());
        }

        @Test
        void rejectsIpv6() {
            rejected("address", "an A record holds an IPv4 address, not '2001:db8::1'",
                    () -> new RecordData.A("2001:db8::1"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"01.2.3.4", "256.0.0.1", "example.com", "1.2.3"})
        void rejectsMalformedAddresses(String address) {
            rejected("address", "not an IPv4 or IPv6 address literal", () -> new RecordData.A(address));
        }
    }

    @Nested
    class Aaaa {
        @ParameterizedTest
        @CsvSource({"2001:DB8:0:0:0:0:2:1, 2001:db8::2:1", "0:0:0:0:0:0:0:1, ::1",
                "2606:4700:4700:0:0:0:0:1111, 2606:4700:4700::1111", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1"})
        void holdsTheCanonicalForm(String input, String canonical) {
            assertEquals(canonical, new RecordData.Aaaa(input).address());
        }

        @Test
        void equalsIgnoresTheInputSpelling() {
            assertEquals(new RecordData.Aaaa("2001:db8::1"), new RecordData.Aaaa("2001:0DB8:0:0:0:0:0:0001"));
        }

        @Test
        void rejectsIpv4() {
            rejected("address", "an AAAA record holds an IPv6 address, not '192.0.2.1'",
                    () -> new RecordData.Aaaa("192.0.2.1"));
        }

        @Test
        void rejectsMalformedAddresses() {
            rejected("address", "not an IPv4 or IPv6 address literal", () -> new RecordData.Aaaa("1::2::3"));
        }
    }

    @Nested
    class Names {
        @Test
        void cnameNsPtrKeepTheirAbsoluteName() {
            assertEquals("target.example.com.", new RecordData.Cname("target.example.com.").target());
            assertEquals("ns1.example.com.", new RecordData.Ns("ns1.example.com.").host());
            assertEquals("host.example.com.", new RecordData.Ptr("host.example.com.").target());
            assertEquals(".", new RecordData.Cname(".").target());
        }

        @Test
        void relativeNamesAreRejected() {
            notAbsolute("target", "target.example.com", () -> new RecordData.Cname("target.example.com"));
            notAbsolute("host", "ns1.example.com", () -> new RecordData.Ns("ns1.example.com"));
            notAbsolute("target", "host", () -> new RecordData.Ptr("host"));
            notAbsolute("target", "", () -> new RecordData.Ptr(""));
        }

        @Test
        void nullNamesAreRejected() {
            notAbsolute("target", "null", () -> new RecordData.Cname(null));
            notAbsolute("host", "null", () -> new RecordData.Ns(null));
        }
    }

    @Nested
    class Mx {
        @ParameterizedTest
        @ValueSource(ints = {0, 10, 65535})
        void acceptsPreferencesOf16Bits(int preference) {
            RecordData.Mx mx = new RecordData.Mx(preference, "mail.example.com.");
            assertEquals(preference, mx.preference());
            assertEquals("mail.example.com.", mx.exchange());
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE})
        void rejectsPreferencesOutOfRange(int preference) {
            outOfRange("preference", 65535, preference, () -> new RecordData.Mx(preference, "mail.example.com."));
        }

        @Test
        void rejectsRelativeExchange() {
            notAbsolute("exchange", "mail.example.com", () -> new RecordData.Mx(10, "mail.example.com"));
        }
    }

    @Nested
    class Txt {
        @Test
        void ofJoinsStringsWithoutSeparator() {
            RecordData.Txt txt = RecordData.Txt.of(List.of("v=DKIM1; k=rsa; p=MIIB", "IjANBg"));
            assertEquals("v=DKIM1; k=rsa; p=MIIBIjANBg", txt.text());
            assertEquals(List.of("v=DKIM1; k=rsa; p=MIIB", "IjANBg"), txt.strings());
        }

        @Test
        void ofOneAndOfNone() {
            assertEquals("v=spf1 -all", RecordData.Txt.of(List.of("v=spf1 -all")).text());
            RecordData.Txt empty = RecordData.Txt.of(List.of());
            assertEquals("", empty.text());
            assertEquals(List.of(), empty.strings());
        }

        @Test
        void stringsAreCopied() {
            List<String> strings = new ArrayList<>(List.of("a", "b"));
            RecordData.Txt txt = RecordData.Txt.of(strings);
            strings.add("c");
            assertEquals(List.of("a", "b"), txt.strings());
            assertThrows(UnsupportedOperationException.class, () -> txt.strings().add("d"));
        }

        @Test
        void textMustBeTheStringsJoined() {
            rejected("text", "TXT text must be its strings joined",
                    () -> new RecordData.Txt("a b", List.of("a", "b")));
            assertEquals("ab", new RecordData.Txt("ab", List.of("a", "b")).text());
        }
    }

    @Nested
    class Soa {
        private RecordData.Soa soa(long serial, long refresh, long retry, long expire, long minimum) {
            return new RecordData.Soa("ns1.example.com.", "hostmaster.example.com.", serial, refresh, retry, expire,
                    minimum);
        }

        @Test
        void keepsItsFields() {
            RecordData.Soa soa = soa(2024010101L, 7200, 3600, 1209600, 4294967295L);
            assertEquals("ns1.example.com.", soa.primaryNameServer());
            assertEquals("hostmaster.example.com.", soa.responsibleMailbox());
            assertEquals(2024010101L, soa.serial());
            assertEquals(7200, soa.refresh());
            assertEquals(3600, soa.retry());
            assertEquals(1209600, soa.expire());
            assertEquals(4294967295L, soa.minimum());
        }

        @Test
        void countersAreUnsigned32Bit() {
            outOfRange("SOA counter", 0xffffffffL, -1, () -> soa(-1, 1, 1, 1, 1));
            outOfRange("SOA counter", 0xffffffffL, 4294967296L, () -> soa(1, 4294967296L, 1, 1, 1));
            outOfRange("SOA counter", 0xffffffffL, -5, () -> soa(1, 1, -5, 1, 1));
            outOfRange("SOA counter", 0xffffffffL, -6, () -> soa(1, 1, 1, -6, 1));
            outOfRange("SOA counter", 0xffffffffL, 4294967296L, () -> soa(1, 1, 1, 1, 4294967296L));
            assertEquals(4294967295L, soa(4294967295L, 0, 0, 0, 0).serial());
        }

        @Test
        void primaryMustBeAbsoluteAndMailboxPresent() {
            notAbsolute("primaryNameServer", "ns1.example.com",
                    () -> new RecordData.Soa("ns1.example.com", "hostmaster.example.com.", 1, 1, 1, 1, 1));
            assertThrows(NullPointerException.class,
                    () -> new RecordData.Soa("ns1.example.com.", null, 1, 1, 1, 1, 1));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "hostmaster.example.com.|hostmaster@example.com",
                "hostmaster.example.com|hostmaster@example.com",
                "john\\.doe.example.com.|john.doe@example.com",
                "a\\.b\\.c.example.com.|a.b.c@example.com",
                "dns.cloudflare.com.|dns@cloudflare.com",
                "hostmaster.|hostmaster",
                "hostmaster\\.|hostmaster.",
                "ends\\|ends\\",
                "hostmaster|hostmaster",
        })
        void emailOfTurnsTheFirstUnescapedDotIntoAt(String mailbox, String email) {
            assertEquals(email, RecordData.Soa.emailOf(mailbox));
        }
    }

    @Nested
    class Srv {
        @Test
        void keepsItsFields() {
            RecordData.Srv srv = new RecordData.Srv(10, 60, 5060, "sip.example.com.");
            assertEquals(10, srv.priority());
            assertEquals(60, srv.weight());
            assertEquals(5060, srv.port());
            assertEquals("sip.example.com.", srv.target());
            assertEquals(65535, new RecordData.Srv(65535, 65535, 65535, ".").port());
        }

        @Test
        void rejectsOutOfRangeAndRelativeTarget() {
            outOfRange("priority", 65535, 65536, () -> new RecordData.Srv(65536, 0, 0, "."));
            outOfRange("weight", 65535, -1, () -> new RecordData.Srv(0, -1, 0, "."));
            outOfRange("port", 65535, 70000, () -> new RecordData.Srv(0, 0, 70000, "."));
            notAbsolute("target", "sip.example.com", () -> new RecordData.Srv(0, 0, 5060, "sip.example.com"));
        }
    }

    @Nested
    class Caa {
        @Test
        void criticalIsTheIssuerCriticalBit() {
            assertFalse(new RecordData.Caa(0, "issue", "letsencrypt.org").critical());
            assertTrue(new RecordData.Caa(128, "issue", "letsencrypt.org").critical());
            assertTrue(new RecordData.Caa(255, "iodef", "mailto:a@example.com").critical());
            assertFalse(new RecordData.Caa(127, "issue", ";").critical());
        }

        @Test
        void keepsTagAndValue() {
            RecordData.Caa caa = new RecordData.Caa(0, "issuewild", ";");
            assertEquals("issuewild", caa.tag());
            assertEquals(";", caa.value());
        }

        @ParameterizedTest
        @ValueSource(ints = {256, -1, 1000})
        void rejectsFlagsBeyondAnOctet(int flags) {
            outOfRange("flags", 255, flags, () -> new RecordData.Caa(flags, "issue", "ca.example"));
        }

        @Test
        void tagAndValueAreRequired() {
            assertThrows(NullPointerException.class, () -> new RecordData.Caa(0, null, "ca.example"));
            assertThrows(NullPointerException.class, () -> new RecordData.Caa(0, "issue", null));
        }
    }

    @Nested
    class Naptr {
        @Test
        void keepsItsFields() {
            RecordData.Naptr naptr = new RecordData.Naptr(100, 10, "S", "SIP+D2U", "", "_sip._udp.example.com.");
            assertEquals(100, naptr.order());
            assertEquals(10, naptr.preference());
            assertEquals("S", naptr.flags());
            assertEquals("SIP+D2U", naptr.service());
            assertEquals("", naptr.regexp());
            assertEquals("_sip._udp.example.com.", naptr.replacement());
        }

        @Test
        void rejectsOutOfRangeAndRelativeReplacement() {
            outOfRange("order", 65535, 65536, () -> new RecordData.Naptr(65536, 0, "", "", "", "."));
            outOfRange("preference", 65535, -1, () -> new RecordData.Naptr(0, -1, "", "", "", "."));
            notAbsolute("replacement", "example.com", () -> new RecordData.Naptr(0, 0, "", "", "", "example.com"));
        }
    }

    @Nested
    class Ds {
        @Test
        void digestIsUpperCaseHex() {
            RecordData.Ds ds = new RecordData.Ds(20326, 8, 2, "e06d44b80b8f1d39a95c0b0d7c65d08458e880409bbc6834");
            assertEquals("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC6834", ds.digest());
            assertEquals(20326, ds.keyTag());
            assertEquals(8, ds.algorithm());
            assertEquals(2, ds.digestType());
        }

        @Test
        void rejectsNonHexDigest() {
            rejected("digest", "digest must be hexadecimal", () -> new RecordData.Ds(1, 8, 2, "ABCDEG"));
            rejected("digest", "digest must be hexadecimal", () -> new RecordData.Ds(1, 8, 2, "AB CD"));
            rejected("digest", "digest must be hexadecimal", () -> new RecordData.Ds(1, 8, 2, null));
        }

        @Test
        void rejectsOutOfRange() {
            outOfRange("keyTag", 65535, 65536, () -> new RecordData.Ds(65536, 8, 2, "AB"));
            outOfRange("algorithm", 255, 256, () -> new RecordData.Ds(1, 256, 2, "AB"));
            outOfRange("digestType", 255, -1, () -> new RecordData.Ds(1, 8, -1, "AB"));
        }
    }

    @Nested
    class Dnskey {
        @Test
        void secureEntryPointIsTheSepBit() {
            assertTrue(new RecordData.Dnskey(257, 3, 8, "AwEAAag=", 20326).secureEntryPoint());
            assertFalse(new RecordData.Dnskey(256, 3, 13, "mdsswUyr3DPW132mOi8V9xESWE8jTo0d", 1234).secureEntryPoint());
        }

        @Test
        void keepsItsFields() {
            RecordData.Dnskey key = new RecordData.Dnskey(257, 3, 8, "AwEAAag=", 20326);
            assertEquals(257, key.flags());
            assertEquals(3, key.protocol());
            assertEquals(8, key.algorithm());
            assertEquals("AwEAAag=", key.publicKey());
            assertEquals(20326, key.keyTag());
        }

        @Test
        void rejectsOutOfRangeAndMissingKey() {
            outOfRange("flags", 65535, 65536, () -> new RecordData.Dnskey(65536, 3, 8, "AA==", 1));
            outOfRange("protocol", 255, 256, () -> new RecordData.Dnskey(257, 256, 8, "AA==", 1));
            outOfRange("algorithm", 255, -1, () -> new RecordData.Dnskey(257, 3, -1, "AA==", 1));
            outOfRange("keyTag", 65535, 65536, () -> new RecordData.Dnskey(257, 3, 8, "AA==", 65536));
            assertThrows(NullPointerException.class, () -> new RecordData.Dnskey(257, 3, 8, null, 1));
        }
    }

    @Nested
    class Tlsa {
        @Test
        void associationDataIsUpperCaseHex() {
            RecordData.Tlsa tlsa = new RecordData.Tlsa(3, 1, 1, "0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5");
            assertEquals("0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5", tlsa.associationData());
            assertEquals(3, tlsa.usage());
            assertEquals(1, tlsa.selector());
            assertEquals(1, tlsa.matchingType());
        }

        @Test
        void rejectsNonHexAndOutOfRange() {
            rejected("associationData", "associationData must be hexadecimal",
                    () -> new RecordData.Tlsa(3, 1, 1, "xyz"));
            outOfRange("usage", 255, 256, () -> new RecordData.Tlsa(256, 1, 1, "AB"));
            outOfRange("selector", 255, -1, () -> new RecordData.Tlsa(3, -1, 1, "AB"));
            outOfRange("matchingType", 255, 256, () -> new RecordData.Tlsa(3, 1, 256, "AB"));
        }
    }

    @Nested
    class ServiceBinding {
        @Test
        void priorityZeroIsAliasMode() {
            RecordData.ServiceBinding alias = new RecordData.ServiceBinding(0, "svc.example.com.", List.of());
            assertTrue(alias.aliasMode());
            RecordData.ServiceBinding service = new RecordData.ServiceBinding(1, ".",
                    List.of(new Param("alpn", "h2,h3"), new Param("no-default-alpn", "")));
            assertFalse(service.aliasMode());
            assertEquals(List.of(new Param("alpn", "h2,h3"), new Param("no-default-alpn", "")), service.params());
            assertEquals("alpn", service.params().get(0).key());
            assertEquals("", service.params().get(1).value());
        }

        @Test
        void paramsKeepTheirOrderAndAreCopied() {
            List<Param> params = new ArrayList<>(List.of(new Param("port", "8443"), new Param("alpn", "h2")));
            RecordData.ServiceBinding binding = new RecordData.ServiceBinding(1, ".", params);
            params.clear();
            assertEquals(List.of(new Param("port", "8443"), new Param("alpn", "h2")), binding.params());
        }

        @Test
        void rejectsOutOfRangeRelativeTargetAndNullParams() {
            outOfRange("priority", 65535, 65536, () -> new RecordData.ServiceBinding(65536, ".", List.of()));
            outOfRange("priority", 65535, -1, () -> new RecordData.ServiceBinding(-1, ".", List.of()));
            notAbsolute("target", "svc.example.com", () -> new RecordData.ServiceBinding(1, "svc.example.com", List.of()));
            assertThrows(NullPointerException.class, () -> new Param(null, "h2"));
            assertThrows(NullPointerException.class, () -> new Param("alpn", null));
        }
    }

    @Nested
    class Other {
        @Test
        void keepsThePresentationText() {
            RecordData data = new RecordData.Other("example.net.");
            assertInstanceOf(RecordData.Other.class, data);
            assertEquals("example.net.", ((RecordData.Other) data).presentation());
            assertThrows(NullPointerException.class, () -> new RecordData.Other(null));
        }
    }
}
