package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.CheckReadiness;
import dev.dnsdig.application.port.out.DependencyProbe;
import java.util.List;

/** Implements readiness: ready when every dependency probe reports up. */
public final class ReadinessService implements CheckReadiness {
    private final List<DependencyProbe> probes;

    public ReadinessService(List<DependencyProbe> probes) {
        this.probes = List.copyOf(probes);
    }

    @Override
    public Readiness check() {
        List<DependencyProbe.Report> reports = probes.stream().map(DependencyProbe::probe).toList();
        return new Readiness(reports.stream().allMatch(DependencyProbe.Report::up), reports);
    }
}
