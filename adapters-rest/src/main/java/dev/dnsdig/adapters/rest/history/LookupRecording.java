package dev.dnsdig.adapters.rest.history;

import dev.dnsdig.adapters.rest.auth.AuthenticationFeature;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.resolve.ResolutionJson.OverviewBody;
import dev.dnsdig.adapters.rest.resolve.ResolutionJson.ResolutionBody;
import dev.dnsdig.application.port.in.Authenticate.Principal;
import dev.dnsdig.application.port.in.RecordLookups;
import dev.dnsdig.domain.history.LookupResult;
import dev.dnsdig.adapters.rest.support.Once;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the answers of every {@link Recorded} method in the authenticated caller's history: a response filter that
 * reads the resolution(s) from the response, so the resources stay as they are. It sees the answer a client gets,
 * failures included: when nobody answered, the 502/504 problem carries the resolution. Handing the records over only
 * queues them ({@link RecordLookups}); a mistake here is logged and never changes the response.
 */
public final class LookupRecording implements DynamicFeature {
    private static final System.Logger LOG = System.getLogger(LookupRecording.class.getName());

    /** Asked per request: at start the use case may still be being made. */
    @Inject
    jakarta.inject.Provider<RecordLookups> recordLookups;

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        if (resource.getResourceMethod().isAnnotationPresent(Recorded.class)) {
            context.register(new Filter(new Once<>(recordLookups)));
        }
    }

    /** What the provider results in a response entity say, one per provider; nothing for anything else. */
    public static List<LookupResult> results(Object entity) {
        List<LookupResult> results = new ArrayList<>();
        collect(entity instanceof Problem problem ? problem.getExtensions().get("resolution") : entity, results);
        return results;
    }

    private static void collect(Object entity, List<LookupResult> results) {
        switch (entity) {
            case ResolutionBody body -> results.addAll(LookupResult.of(body.source()));
            case OverviewBody overview -> overview.types().values().forEach(body -> collect(body, results));
            case null, default -> {
                // not an answer (a 400 or 503 without resolution): nothing was looked up
            }
        }
    }

    @Priority(Priorities.USER)
    static final class Filter implements ContainerResponseFilter {
        private final jakarta.inject.Provider<RecordLookups> recordLookups;

        Filter(jakarta.inject.Provider<RecordLookups> recordLookups) {
            this.recordLookups = recordLookups;
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            // no principal: the request was refused before it looked anything up
            if (!(request.getProperty(AuthenticationFeature.PRINCIPAL) instanceof Principal principal)) {
                return;
            }
            try {
                List<LookupResult> results = results(response.getEntity());
                if (!results.isEmpty()) {
                    recordLookups.get().record(principal.userId(), results);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "lookup not recorded: " + e);
            }
        }
    }
}
