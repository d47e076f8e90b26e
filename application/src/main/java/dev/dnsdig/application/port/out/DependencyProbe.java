package dev.dnsdig.application.port.out;

import java.util.Map;

/** Outgoing port through which a dependency (the DNS upstreams, later the database) reports its health. */
public interface DependencyProbe {
    Report probe();

    /** A dependency's state with details for operators; never secrets. */
    record Report(String name, boolean up, Map<String, String> details) {
        public Report {
            details = Map.copyOf(details);
        }
    }
}
