package dev.dnsdig.domain.dns;

import dev.dnsdig.domain.InvalidValueException;
import java.util.List;
import java.util.Objects;

/**
 * The typed content (RDATA) of one resource record. Names inside are absolute and keep their trailing dot,
 * as in presentation format; binary fields (digests, keys) are hex or base64 as their RFCs present them.
 */
public sealed interface RecordData {

    /** An IPv4 address, canonical dotted quad. */
    record A(String address) implements RecordData {
        public A {
            byte[] bytes = IpAddresses.parse(address);
            if (bytes.length != 4) {
                throw new InvalidValueException("address", "an A record holds an IPv4 address, not '" + address + "'");
            }
            address = IpAddresses.canonical(bytes);
        }
    }

    /** An IPv6 address in RFC 5952 canonical (compressed, lower-case) form. */
    record Aaaa(String address) implements RecordData {
        public Aaaa {
            byte[] bytes = IpAddresses.parse(address);
            if (bytes.length != 16) {
                throw new InvalidValueException("address", "an AAAA record holds an IPv6 address, not '" + address + "'");
            }
            address = IpAddresses.canonical(bytes);
        }
    }

    record Cname(String target) implements RecordData {
        public Cname {
            requireName(target, "target");
        }
    }

    record Ns(String host) implements RecordData {
        public Ns {
            requireName(host, "host");
        }
    }

    record Ptr(String target) implements RecordData {
        public Ptr {
            requireName(target, "target");
        }
    }

    record Mx(int preference, String exchange) implements RecordData {
        public Mx {
            requireUnsigned(preference, 0xffff, "preference");
            requireName(exchange, "exchange");
        }
    }

    /** TXT: {@code text} is the strings joined without separator, as SPF and DKIM read them. */
    record Txt(String text, List<String> strings) implements RecordData {
        public Txt {
            strings = List.copyOf(strings);
            if (!text.equals(String.join("", strings))) {
                throw new InvalidValueException("text", "TXT text must be its strings joined");
            }
        }

        public static Txt of(List<String> strings) {
            return new Txt(String.join("", strings), strings);
        }
    }

    /** SOA with the responsible mailbox turned into an e-mail address (RFC 1035 3.3.13). */
    record Soa(String primaryNameServer, String responsibleMailbox, long serial, long refresh, long retry,
               long expire, long minimum) implements RecordData {
        public Soa {
            requireName(primaryNameServer, "primaryNameServer");
            Objects.requireNonNull(responsibleMailbox, "responsibleMailbox");
            for (long value : new long[] {serial, refresh, retry, expire, minimum}) {
                requireUnsigned(value, 0xffffffffL, "SOA counter");
            }
        }

        /**
         * Turns a mailbox name into an e-mail address: the first unescaped dot becomes '@'
         * ({@code hostmaster.example.com.} gives {@code hostmaster@example.com}; {@code john\.doe.example.com.}
         * gives {@code john.doe@example.com}).
         */
        public static String emailOf(String mailboxName) {
            String name = mailboxName.endsWith(".") && !mailboxName.endsWith("\\.")
                    ? mailboxName.substring(0, mailboxName.length() - 1) : mailboxName;
            StringBuilder local = new StringBuilder();
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '\\' && i + 1 < name.length()) {
                    local.append(name.charAt(++i));
                } else if (c == '.') {
                    return local + "@" + name.substring(i + 1);
                } else {
                    local.append(c);
                }
            }
            return local.toString();
        }
    }

    record Srv(int priority, int weight, int port, String target) implements RecordData {
        public Srv {
            requireUnsigned(priority, 0xffff, "priority");
            requireUnsigned(weight, 0xffff, "weight");
            requireUnsigned(port, 0xffff, "port");
            requireName(target, "target");
        }
    }

    /** CAA (RFC 8659); {@code critical} is the issuer-critical bit of the flags. */
    record Caa(int flags, String tag, String value) implements RecordData {
        public Caa {
            requireUnsigned(flags, 0xff, "flags");
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(value, "value");
        }

        public boolean critical() {
            return (flags & 0x80) != 0;
        }
    }

    record Naptr(int order, int preference, String flags, String service, String regexp, String replacement)
            implements RecordData {
        public Naptr {
            requireUnsigned(order, 0xffff, "order");
            requireUnsigned(preference, 0xffff, "preference");
            requireName(replacement, "replacement");
        }
    }

    /** DS; the digest in upper-case hex. */
    record Ds(int keyTag, int algorithm, int digestType, String digest) implements RecordData {
        public Ds {
            requireUnsigned(keyTag, 0xffff, "keyTag");
            requireUnsigned(algorithm, 0xff, "algorithm");
            requireUnsigned(digestType, 0xff, "digestType");
            digest = requireHex(digest, "digest");
        }
    }

    /** DNSKEY; the key in base64, with its computed key tag. */
    record Dnskey(int flags, int protocol, int algorithm, String publicKey, int keyTag) implements RecordData {
        public Dnskey {
            requireUnsigned(flags, 0xffff, "flags");
            requireUnsigned(protocol, 0xff, "protocol");
            requireUnsigned(algorithm, 0xff, "algorithm");
            requireUnsigned(keyTag, 0xffff, "keyTag");
            Objects.requireNonNull(publicKey, "publicKey");
        }

        /** The SEP bit: set on key-signing keys. */
        public boolean secureEntryPoint() {
            return (flags & 1) != 0;
        }
    }

    /** TLSA (RFC 6698); the association data in upper-case hex. */
    record Tlsa(int usage, int selector, int matchingType, String associationData) implements RecordData {
        public Tlsa {
            requireUnsigned(usage, 0xff, "usage");
            requireUnsigned(selector, 0xff, "selector");
            requireUnsigned(matchingType, 0xff, "matchingType");
            associationData = requireHex(associationData, "associationData");
        }
    }

    /** SVCB and HTTPS (RFC 9460): priority 0 is alias mode; params keep their wire order. */
    record ServiceBinding(int priority, String target, List<Param> params) implements RecordData {
        public ServiceBinding {
            requireUnsigned(priority, 0xffff, "priority");
            requireName(target, "target");
            params = List.copyOf(params);
        }

        public boolean aliasMode() {
            return priority == 0;
        }

        /** One SvcParam as key and presentation value (empty for keys without a value). */
        public record Param(String key, String value) {
            public Param {
                Objects.requireNonNull(key, "key");
                Objects.requireNonNull(value, "value");
            }
        }
    }

    /** Any other type that shows up in a response (RRSIG, DNAME, NSEC, ...): presentation text only. */
    record Other(String presentation) implements RecordData {
        public Other {
            Objects.requireNonNull(presentation, "presentation");
        }
    }

    private static void requireName(String name, String field) {
        if (name == null || !name.endsWith(".")) {
            throw new InvalidValueException(field, field + " must be an absolute name ending in '.', not '" + name + "'");
        }
    }

    private static void requireUnsigned(long value, long max, String field) {
        if (value < 0 || value > max) {
            throw new InvalidValueException(field, field + " must be between 0 and " + max + ", not " + value);
        }
    }

    private static String requireHex(String hex, String field) {
        if (hex == null || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new InvalidValueException(field, field + " must be hexadecimal");
        }
        return hex.toUpperCase(java.util.Locale.ROOT);
    }
}
