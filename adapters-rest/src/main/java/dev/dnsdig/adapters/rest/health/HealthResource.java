package dev.dnsdig.adapters.rest.health;

import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.application.port.in.CheckReadiness;
import dev.dnsdig.application.port.out.DependencyProbe;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Liveness (the process serves HTTP) and readiness (its dependencies can do their part). */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final CheckReadiness readiness;

    @Inject
    public HealthResource(CheckReadiness readiness) {
        this.readiness = readiness;
    }

    /** Status and per-dependency checks. */
    public record HealthBody(String status, Map<String, Check> checks) {
    }

    public record Check(String status, Map<String, String> details) {
    }

    @GET
    @Path("live")
    public HealthBody live() {
        return new HealthBody("UP", Map.of());
    }

    @GET
    @Path("ready")
    public HealthBody ready() {
        CheckReadiness.Readiness result = readiness.check();
        Map<String, Check> checks = new LinkedHashMap<>();
        for (DependencyProbe.Report report : result.dependencies()) {
            checks.put(report.name(), new Check(report.up() ? "UP" : "DOWN", report.details()));
        }
        if (!result.ready()) {
            throw new ProblemException(Problem.of("not-ready", "Not ready", 503,
                    "A dependency is down; see checks.").with("checks", checks));
        }
        return new HealthBody("UP", checks);
    }
}
