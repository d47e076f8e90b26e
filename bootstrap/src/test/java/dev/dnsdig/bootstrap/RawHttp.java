package dev.dnsdig.bootstrap;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on a plain socket, one keep-alive connection, for tests that must tell exactly how an exchange ended: a
 * whole response, the connection refused, closed before any byte of an answer, broken off within one, or no answer
 * in time. The JDK's HttpClient retries, pools and reconnects out of sight, which blurs exactly those.
 */
final class RawHttp implements AutoCloseable {
    /** How one request ended. */
    sealed interface Outcome {
    }

    /** A whole response; header names in lower case. */
    record Answered(int status, Map<String, String> headers, String body) implements Outcome {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        boolean closes() {
            return header("connection").equalsIgnoreCase("close");
        }
    }

    /** Nobody accepted the connection. */
    record Refused() implements Outcome {
    }

    /** The connection ended before the first byte of an answer. */
    record ClosedBeforeAnswer(String error) implements Outcome {
    }

    /** The connection ended within an answer. */
    record Broken(String received, String error) implements Outcome {
    }

    /** No whole answer within the read timeout. */
    record TimedOut(String received) implements Outcome {
    }

    private final InetSocketAddress server;
    private final int timeoutMillis;
    private Socket socket;
    private int connections;

    RawHttp(String host, int port, int timeoutMillis) {
        this.server = new InetSocketAddress(host, port);
        this.timeoutMillis = timeoutMillis;
    }

    /** {@code http://host:port} as the server prints it. */
    static RawHttp to(String base, int timeoutMillis) {
        java.net.URI uri = java.net.URI.create(base);
        return new RawHttp(uri.getHost(), uri.getPort(), timeoutMillis);
    }

    /** Opens the connection now, when none is open (an exchange opens one too). */
    boolean connect() throws IOException {
        if (socket != null) {
            return true;
        }
        Socket opened = new Socket();
        try {
            opened.connect(server, timeoutMillis);
        } catch (ConnectException e) {
            opened.close();
            return false;
        }
        opened.setSoTimeout(timeoutMillis);
        socket = opened;
        connections++;
        return true;
    }

    /** Sends {@code GET path} (extra header lines as {@code "Name: value"}) on the connection and reads the answer. */
    Outcome get(String path, String... headers) {
        return send("GET", path, "", headers);
    }

    /** Sends a request with a JSON body (none when empty) on the connection and reads the answer. */
    Outcome send(String method, String path, String json, String... headers) {
        try {
            if (!connect()) {
                return new Refused();
            }
        } catch (IOException e) {
            return new Refused();
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(server.getHostString()).append(':').append(server.getPort()).append("\r\n");
        if (body.length > 0) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            Answered answered = read(new Recording(socket.getInputStream(), received));
            if (answered.closes()) {
                close();
            }
            return answered;
        } catch (SocketTimeoutException e) {
            close();
            return new TimedOut(received.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            close();
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            return received.size() == 0 ? new ClosedBeforeAnswer(error)
                    : new Broken(received.toString(StandardCharsets.ISO_8859_1), error);
        }
    }

    /** Connections opened so far. */
    int connections() {
        return connections;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    private static Answered read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not a status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(exactly(in, size));
                line(in);
            }
            line(in);
        } else if (headers.containsKey("content-length")) {
            body.write(exactly(in, Integer.parseInt(headers.get("content-length"))));
        } else if ("close".equalsIgnoreCase(headers.get("connection"))) {
            in.transferTo(body);
        }
        return new Answered(Integer.parseInt(parts[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    private static byte[] exactly(InputStream in, int size) throws IOException {
        byte[] bytes = in.readNBytes(size);
        if (bytes.length < size) {
            throw new EOFException("body ended after " + bytes.length + " of " + size + " bytes");
        }
        return bytes;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** Keeps a copy of what was read, to tell "nothing arrived" from "part of an answer arrived". */
    private static final class Recording extends BufferedInputStream {
        private final ByteArrayOutputStream copy;

        Recording(InputStream in, ByteArrayOutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public synchronized int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                copy.write(c);
            }
            return c;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }
    }
}
