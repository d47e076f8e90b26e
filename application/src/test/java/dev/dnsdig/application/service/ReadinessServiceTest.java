package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.port.in.CheckReadiness.Readiness;
import dev.dnsdig.application.port.out.DependencyProbe;
import dev.dnsdig.application.port.out.DependencyProbe.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tests of {@link ReadinessService}: ready exactly when every probe reports up. */
class ReadinessServiceTest {

    private static DependencyProbe probe(String name, boolean up) {
        return () -> new Report(name, up, Map.of("state", up ? "ok" : "unreachable"));
    }

    @Test
    void readyWhenEveryProbeIsUp() {
        Readiness readiness = new ReadinessService(List.of(probe("dns", true), probe("mongo", true))).check();

        assertTrue(readiness.ready());
        assertEquals(List.of("dns", "mongo"), readiness.dependencies().stream().map(Report::name).toList());
        assertEquals(Map.of("state", "ok"), readiness.dependencies().get(0).details());
    }

    @Test
    void notReadyWhenAnyProbeIsDownAndEveryReportIsKept() {
        Readiness readiness = new ReadinessService(
                List.of(probe("dns", true), probe("mongo", false), probe("auth", true))).check();

        assertFalse(readiness.ready());
        assertEquals(3, readiness.dependencies().size());
        assertEquals(List.of(true, false, true), readiness.dependencies().stream().map(Report::up).toList());
        assertEquals("unreachable", readiness.dependencies().get(1).details().get("state"));
    }

    @Test
    void notReadyWhenEveryProbeIsDown() {
        assertFalse(new ReadinessService(List.of(probe("dns", false), probe("mongo", false))).check().ready());
    }

    @Test
    void readyWithoutDependencies() {
        Readiness readiness = new ReadinessService(List.of()).check();

        assertTrue(readiness.ready());
        assertTrue(readiness.dependencies().isEmpty());
    }

    @Test
    void probesAgainOnEveryCheck() {
        AtomicInteger calls = new AtomicInteger();
        DependencyProbe flapping = () -> new Report("dns", calls.incrementAndGet() % 2 == 1, Map.of());
        ReadinessService service = new ReadinessService(List.of(flapping));

        assertTrue(service.check().ready());
        assertFalse(service.check().ready());
        assertEquals(2, calls.get());
    }

    @Test
    void copiesTheProbeList() {
        List<DependencyProbe> probes = new ArrayList<>(List.of(probe("dns", true)));
        ReadinessService service = new ReadinessService(probes);
        probes.add(probe("late", false));

        assertTrue(service.check().ready());
        assertEquals(1, service.check().dependencies().size());
    }

    @Test
    void reportsAndReadinessAreImmutableCopies() {
        Map<String, String> details = new java.util.HashMap<>(Map.of("servers", "2"));
        Report report = new Report("dns", true, details);
        details.put("secret", "x");
        List<Report> reports = new ArrayList<>(List.of(report));
        Readiness readiness = new Readiness(true, reports);
        reports.clear();

        assertEquals(Map.of("servers", "2"), report.details());
        assertEquals(List.of(report), readiness.dependencies());
        assertThrows(UnsupportedOperationException.class, () -> readiness.dependencies().add(report));
        assertThrows(UnsupportedOperationException.class, () -> report.details().put("k", "v"));
    }
}
