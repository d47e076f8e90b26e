package dev.dnsdig.bootstrap;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket for the OpenAPI fuzzing, one request per connection ({@code Connection: close}): any bytes at all in the request
 * line, the headers and the body, which {@code java.net.http} rightly refuses to send.
 */
final class RawSocketHttp {
    private final int port;
    private final Duration timeout;

    RawSocketHttp(int port, Duration timeout) {
        this.port = port;
        this.timeout = timeout;
    }

    /** A request as sent: the request target exactly as given (already encoded, or deliberately not). */
    record Request(String method, byte[] target, List<Map.Entry<String, byte[]>> headers, byte[] body) {
        byte[] bytes(int port) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((method + " ").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(target);
            out.writeBytes((" HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> header : headers) {
                out.writeBytes((header.getKey() + ": ").getBytes(StandardCharsets.UTF_8));
                out.writeBytes(header.getValue());
                out.writeBytes(new byte[] {'\r', '\n'});
            }
            out.writeBytes(new byte[] {'\r', '\n'});
            out.writeBytes(body);
            return out.toByteArray();
        }
    }

    /** The response: status, headers (names in lower case) and the body, de-chunked. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? "" : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Response send(Request request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                socket.getOutputStream().write(request.bytes(port));
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                // the server answered (413, 431) and closed before taking all of it: its answer is still there to read
            }
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /**
     * One response, read as far as it says it goes (Content-Length, chunks, or the connection's end): a server that
     * refused a body it was promised may keep the connection open for that body after answering.
     */
    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!endsWith(head, "\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("no complete response: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] body;
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = dechunk(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new Response(Integer.parseInt(statusLine[1]), headers, body);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.writeBytes(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (!endsWith(line, "\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the chunked body ends early");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    private static boolean endsWith(ByteArrayOutputStream bytes, String end) {
        byte[] all = bytes.toByteArray();
        if (all.length < end.length()) {
            return false;
        }
        for (int i = 0; i < end.length(); i++) {
            if (all[all.length - end.length() + i] != end.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
