package dev.dnsdig.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsdig.application.port.out.DnsResolver.UpstreamQuery;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of {@link UpstreamQuery}: a complete, immutable question for one provider. */
class UpstreamQueryTest {
    private static final DomainName NAME = DomainName.of("example.com");
    private static final Instant DEADLINE = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void copiesTheServers() {
        List<UpstreamServer> servers = new ArrayList<>(List.of(UpstreamServer.parse("192.0.2.1")));
        UpstreamQuery query = new UpstreamQuery("p", servers, NAME, RecordType.A, DEADLINE);
        servers.add(UpstreamServer.parse("192.0.2.2"));

        assertEquals(List.of(UpstreamServer.parse("192.0.2.1")), query.servers());
        assertThrows(UnsupportedOperationException.class, () -> query.servers().clear());
    }

    @Test
    void requiresEveryPart() {
        List<UpstreamServer> servers = List.of(UpstreamServer.parse("192.0.2.1"));
        assertThrows(NullPointerException.class, () -> new UpstreamQuery(null, servers, NAME, RecordType.A, DEADLINE));
        assertThrows(NullPointerException.class, () -> new UpstreamQuery("p", null, NAME, RecordType.A, DEADLINE));
        assertThrows(NullPointerException.class, () -> new UpstreamQuery("p", servers, null, RecordType.A, DEADLINE));
        assertThrows(NullPointerException.class, () -> new UpstreamQuery("p", servers, NAME, null, DEADLINE));
        assertThrows(NullPointerException.class, () -> new UpstreamQuery("p", servers, NAME, RecordType.A, null));
    }
}
