package dev.dnsdig.adapters.dns.testing;

import dev.dnsdig.domain.dns.UpstreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real Knot DNS authoritative server on 127.0.0.1 and ::1, on a free high port, serving the zones in
 * {@code src/test/resources/knot}: {@code dnsdig.test} (every record type), {@code whoami.test} (answers
 * with the address the query came from), {@code signed.test} and {@code bogus.test} (both DNSSEC-signed by Knot with
 * keys made at start; tests trust the first with {@link #trustAnchor} and give the second an anchor that does not
 * match its keys, so that it is bogus), and the reverse zones of dnsdig.test's addresses,
 * {@code 2.0.192.in-addr.arpa} and {@code 8.b.d.0.1.0.0.2.ip6.arpa} (PTR).
 */
public final class KnotServer implements AutoCloseable {
    public static final List<String> ZONES = List.of("dnsdig.test", "whoami.test", "signed.test", "bogus.test",
            "2.0.192.in-addr.arpa", "8.b.d.0.1.0.0.2.ip6.arpa");
    private static final String INSTALL_HINT =
            "Knot DNS (knotd) is needed by the DNS tests: install it with 'sudo apt-get install knot' (Debian/Ubuntu)";

    private final Path dir;
    private final Process process;
    private final int port;

    private KnotServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Starts Knot with the test zones and returns once it answers over IPv4 and IPv6; fails loudly if Knot is missing. */
    public static KnotServer start() {
        Path knotd = findKnotd().orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return startOnce(knotd, freePort());
            } catch (IllegalStateException e) {
                last = e; // most likely another process took the port between probing and binding
            }
        }
        throw last;
    }

    public static Optional<Path> findKnotd() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin:/sbin";
        return Stream.of(path.split(":")).filter(p -> !p.isEmpty()).map(p -> Path.of(p, "knotd"))
                .filter(Files::isExecutable).findFirst();
    }

    private static KnotServer startOnce(Path knotd, int port) {
        Path dir;
        try {
            dir = Files.createTempDirectory("dnsdig-knot-");
            Files.createDirectories(dir.resolve("zones"));
            Files.createDirectories(dir.resolve("db"));
            for (String zone : ZONES) {
                try (InputStream in = KnotServer.class.getResourceAsStream("/knot/" + zone + ".zone")) {
                    if (in == null) {
                        throw new IllegalStateException("test resource /knot/" + zone + ".zone is missing");
                    }
                    Files.copy(in, dir.resolve("zones").resolve(zone + ".zone"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(dir.resolve("knot.conf"), config(dir, port), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process;
        try {
            process = new ProcessBuilder(knotd.toString(), "-c", dir.resolve("knot.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("knotd.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(INSTALL_HINT + " (" + e.getMessage() + ")", e);
        }
        KnotServer server = new KnotServer(dir, process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = server.log();
                server.close();
                throw new IllegalStateException("knotd exited at start:\n" + log);
            }
            if (server.answers("127.0.0.1") && server.answers("::1") && server.answersSigned()) {
                return server;
            }
            sleep(50);
        }
        String log = server.log();
        server.close();
        throw new IllegalStateException("knotd did not answer within 15 s:\n" + log);
    }

    private static String config(Path dir, int port) {
        return """
                server:
                    rundir: "%1$s"
                    listen: [ 127.0.0.1@%2$d, ::1@%2$d ]
                    udp-workers: 1
                    tcp-workers: 1
                    background-workers: 1
                control:
                    listen: "%1$s/knot.sock"
                database:
                    storage: "%1$s/db"
                log:
                  - target: stderr
                    any: warning
                policy:
                  - id: auto
                    algorithm: ecdsap256sha256
                template:
                  - id: default
                    storage: "%1$s/zones"
                    file: "%%s.zone"
                    zonefile-sync: -1
                    zonefile-load: whole
                    journal-content: none
                zone:
                  - domain: dnsdig.test
                  - domain: whoami.test
                    module: mod-whoami
                  - domain: signed.test
                    dnssec-signing: on
                    dnssec-policy: auto
                  - domain: bogus.test
                    dnssec-signing: on
                    dnssec-policy: auto
                  - domain: 2.0.192.in-addr.arpa
                  - domain: 8.b.d.0.1.0.0.2.ip6.arpa
                """.formatted(dir, port);
    }

    private boolean answers(String address) {
        return query(address, "dnsdig.test.", Type.SOA);
    }

    private boolean answersSigned() {
        return query("127.0.0.1", "signed.test.", Type.DNSKEY) && query("127.0.0.1", "bogus.test.", Type.DNSKEY);
    }

    private boolean query(String address, String name, int type) {
        try {
            return !ask(address, name, type).getSection(org.xbill.DNS.Section.ANSWER).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private Message ask(String address, String name, int type) throws IOException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(address), port));
        resolver.setTimeout(Duration.ofMillis(200));
        Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
        if (response.getRcode() != Rcode.NOERROR) {
            throw new IOException(name + " " + Type.string(type) + ": " + Rcode.string(response.getRcode()));
        }
        return response;
    }

    /**
     * The DS record, in presentation format, of the key-signing key Knot made for {@code zone} at start: a trust
     * anchor for that zone (DNSDIG_DNSSEC_TRUST_ANCHORS), as its parent would publish it.
     */
    public String trustAnchor(String zone) {
        try {
            for (Record record : ask("127.0.0.1", zone + ".", Type.DNSKEY).getSection(org.xbill.DNS.Section.ANSWER)) {
                if (record instanceof DNSKEYRecord key && (key.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0) {
                    return new DSRecord(key.getName(), DClass.IN, 3600, DNSSEC.Digest.SHA256, key).toString();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(zone + " has no key-signing key: is it signed?");
    }

    /** A port free for UDP and TCP on both loopback addresses at the time of asking. */
    public static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp4 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                int port = udp4.getLocalPort();
                try (DatagramSocket udp6 = new DatagramSocket(new InetSocketAddress("::1", port));
                     ServerSocket tcp4 = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
                     ServerSocket tcp6 = new ServerSocket(port, 1, InetAddress.getByName("::1"))) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port on loopback");
    }

    public int port() {
        return port;
    }

    public UpstreamServer ipv4() {
        return new UpstreamServer("127.0.0.1", port);
    }

    public UpstreamServer ipv6() {
        return new UpstreamServer("::1", port);
    }

    /** The provider spec as DNSDIG_DNS_PROVIDERS writes it: both addresses of this server. */
    public String providerSpec(String name) {
        return name + "=127.0.0.1:" + port + ",[::1]:" + port;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("knotd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
