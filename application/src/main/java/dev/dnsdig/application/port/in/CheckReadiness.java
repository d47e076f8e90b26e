package dev.dnsdig.application.port.in;

import dev.dnsdig.application.port.out.DependencyProbe;
import java.util.List;

/** Use case: can this instance serve traffic now? Each dependency reports, and any DOWN makes it not ready. */
public interface CheckReadiness {
    Readiness check();

    /** The verdict and each dependency's report. */
    record Readiness(boolean ready, List<DependencyProbe.Report> dependencies) {
        public Readiness {
            dependencies = List.copyOf(dependencies);
        }
    }
}
