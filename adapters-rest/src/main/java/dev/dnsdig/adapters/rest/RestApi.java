package dev.dnsdig.adapters.rest;

import dev.dnsdig.adapters.rest.account.AuthResource;
import dev.dnsdig.adapters.rest.account.ExternalLoginResource;
import dev.dnsdig.adapters.rest.account.MeResource;
import dev.dnsdig.adapters.rest.account.UserResource;
import dev.dnsdig.adapters.rest.auth.AuthenticationFeature;
import dev.dnsdig.adapters.rest.client.ApplicationResource;
import dev.dnsdig.adapters.rest.client.OAuthTokenResource;
import dev.dnsdig.adapters.rest.health.HealthResource;
import dev.dnsdig.adapters.rest.openapi.OpenApiResource;
import dev.dnsdig.adapters.rest.openapi.SwaggerUiResource;
import dev.dnsdig.adapters.rest.wellknown.SigningKeyResource;
import dev.dnsdig.adapters.rest.wellknown.WellKnownResource;
import dev.dnsdig.application.port.in.AdministerUsers;
import dev.dnsdig.application.port.in.Authenticate;
import dev.dnsdig.application.port.in.DescribeIssuer;
import dev.dnsdig.application.port.in.ExternalLogin;
import dev.dnsdig.application.port.in.IssueClientTokens;
import dev.dnsdig.application.port.in.LimitRequests;
import dev.dnsdig.application.port.in.LogIn;
import dev.dnsdig.application.port.in.ManageApplications;
import dev.dnsdig.application.port.in.ManageOwnAccount;
import dev.dnsdig.application.port.in.ManageTodos;
import dev.dnsdig.adapters.rest.support.BodyLimitFeature;
import dev.dnsdig.adapters.rest.todo.TodoResource;
import dev.dnsdig.application.port.in.SignUp;
import dev.dnsdig.adapters.rest.problem.ProblemMappers;
import dev.dnsdig.adapters.rest.ratelimit.RateLimitFeature;
import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import dev.dnsdig.adapters.rest.resolve.LookupResource;
import dev.dnsdig.adapters.rest.resolve.ResolveResource;
import dev.dnsdig.application.port.in.CheckPropagation;
import dev.dnsdig.application.port.in.ResolveBatch;
import dev.dnsdig.application.port.in.ResolveReverse;
import dev.dnsdig.adapters.rest.doh.DnsQueryResource;
import dev.dnsdig.adapters.rest.google.GoogleJsonResource;
import dev.dnsdig.application.port.in.AnswerDnsMessage;
import dev.dnsdig.adapters.rest.support.HandlerInFront;
import dev.dnsdig.adapters.rest.support.HeaderSyntax;
import dev.dnsdig.adapters.rest.support.JsonConfig;
import dev.dnsdig.adapters.rest.support.RequestIdFilter;
import dev.dnsdig.adapters.rest.support.SecurityHeaders;
import dev.dnsdig.application.port.in.CheckReadiness;
import dev.dnsdig.application.port.in.ResolveOverview;
import dev.dnsdig.application.port.in.ResolveRecords;
import dev.dnsdig.adapters.rest.history.LookupHistoryResource;
import dev.dnsdig.adapters.rest.history.LookupRecording;
import dev.dnsdig.adapters.rest.history.ProviderStatisticsResource;
import dev.dnsdig.application.port.in.ListLookups;
import dev.dnsdig.application.port.in.RecordLookups;
import dev.dnsdig.application.port.in.ReportProviderStatistics;
import dev.dnsdig.adapters.rest.observe.RequestLog;
import dev.dnsdig.adapters.rest.resolve.ResolveFastPath;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import java.util.concurrent.CompletableFuture;
import org.glassfish.jersey.inject.hk2.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** Assembles the HTTP API: resources, the use cases they call, JSON, problem mapping and filters. */
public final class RestApi {
    private RestApi() {
    }

    /** The use cases the API exposes; the composition root supplies them. */
    public record UseCases(ResolveRecords resolveRecords, ResolveOverview resolveOverview, CheckReadiness readiness,
                           Authenticate authenticate, SignUp signUp, LogIn logIn, ManageOwnAccount ownAccount,
                           AdministerUsers administerUsers, DescribeIssuer issuer, ManageApplications applications,
                           IssueClientTokens clientTokens, ExternalLogin externalLogin, ManageTodos todos,
                           LimitRequests limitRequests, AnswerDnsMessage answerDnsMessage,
                           ResolveReverse resolveReverse, CheckPropagation checkPropagation, ResolveBatch resolveBatch,
                           RecordLookups recordLookups, ListLookups listLookups,
                           ReportProviderStatistics providerStatistics) {
        public UseCases {
            Objects.requireNonNull(resolveReverse, "resolveReverse");
            Objects.requireNonNull(checkPropagation, "checkPropagation");
            Objects.requireNonNull(resolveBatch, "resolveBatch");
            Objects.requireNonNull(recordLookups, "recordLookups");
            Objects.requireNonNull(listLookups, "listLookups");
            Objects.requireNonNull(providerStatistics, "providerStatistics");
            Objects.requireNonNull(answerDnsMessage, "answerDnsMessage");
            Objects.requireNonNull(limitRequests, "limitRequests");
            Objects.requireNonNull(todos, "todos");
            Objects.requireNonNull(externalLogin, "externalLogin");
            Objects.requireNonNull(resolveRecords, "resolveRecords");
            Objects.requireNonNull(resolveOverview, "resolveOverview");
            Objects.requireNonNull(readiness, "readiness");
            Objects.requireNonNull(authenticate, "authenticate");
            Objects.requireNonNull(signUp, "signUp");
            Objects.requireNonNull(logIn, "logIn");
            Objects.requireNonNull(ownAccount, "ownAccount");
            Objects.requireNonNull(administerUsers, "administerUsers");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(applications, "applications");
            Objects.requireNonNull(clientTokens, "clientTokens");
        }
    }

    /**
     * Puts {@link ResolveFastPath} in front of the API's one handler in {@code server} (not started yet): the ordinary
     * signed-in lookups are answered without Jersey, everything else by the API as before. {@code log}: the access log
     * and request metrics, when the API keeps them ({@code Observability}).
     */
    public static ResolveFastPath answerLookupsFirst(HttpServer server, UseCases useCases, RateLimits rateLimits,
                                                     Optional<RequestLog> log) {
        return inFront(server, api -> new ResolveFastPath(api, useCases.authenticate(), useCases.resolveRecords(),
                useCases.recordLookups(), useCases.limitRequests(), rateLimits.user(), log));
    }

    /**
     * Replaces the one handler of {@code server} (not started yet) with {@code wrap} of it, under the same mapping:
     * how the server puts its parts in front of the API.
     */
    public static <H extends HandlerInFront> H inFront(HttpServer server, Function<HttpHandler, H> wrap) {
        ServerConfiguration configuration = server.getServerConfiguration();
        Map<HttpHandler, HttpHandlerRegistration[]> handlers = configuration.getHttpHandlersWithMapping();
        if (handlers.size() != 1) {
            throw new IllegalStateException("expected the API's one handler, found " + handlers.keySet());
        }
        // read before the change: the map is a live view of the registrations
        HttpHandler api = handlers.keySet().iterator().next();
        HttpHandlerRegistration[] mapping = handlers.get(api);
        configuration.removeHttpHandler(api);
        H wrapped = wrap.apply(api);
        configuration.addHttpHandler(wrapped, mapping);
        return wrapped;
    }

    public static ResourceConfig resourceConfig(UseCases useCases) {
        return resourceConfig(useCases, RateLimits.off());
    }

    /** With {@code rateLimits}: the policies of the rate limits and the proxies trusted to name clients. */
    public static ResourceConfig resourceConfig(UseCases useCases, RateLimits rateLimits) {
        return resourceConfig(CompletableFuture.completedFuture(useCases), rateLimits);
    }

    /**
     * The API for use cases still being made (storage opening, services wired): Jersey initializes meanwhile and
     * asks for them only when a request needs one. The server opens its listener once they are there.
     */
    public static ResourceConfig resourceConfig(CompletableFuture<UseCases> later) {
        return resourceConfig(later, RateLimits.off());
    }

    /** The API for use cases still being made, with {@code rateLimits}. */
    public static ResourceConfig resourceConfig(CompletableFuture<UseCases> later, RateLimits rateLimits) {
        ResourceConfig config = new ResourceConfig();
        config.register(ResolveResource.class);
        config.register(LookupResource.class);
        config.register(DnsQueryResource.class);
        config.register(GoogleJsonResource.class);
        config.register(HealthResource.class);
        config.register(AuthResource.class);
        config.register(ExternalLoginResource.class);
        config.register(UserResource.class);
        config.register(MeResource.class);
        config.register(WellKnownResource.class);
        config.register(SigningKeyResource.class);
        config.register(ApplicationResource.class);
        config.register(OAuthTokenResource.class);
        config.register(TodoResource.class);
        config.register(LookupHistoryResource.class);
        config.register(ProviderStatisticsResource.class);
        config.register(LookupRecording.class);
        config.register(OpenApiResource.class);
        config.register(SwaggerUiResource.class);
        config.register(BodyLimitFeature.class);
        config.register(AuthenticationFeature.class);
        config.register(RateLimitFeature.class);
        config.register(RequestIdFilter.class);
        config.register(HeaderSyntax.class);
        config.register(SecurityHeaders.class);
        config.register(JsonConfig.class);
        config.register(JacksonFeature.withoutExceptionMappers());
        for (Class<?> mapper : ProblemMappers.all()) {
            config.register(mapper);
        }
        config.register(new AbstractBinder() {
            @Override
            protected void configure() {
                // per lookup: resources are made per request and take the use case then, not at start
                bindFactory(() -> later.join().resolveRecords()).to(ResolveRecords.class);
                bindFactory(() -> later.join().resolveOverview()).to(ResolveOverview.class);
                bindFactory(() -> later.join().readiness()).to(CheckReadiness.class);
                bindFactory(() -> later.join().authenticate()).to(Authenticate.class);
                bindFactory(() -> later.join().signUp()).to(SignUp.class);
                bindFactory(() -> later.join().logIn()).to(LogIn.class);
                bindFactory(() -> later.join().ownAccount()).to(ManageOwnAccount.class);
                bindFactory(() -> later.join().administerUsers()).to(AdministerUsers.class);
                bindFactory(() -> later.join().issuer()).to(DescribeIssuer.class);
                bindFactory(() -> later.join().externalLogin()).to(ExternalLogin.class);
                bindFactory(() -> later.join().applications()).to(ManageApplications.class);
                bindFactory(() -> later.join().clientTokens()).to(IssueClientTokens.class);
                bindFactory(() -> later.join().todos()).to(ManageTodos.class);
                bindFactory(() -> later.join().limitRequests()).to(LimitRequests.class);
                bindFactory(() -> later.join().answerDnsMessage()).to(AnswerDnsMessage.class);
                bindFactory(() -> later.join().resolveReverse()).to(ResolveReverse.class);
                bindFactory(() -> later.join().checkPropagation()).to(CheckPropagation.class);
                bindFactory(() -> later.join().resolveBatch()).to(ResolveBatch.class);
                bindFactory(() -> later.join().recordLookups()).to(RecordLookups.class);
                bindFactory(() -> later.join().listLookups()).to(ListLookups.class);
                bindFactory(() -> later.join().providerStatistics()).to(ReportProviderStatistics.class);
                bind(rateLimits).to(RateLimits.class);
            }
        });
        // errors are ours to render; never let the container add its own HTML or a WADL
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(ServerProperties.PROCESSING_RESPONSE_ERRORS_ENABLED, true);
        config.property(ServerProperties.BV_SEND_ERROR_IN_RESPONSE, false);
        return config;
    }
}
