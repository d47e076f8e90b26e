package dev.dnsdig.adapters.rest;

import dev.dnsdig.adapters.rest.health.HealthResource;
import dev.dnsdig.adapters.rest.problem.ProblemMappers;
import dev.dnsdig.adapters.rest.resolve.ResolveResource;
import dev.dnsdig.adapters.rest.support.JsonConfig;
import dev.dnsdig.adapters.rest.support.RequestIdFilter;
import dev.dnsdig.application.port.in.CheckReadiness;
import dev.dnsdig.application.port.in.ResolveOverview;
import dev.dnsdig.application.port.in.ResolveRecords;
import java.util.Objects;
import org.glassfish.jersey.inject.hk2.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** Assembles the HTTP API: resources, the use cases they call, JSON, problem mapping and filters. */
public final class RestApi {
    private RestApi() {
    }

    /** The use cases the API exposes; the composition root supplies them. */
    public record UseCases(ResolveRecords resolveRecords, ResolveOverview resolveOverview, CheckReadiness readiness) {
        public UseCases {
            Objects.requireNonNull(resolveRecords, "resolveRecords");
            Objects.requireNonNull(resolveOverview, "resolveOverview");
            Objects.requireNonNull(readiness, "readiness");
        }
    }

    public static ResourceConfig resourceConfig(UseCases useCases) {
        ResourceConfig config = new ResourceConfig();
        config.register(ResolveResource.class);
        config.register(HealthResource.class);
        config.register(RequestIdFilter.class);
        config.register(JsonConfig.class);
        config.register(JacksonFeature.withoutExceptionMappers());
        for (Class<?> mapper : ProblemMappers.all()) {
            config.register(mapper);
        }
        config.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(useCases.resolveRecords()).to(ResolveRecords.class);
                bind(useCases.resolveOverview()).to(ResolveOverview.class);
                bind(useCases.readiness()).to(CheckReadiness.class);
            }
        });
        // errors are ours to render; never let the container add its own HTML or a WADL
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(ServerProperties.PROCESSING_RESPONSE_ERRORS_ENABLED, true);
        return config;
    }
}
