package dev.dnsdig.bootstrap;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Boundary and malformed values for {@link OpenApiFuzzTest}: a fixed catalog every run sends, and random ones from a
 * seeded {@link Random}, so that a run is repeated exactly by its seed.
 */
final class FuzzValues {
    /** Text at the edges: empty, long, Unicode of every kind, control characters, syntax of other languages. */
    static final List<String> STRINGS = List.of("", " ", "a".repeat(254), "a".repeat(4000),
            "ünïcödé", "例え.テスト", "😀", "\u202Eevil", "e\u0301", "\u200B", "\uFFFF", "\uD800",
            "\u0000", "\t", "\u007F", "\u001B[31m", "\r", "\n", "\\", "\"", "'", ";",
            "../../etc/passwd", "<script>alert(1)</script>", "' OR '1'='1", "${jndi:ldap://127.0.0.1:9/x}", "%s%n",
            "-1", "0", "2147483648", "-9223372036854775809", "1e309", "NaN", "0x10", " 5", "1.5",
            "null", "true", "[]", "{}", ".", "..", "a..b", "-a-.test", "*", "xn--", "a".repeat(64) + ".test");

    /** Text that means something in a URL: for path and query parameters (percent-encoded, so still just text). */
    static final List<String> URL_STRINGS = List.of("%", "%00", "%zz", "+", "&", "=", "#", "?", "/");

    /** Values of the wrong JSON type, as JSON text. */
    static final List<String> JSON_VALUES = List.of("null", "true", "false", "0", "-1", "1.5", "-0", "1e309", "-1e309",
            "9223372036854775808", "123456789012345678901234567890", "[]", "[null]", "[\"a\",1,{}]", "{}",
            "{\"a\":{\"b\":[]}}", "\"\"");

    /** Whole bodies that are not the object asked for, or not JSON at all. */
    static final List<byte[]> BODIES = List.of(utf8(""), utf8("null"), utf8("[]"), utf8("\"text\""), utf8("123"),
            utf8("{"), utf8("{\"a\":"), utf8("{'a':1}"), utf8("{\"a\":NaN}"), utf8("{} {}"), utf8("{}garbage"),
            utf8("{\"a\":1}//comment"), utf8("\uFEFF{}"), utf8("{\"a\":1,\"a\":2}"), utf8("[".repeat(100) + "]".repeat(100)),
            utf8("{\"a\":".repeat(50) + "1" + "}".repeat(50)), new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'},
            new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0}, new byte[] {0, 0, 0x10, 0, '{', '}'},
            "{}".getBytes(StandardCharsets.UTF_16));

    /** Content types other than the one an operation takes, unparseable ones among them. */
    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/json; charset=utf-16",
            "application/json; charset=nonsense", "a/b/c", "application/json;;", "\"store\":{", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "application/dns-message", "*/*", "application/problem+json");

    /** Accept headers, well-formed and not. */
    static final List<String> ACCEPTS = List.of("text/html", "application/xml", "*/*;q=0", "text/html;q=x", "a/b/c", "",
            "application/json;q=0.5, */*;q=0.1", "application/json" + ",application/json".repeat(200));

    /** Authorization headers that are not a valid bearer token. */
    static final List<String> AUTHORIZATIONS = List.of("", "Bearer", "Bearer ", "Bearer x", "Bearer a.b.c",
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    "a:b".getBytes(StandardCharsets.UTF_8)), "Basic ###", "bearer " + "A".repeat(8000), "Digest x", "Bearer \u00e9");

    private final Random random;

    FuzzValues(long seed) {
        this.random = new Random(seed);
    }

    /** A random string: up to 40 code points from ASCII, controls, Latin-1, the rest of the BMP and beyond. */
    String string() {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(41);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(switch (random.nextInt(5)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> random.nextInt(0x20);
                case 2 -> 0x80 + random.nextInt(0x80);
                case 3 -> 0x100 + random.nextInt(0xD700);
                default -> 0x10000 + random.nextInt(0x100000);
            });
        }
        return text.toString();
    }

    /** One of the catalog's strings or a random one. */
    String anyString() {
        return random.nextBoolean() ? pick(STRINGS) : string();
    }

    /** Random bytes, up to {@code max}. */
    byte[] bytes(int max) {
        byte[] bytes = new byte[random.nextInt(max + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    int below(int bound) {
        return random.nextInt(bound);
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** {@code count} of {@code values} in a random order, or all of them when there are no more. */
    <T> List<T> sample(List<T> values, int count) {
        List<T> shuffled = new java.util.ArrayList<>(values);
        java.util.Collections.shuffle(shuffled, random);
        return shuffled.subList(0, Math.min(count, shuffled.size()));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
