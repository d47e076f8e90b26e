package dev.dnsdig.domain.dns;

import dev.dnsdig.domain.InvalidValueException;
import java.util.ArrayList;
import java.util.List;

/** A named set of upstream servers (Cloudflare, Google, a local resolver), asked in the order given. */
public record DnsProvider(String name, List<UpstreamServer> servers) {
    public DnsProvider {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,62}")) {
            throw new InvalidValueException("provider", "provider name '" + name
                    + "' must be 1-63 letters, digits, '-' or '_', starting with a letter or digit");
        }
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new InvalidValueException("provider", "provider '" + name + "' has no servers");
        }
    }

    /** The servers of one address family, in configured order (may be empty). */
    public List<UpstreamServer> servers(IpFamily family) {
        // asked for every lookup: no copy when all servers are of that family (the usual case)
        int matching = 0;
        for (UpstreamServer server : servers) {
            matching += server.family() == family ? 1 : 0;
        }
        if (matching == servers.size()) {
            return servers;
        }
        List<UpstreamServer> ofFamily = new ArrayList<>(matching);
        for (UpstreamServer server : servers) {
            if (server.family() == family) {
                ofFamily.add(server);
            }
        }
        return List.copyOf(ofFamily);
    }
}
