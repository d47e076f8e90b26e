package dev.dnsdig.bootstrap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request of {@link OpenApiFuzzTest} as it is put together: the operation's path with its parameters filled in
 * (percent-encoded, or on purpose not), query pairs, headers and a body, and what makes it a variant of the valid one.
 */
final class FuzzRequest {
    final String method;
    final String template;
    final Map<String, String> pathValues = new LinkedHashMap<>();
    final List<String> query = new ArrayList<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    String contentType;
    byte[] body;
    boolean signedIn;
    String what = "valid";

    FuzzRequest(String method, String template) {
        this.method = method;
        this.template = template;
    }

    FuzzRequest copy(String what) {
        FuzzRequest copy = new FuzzRequest(method, template);
        copy.pathValues.putAll(pathValues);
        copy.query.addAll(query);
        copy.headers.putAll(headers);
        copy.contentType = contentType;
        copy.body = body;
        copy.signedIn = signedIn;
        copy.what = what;
        return copy;
    }

    /** This request with another method, for the methods a path does not serve. */
    FuzzRequest as(String otherMethod) {
        FuzzRequest copy = new FuzzRequest(otherMethod, template);
        copy.pathValues.putAll(pathValues);
        copy.signedIn = signedIn;
        copy.what = "method " + otherMethod;
        return copy;
    }

    /** The request's bytes, signed in with {@code bearer} when it is to be. */
    RawSocketHttp.Request build(String bearer) {
        String target = template;
        for (Map.Entry<String, String> value : pathValues.entrySet()) {
            target = target.replace("{" + value.getKey() + "}", value.getValue());
        }
        if (!query.isEmpty()) {
            target += "?" + String.join("&", query);
        }
        List<Map.Entry<String, byte[]>> all = new ArrayList<>();
        if (signedIn && !headers.containsKey("Authorization")) {
            all.add(header("Authorization", bearer));
        }
        headers.forEach((name, value) -> all.add(header(name, value)));
        byte[] content = body == null ? new byte[0] : body;
        if (contentType != null) {
            all.add(header("Content-Type", contentType));
        }
        if (!headers.containsKey("Content-Length") && !headers.containsKey("Transfer-Encoding")
                && (body != null || !method.equals("GET") && !method.equals("DELETE"))) {
            all.add(header("Content-Length", Integer.toString(content.length)));
        }
        return new RawSocketHttp.Request(method, target.getBytes(StandardCharsets.UTF_8), all, content);
    }

    private static Map.Entry<String, byte[]> header(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Percent-encodes everything but the unreserved characters (RFC 3986 2.3), as UTF-8. */
    static String encode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return encoded.toString();
    }

    /** A form body (application/x-www-form-urlencoded) of the pairs given, encoded. */
    static byte[] form(Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((name, value) -> {
            if (out.size() > 0) {
                out.write('&');
            }
            out.writeBytes((encode(name) + "=" + encode(value)).getBytes(StandardCharsets.US_ASCII));
        });
        return out.toByteArray();
    }

    @Override
    public String toString() {
        String target = new String(build("Bearer ...").target(), StandardCharsets.UTF_8);
        return method + " " + (target.length() > 160 ? target.substring(0, 160) + "..." : target) + " [" + what + "]";
    }
}
