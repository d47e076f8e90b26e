package dev.dnsdig.adapters.rest.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.glassfish.jersey.inject.hk2.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;

/** Adds the access log, the request metrics and {@code /metrics} to the API. */
public final class Observability {
    private Observability() {
    }

    /**
     * Every request is logged, and timed into {@code registry} unless metrics are {@code OFF} (nobody could read
     * them, so nothing is recorded); {@code access} says who may read {@code /metrics}.
     */
    public static ResourceConfig register(ResourceConfig config, PrometheusMeterRegistry registry, MetricsAccess access) {
        config.register(new RequestObservation(access == MetricsAccess.OFF ? java.util.Optional.empty()
                : java.util.Optional.of(registry)));
        if (access != MetricsAccess.OFF) {
            config.register(MetricsResource.class);
            config.register(new AbstractBinder() {
                @Override
                protected void configure() {
                    bind(registry).to(PrometheusMeterRegistry.class);
                    bind(access).to(MetricsAccess.class);
                }
            });
        }
        return config;
    }
}
