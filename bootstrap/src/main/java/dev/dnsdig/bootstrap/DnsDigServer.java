package dev.dnsdig.bootstrap;

import dev.dnsdig.adapters.auth.Argon2PasswordHasher;
import dev.dnsdig.adapters.auth.builtin.BuiltInIdentityProvider;
import dev.dnsdig.adapters.auth.oidc.OidcProvider;
import dev.dnsdig.adapters.auth.oidc.OidcSettings;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.dnsdig.adapters.dns.CachingDnsResolver;
import dev.dnsdig.adapters.dns.CachingMessageExchange;
import dev.dnsdig.application.port.out.DnsMessageExchange;
import dev.dnsdig.adapters.dns.DnsjavaResolver;
import dev.dnsdig.application.service.DnsMessageService;
import dev.dnsdig.adapters.dns.UpstreamHealth;
import dev.dnsdig.adapters.mongo.MongoStorage;
import dev.dnsdig.adapters.rest.observe.MetricsAccess;
import dev.dnsdig.application.port.out.DnsResolver;
import dev.dnsdig.adapters.rest.RestApi;
import dev.dnsdig.adapters.rest.doh.DohListener;
import dev.dnsdig.adapters.rest.doh.DohRequests;
import dev.dnsdig.adapters.rest.observe.RequestLog;
import dev.dnsdig.adapters.rest.openapi.AuthorizationCodeFlow;
import dev.dnsdig.adapters.rest.support.Cors;
import dev.dnsdig.adapters.rest.observe.Observability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import dev.dnsdig.application.port.out.ApplicationRepository;
import dev.dnsdig.application.port.out.DependencyProbe;
import dev.dnsdig.application.port.out.IdentityProvider;
import dev.dnsdig.application.port.out.PasswordHasher;
import dev.dnsdig.application.port.out.RefreshTokenStore;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.application.service.AccountService;
import dev.dnsdig.application.service.ApplicationService;
import dev.dnsdig.application.service.AuthenticationService;
import dev.dnsdig.application.service.CachedUserRepository;
import dev.dnsdig.application.service.ExternalLoginService;
import dev.dnsdig.application.service.IssuerService;
import dev.dnsdig.application.service.ReadinessService;
import dev.dnsdig.application.service.LookupService;
import dev.dnsdig.application.service.ResolutionService;
import dev.dnsdig.application.service.SessionService;
import dev.dnsdig.application.service.TodoService;
import dev.dnsdig.application.service.LookupHistoryService;
import dev.dnsdig.application.service.LookupRecorder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import dev.dnsdig.application.service.FallbackRateLimitStore;
import dev.dnsdig.application.service.InMemoryRateLimitStore;
import dev.dnsdig.application.service.RateLimitService;
import dev.dnsdig.application.port.out.RateLimitStore;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.memory.MemoryManager;
import org.glassfish.grizzly.memory.PooledMemoryManager;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** The composition root: builds every adapter and use case by hand and serves them with Grizzly. */
public final class DnsDigServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DnsDigServer.class.getName());
    /** How long a provider's latest failure counts against readiness. */
    private static final Duration HEALTH_MEMORY = Duration.ofSeconds(30);
    /** How long another instance's change to a user (block, delete, permissions) may go unseen here. */
    static final Duration USER_CACHE_TTL = Duration.ofSeconds(1);
    /** The development certificate's file name in the data directory. */
    static final String DEVELOPMENT_CERTIFICATE = "https-development-certificate.pem";
    /** The answer cache's name in the meters ({@code cache="dns"}). */
    static final String DNS_CACHE = "dns";
    /** The cache of forwarded DNS messages (DNS-over-HTTPS, the JSON API) in the meters ({@code cache="dns-messages"}). */
    static final String MESSAGE_CACHE = "dns-messages";
    /** The prefix of the lookup recorder's meters. */
    static final String HISTORY = "dnsdig.history";
    static final String DNS_SERVER_UP = "dnsdig.dns.server.up";
    /** The prefix of the database's meters. */
    static final String STORAGE = "dnsdig.storage";
    /** Rate-limit checks counted in memory while the database was unavailable. */
    static final String RATE_LIMIT_FALLBACK = "dnsdig.ratelimit.fallback";

    /** The name of the HTTPS listener in the HttpServer; the plain one is Jersey's {@code grizzly}. */
    private static final String HTTPS = "https";
    /** The prefix of the admission meters: requests in flight, open connections, refusals. */
    static final String ADMISSION = "dnsdig.http";
    /**
     * Response bytes one connection may have waiting to be sent before the request writing more waits for its client
     * to read (Grizzly's unlimited queue let a client that pipelines requests and never reads fill the heap): several
     * answers of the largest kind, the 70 KiB OpenAPI document.
     */
    static final int MAX_PENDING_BYTES = 256 * 1024;
    /** Direct memory for the listeners' network buffers (see {@link #networkBuffers}). */
    static final long NETWORK_BUFFER_BYTES = 32L * 1024 * 1024;
    /** A request's line and header fields together, on HTTP/1.1 as on HTTP/2 (README: Limits and hardening). */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final HttpServer http;
    private final Optional<Tls.KeyMaterial> tls;
    private final ResolutionService resolution;
    private final MongoStorage storage;
    private final AtomicBoolean draining;
    private final Duration grace;
    private final Metrics metrics;
    private final InFlightRequests inFlight;
    private final LookupRecorder lookupRecorder;
    private final Optional<DohListener> doh;

    private DnsDigServer(HttpServer http, Optional<Tls.KeyMaterial> tls, ResolutionService resolution, MongoStorage storage,
                         AtomicBoolean draining, Duration grace, Metrics metrics, InFlightRequests inFlight,
                         LookupRecorder lookupRecorder, Optional<DohListener> doh) {
        this.doh = doh;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.lookupRecorder = lookupRecorder;
        this.http = http;
        this.tls = tls;
        this.resolution = resolution;
        this.storage = storage;
        this.draining = draining;
        this.grace = grace;
    }


    public static DnsDigServer start(Config config) {
        // milliseconds: what the database keeps, so what we return at creation equals what we read back later
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
        // the HTTP stack (Jersey, HK2, Hibernate Validator: over a second of class loading on a cold JVM) is built
        // on this thread while another opens the storage and wires the services, which takes as long again; the
        // listener opens only when both are done
        CompletableFuture<Wired> wiring = new CompletableFuture<>();
        Metrics metrics = Metrics.open();
        Thread.ofPlatform().name("dnsdig-wiring").start(() -> {
            try {
                wiring.complete(wire(config, clock, metrics.registry()));
            } catch (Throwable e) {
                wiring.completeExceptionally(e);
            }
        });
        URI uri = URI.create("http://" + hostForUri(config.httpHost()) + ":" + config.httpPort() + "/");
        HttpServer http;
        try {
            ResourceConfig api = RestApi.resourceConfig(wiring.thenApply(Wired::useCases), config.rateLimits());
            AuthorizationCodeFlow.offer(api, () -> wiring.join().documentedFlow());
            http = GrizzlyHttpServerFactory.createHttpServer(uri, Observability.register(withCors(api, config.corsOrigins()),
                    metrics.registry(), config.metrics()), false);
        } catch (RuntimeException e) {
            wiring.thenAccept(Wired::close);
            metrics.close();
            throw e;
        }
        Wired wired;
        try {
            wired = wiring.join();
        } catch (CompletionException e) {
            http.shutdownNow();
            metrics.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        Optional<Tls.KeyMaterial> tls;
        InFlightRequests inFlight;
        Optional<DohListener> doh = Optional.empty();
        try {
            tls = config.https().map(https -> https.keys().orElseGet(() -> developmentCertificate(config)));
            config.https().ifPresent(https -> https.port().ifPresent(port -> addHttps(http, config, port, tls.orElseThrow())));
            ConnectionLimit connections = new ConnectionLimit(config.capacity().maxConnections());
            configure(http, connections);
            RestApi.answerLookupsFirst(http, wired.useCases(), config.rateLimits(), Optional.of(new RequestLog(
                    config.metrics() != MetricsAccess.OFF ? Optional.of(metrics.registry()) : Optional.empty())));
            Admission admission = admit(http, config.capacity().maxInFlight(), wired.draining());
            if (config.metrics() != MetricsAccess.OFF) {
                meter(admission, connections, metrics.registry());
            }
            warnAboveOpenFileLimit(config.capacity().maxConnections());
            inFlight = InFlightRequests.watch(http);
            http.start();
            if (config.https().filter(https -> https.dohPort().isPresent()).isPresent()) {
                doh = Optional.of(startDoh(config, tls.orElseThrow(), wired.useCases(), connections, metrics.registry()));
            }
        } catch (IOException | RuntimeException e) {
            http.shutdownNow();
            wired.close();
            metrics.close();
            throw e instanceof IOException io ? new UncheckedIOException("cannot listen on " + config.httpHost() + ":"
                    + config.httpPort() + config.https().map(DnsDigServer::tlsPorts).orElse("") + ": "
                    + io.getMessage(), io) : (RuntimeException) e;
        }
        return new DnsDigServer(http, tls, wired.resolution(), wired.storage(), wired.draining(), config.shutdownGrace(),
                metrics, inFlight, wired.lookupRecorder(), doh);
    }

    /**
     * The dedicated DNS-over-HTTPS listener, with the API's certificate, anonymous rate limit, connection bound, access
     * log and request metrics; its in-flight bound is the API's number again, for its own requests.
     */
    private static DohListener startDoh(Config config, Tls.KeyMaterial keys, RestApi.UseCases useCases,
                                        ConnectionLimit connections, io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters) {
        boolean metered = config.metrics() != MetricsAccess.OFF;
        DohRequests requests = new DohRequests(useCases.answerDnsMessage(), config.rateLimits().anonymous(),
                useCases.limitRequests(), config.rateLimits().trustedProxies(),
                new RequestLog(metered ? Optional.of(meters) : Optional.empty()), config.capacity().maxInFlight());
        javax.net.ssl.KeyManagerFactory keyManagers;
        try {
            keyManagers = Tls.keyManagers(keys);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
        DohListener listener = DohListener.start(new DohListener.Settings(config.httpHost(),
                config.https().orElseThrow().dohPort().orElseThrow(), keyManagers, Tls.PROTOCOLS), requests,
                new DohListener.Connections() {
                    @Override
                    public boolean opened() {
                        return connections.opened();
                    }

                    @Override
                    public void closed() {
                        connections.closed();
                    }
                });
        if (metered) {
            Gauge.builder(ADMISSION + ".in.flight", listener, DohListener::inFlight).tag("routes", "doh")
                    .description("DNS-over-HTTPS requests being worked on by the DoH listener").register(meters);
            FunctionCounter.builder(ADMISSION + ".refused", requests, DohRequests::overloaded).tag("reason", "overloaded_doh")
                    .description("DoH listener requests answered 503 at once because it was full").register(meters);
        }
        return listener;
    }

    private static String tlsPorts(Config.Https https) {
        return (https.port().isPresent() ? " and " + https.port().getAsInt() : "")
                + (https.dohPort().isPresent() ? " and " + https.dohPort().getAsInt() + " (DoH)" : "");
    }

    /** The services over an open storage, ready for the API. */
    private record Wired(MongoStorage storage, ResolutionService resolution, AtomicBoolean draining,
                         RestApi.UseCases useCases, List<OidcProvider> oidc, LookupRecorder lookupRecorder) {
        /**
         * The flow the API's document and /docs offer: the OpenID Connect provider's own authorization and token
         * endpoints, and only when its access tokens are bearer tokens here (DNSDIG_OIDC_AUDIENCE). Not our login
         * flow (/v1/auth/login-url and the callback): its redirect URI is our callback, registered at the provider,
         * which answers JSON to the browser instead of handing the code back to Swagger UI; and our token
         * endpoint has no authorization_code grant. Without an audience the provider's tokens are refused here,
         * so offering the flow would only lead to 401s.
         */
        Optional<AuthorizationCodeFlow> documentedFlow() {
            return oidc.stream().filter(provider -> provider.settings().audience().isPresent()).findFirst()
                    .flatMap(provider -> provider.endpoints().map(endpoints -> new AuthorizationCodeFlow(
                            endpoints.authorization(), endpoints.token(), provider.settings().audience().orElseThrow())));
        }

        void close() {
            resolution.close();
            lookupRecorder.close();
            storage.close();
        }
    }

    private static Wired wire(Config config, Clock clock, MeterRegistry meters) {
        MongoStorage storage = MongoStorage.open(config.mongoUri(), config.dataDir());
        try {
            return wire(config, storage, clock, meters);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    private static Wired wire(Config config, MongoStorage storage, Clock clock, MeterRegistry meters) {
        List<String> providerNames = config.providers().stream().map(DnsProvider::name).toList();
        UpstreamHealth upstreamHealth = new UpstreamHealth(providerNames, HEALTH_MEMORY, clock);
        DnsjavaResolver dnsjava = new DnsjavaResolver(config.dnsTimeout(), upstreamHealth);
        DnsResolver dns = dnsjava;
        boolean metered = config.metrics() != MetricsAccess.OFF; // with metrics off nothing is recorded that nobody reads
        if (metered) {
            dns = new MeteredDnsResolver(dns, meters);
            meterServers(config.providers(), upstreamHealth, meters);
        }
        if (config.dnsCache().enabled()) {
            // outside the meters: upstream latency stays the latency of queries that went upstream
            CachingDnsResolver cache = new CachingDnsResolver(dns, config.dnsCache().size(), config.dnsCache().maximumTtl(),
                    Ticker.systemTicker());
            if (metered) {
                CaffeineCacheMetrics.monitor(meters, cache.caffeine(), DNS_CACHE);
            }
            dns = cache;
        }
        ResolutionService resolution = new ResolutionService(config.providers(), dns, config.dnsDeadline(), clock);
        LookupService lookups = new LookupService(resolution);
        // DNS-over-HTTPS and the JSON API: one answer per question, the client's message forwarded as it is and the
        // answer validated with DNSSEC here (a forwarder cannot take the upstream's AD on trust); validated answers
        // are kept (the CD bit is part of the cache key)
        DnsMessageExchange exchange = dnsjava.messageExchange(config.dnssec());
        if (metered) {
            exchange = new MeteredMessageExchange(exchange, meters);
        }
        if (config.dnsCache().enabled()) {
            CachingMessageExchange cache = new CachingMessageExchange(exchange, config.dnsCache().size(),
                    config.dnsCache().maximumTtl(), Ticker.systemTicker());
            if (metered) {
                CaffeineCacheMetrics.monitor(meters, cache.caffeine(), MESSAGE_CACHE);
            }
            exchange = cache;
        }
        DnsMessageService messages = new DnsMessageService(config.providers(), exchange, config.dnsDeadline(), clock);
        AtomicBoolean draining = new AtomicBoolean();
        DependencyProbe server = () -> new DependencyProbe.Report("server", !draining.get(),
                Map.of("state", draining.get() ? "draining" : "serving"));
        ReadinessService readiness = new ReadinessService(List.of(server, upstreamHealth, storage.health()));

        // every request reads its user: a second of memory saves a database round trip per request, and writes
        // through it are seen at once (other instances' within the second)
        // ... and while the database is unavailable, a user read within an access token's lifetime is taken as last
        // read, so signed-in people keep resolving through an outage
        UserRepository users = new CachedUserRepository(storage.users(), USER_CACHE_TTL, config.accessTokenLifetime(), 10_000);
        RefreshTokenStore refreshTokens = storage.refreshTokens();
        ApplicationRepository applications = storage.applications();
        PasswordHasher hasher = new Argon2PasswordHasher();
        BuiltInIdentityProvider builtIn = new BuiltInIdentityProvider(storage.signingKeys(),
                config.publicUrl(), BuiltInIdentityProvider.DEFAULT_AUDIENCE, config.accessTokenLifetime(), clock);
        SessionService sessions = new SessionService(users, refreshTokens, hasher, builtIn, config.refreshTokenLifetime(), clock);
        // an OpenID Connect provider, when configured, logs users in and may vouch for its own access tokens
        List<OidcProvider> oidc = config.oidc().map(o -> new OidcProvider(new OidcSettings(o.issuer(), o.clientId(),
                o.clientSecret(), URI.create(o.redirectUri()), o.scopes(), o.audience(), o.name()), clock, o.timeout(),
                OidcProvider.DEFAULT_JWKS_REFETCH_INTERVAL)).stream().toList();
        List<IdentityProvider> identityProviders = new java.util.ArrayList<>(List.of(builtIn));
        identityProviders.addAll(oidc);
        AuthenticationService authentication = new AuthenticationService(identityProviders, users, applications);
        ApplicationService clients = new ApplicationService(applications, users, builtIn, clock);
        LookupHistoryService lookupHistory = new LookupHistoryService(storage.lookups(), clock);
        // last: its writer thread is the one thing here a failed wiring would have to stop
        LookupRecorder lookupRecorder = new LookupRecorder(storage.lookups(), clock);
        // the recorder forgets a deleted account before its history goes: nothing of it is written afterwards
        AccountService accounts = new AccountService(users, refreshTokens, hasher, config.adminEmails(), clock, applications,
                storage.todos(), storage.idempotencyKeys(), lookupRecorder::forget, storage.lookups());
        if (metered) {
            meter(lookupRecorder, meters);
            meter(storage, meters);
        }

        return new Wired(storage, resolution, draining, new RestApi.UseCases(resolution, resolution, readiness, authentication, accounts,
                sessions, accounts, accounts, new IssuerService(builtIn), clients, clients,
                new ExternalLoginService(List.copyOf(oidc), storage.loginStates(), users, sessions, config.adminEmails(), clock),
                new TodoService(storage.todos(), storage.idempotencyKeys(), clock),
                new RateLimitService(rateLimitCounters(config, storage, meters, metered), clock), messages, lookups, lookups, resolution,
                lookupRecorder, lookupHistory, lookupHistory), oidc, lookupRecorder);
    }

    /**
     * Per upstream server, 0 from a failure until it answers again (meanwhile queries ask it last, but for a trial once
     * in a while), else 1: a dead server shows here, though its provider's other servers hide it from every answer.
     */
    private static void meterServers(List<DnsProvider> providers, UpstreamHealth health, MeterRegistry meters) {
        for (DnsProvider provider : providers) {
            for (UpstreamServer server : provider.servers()) {
                Gauge.builder(DNS_SERVER_UP, health, h -> h.failing(server) ? 0 : 1)
                        .description("Whether the upstream server answered its last query (1) or failed it (0)")
                        .tags("provider", provider.name(), "server", server.toString()).register(meters);
            }
        }
    }

    /** The lookup recorder's queue and what it dropped or lost: nothing else tells that history is missing. */
    private static void meter(LookupRecorder recorder, MeterRegistry meters) {
        Gauge.builder(HISTORY + ".queue", recorder, LookupRecorder::queued)
                .description("Lookup records waiting to be written").register(meters);
        FunctionCounter.builder(HISTORY + ".dropped", recorder, LookupRecorder::dropped)
                .description("Lookup records dropped because the queue was full").register(meters);
        FunctionCounter.builder(HISTORY + ".failed", recorder, LookupRecorder::failed)
                .description("Lookup records lost because the store failed a write").register(meters);
        FunctionCounter.builder(HISTORY + ".written", recorder, LookupRecorder::written)
                .description("Lookup records written").register(meters);
    }

    /** Whether the database answers, and how many operations failed for want of it. */
    private static void meter(MongoStorage storage, MeterRegistry meters) {
        Gauge.builder(STORAGE + ".up", storage, s -> s.available() ? 1 : 0)
                .description("1 while the database answers, 0 from a failure for want of it until it answers again")
                .register(meters);
        FunctionCounter.builder(STORAGE + ".unavailable", storage, MongoStorage::unavailable)
                .description("Storage operations that failed because the database was unavailable (answered 503 when a"
                        + " request needed them)").register(meters);
    }

    /**
     * Rate-limit counts in the database when it is an external one, so every instance using it shares them (and in
     * memory while it is unavailable); with the embedded store no other instance can, and memory spares each limited
     * request a write to the store's file.
     */
    private static RateLimitStore rateLimitCounters(Config config, MongoStorage storage, MeterRegistry meters, boolean metered) {
        if (config.mongoUri().isEmpty()) {
            return new InMemoryRateLimitStore();
        }
        FallbackRateLimitStore counters = new FallbackRateLimitStore(storage.rateLimits(), new InMemoryRateLimitStore());
        if (metered) {
            FunctionCounter.builder(RATE_LIMIT_FALLBACK, counters, FallbackRateLimitStore::fallbacks)
                    .description("Rate-limit checks counted in this instance's memory because the database was unavailable")
                    .register(meters);
        }
        return counters;
    }

    /** Cross-origin access only when origins are configured: with none, no CORS header is ever sent. */
    private static ResourceConfig withCors(ResourceConfig api, Set<String> origins) {
        return origins.isEmpty() ? api : api.register(new Cors(origins));
    }

    /**
     * A second listener on the same server, so the same Jersey application, filters and settings serve HTTPS; its
     * certificate is the operator's keystore or, without one, a development certificate made now.
     */
    private static void addHttps(HttpServer http, Config config, int port, Tls.KeyMaterial keys) {
        NetworkListener listener = new NetworkListener(HTTPS, config.httpHost(), port);
        listener.setSecure(true);
        listener.setSSLEngineConfig(Tls.engines(keys));
        http.addListener(listener);
    }

    private static Tls.KeyMaterial developmentCertificate(Config config) {
        Tls.KeyMaterial keys = Tls.selfSigned(config.httpHost(), java.time.Instant.now());
        // the certificate (never the key) beside the data, so that clients can trust it: curl --cacert FILE
        Path file = config.dataDir().resolve(DEVELOPMENT_CERTIFICATE);
        String saved;
        try {
            Files.createDirectories(config.dataDir());
            Files.writeString(file, keys.certificatePem());
            saved = ", certificate in " + file.toAbsolutePath().normalize();
        } catch (IOException e) {
            saved = ", not saved (" + e.getMessage() + ")";
        }
        LOG.log(System.Logger.Level.WARNING, "HTTPS with a self-signed certificate for development only (no"
                + " DNSDIG_TLS_KEYSTORE), valid " + Tls.DEVELOPMENT_VALIDITY.toDays() + " days, SHA-256 fingerprint "
                + keys.fingerprint() + saved);
        return keys;
    }

    /**
     * Puts admission control in front of the API: its one handler (Jersey's container, behind the resolve fast path)
     * stays the one handler, behind {@link Admission}, under the same mapping.
     */
    private static Admission admit(HttpServer http, int maxInFlight, AtomicBoolean draining) {
        return RestApi.inFront(http, api -> new Admission(api, maxInFlight, draining));
    }

    /** What admission control does, for operators: the meters say when the server is full and what it refused. */
    private static void meter(Admission admission, ConnectionLimit connections, MeterRegistry meters) {
        Gauge.builder(ADMISSION + ".in.flight", admission, Admission::inFlight).tag("routes", "api")
                .description("API requests being worked on (at most DNSDIG_MAX_IN_FLIGHT)").register(meters);
        Gauge.builder(ADMISSION + ".in.flight", admission, Admission::operatorsInFlight).tag("routes", "operators")
                .description("Requests to /health/* and /metrics being worked on").register(meters);
        Gauge.builder(ADMISSION + ".connections", connections, ConnectionLimit::open)
                .description("Open client connections (at most DNSDIG_MAX_CONNECTIONS)").register(meters);
        FunctionCounter.builder(ADMISSION + ".refused", admission, Admission::overloaded).tag("reason", "overloaded")
                .description("Requests answered 503 at once because the server was full").register(meters);
        FunctionCounter.builder(ADMISSION + ".refused", admission, Admission::shuttingDown).tag("reason", "shutting_down")
                .description("API requests answered 503 because a shutdown had begun").register(meters);
        FunctionCounter.builder(ADMISSION + ".refused", connections, ConnectionLimit::refused).tag("reason", "connections")
                .description("Connections closed on arrival because DNSDIG_MAX_CONNECTIONS were open").register(meters);
    }

    /**
     * Connections beyond the process's open-file limit fail to be accepted at all, for everybody: the limit on
     * connections only works below it, which the operator should know at start rather than under a flood.
     */
    private static void warnAboveOpenFileLimit(int maxConnections) {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            // the store, logs, DNS sockets and the JVM's own files need some
            if (maxConnections > limit - 256) {
                LOG.log(System.Logger.Level.WARNING, "DNSDIG_MAX_CONNECTIONS=" + maxConnections + " is not below the"
                        + " process's open-file limit (" + limit + ", ulimit -n) less 256 for everything else: a flood of"
                        + " connections would reach that limit first; raise it or lower DNSDIG_MAX_CONNECTIONS");
            }
        }
    }

    /**
     * Grizzly's pool of direct buffers, at most {@link #NETWORK_BUFFER_BYTES} (4, 8 and 16 KiB slices, allocated as
     * needed; beyond the pool Grizzly allocates unpooled buffers).
     */
    private static MemoryManager networkBuffers() {
        float shareOfHeap = (float) Math.min(0.5, (double) NETWORK_BUFFER_BYTES / Runtime.getRuntime().maxMemory());
        return new PooledMemoryManager(PooledMemoryManager.DEFAULT_BASE_BUFFER_SIZE,
                PooledMemoryManager.DEFAULT_NUMBER_OF_POOLS, PooledMemoryManager.DEFAULT_GROWTH_FACTOR,
                Runtime.getRuntime().availableProcessors(), shareOfHeap, 0f, true);
    }

    private static void configure(HttpServer http, ConnectionLimit connections) {
        ServerConfiguration server = http.getServerConfiguration();
        server.setDefaultErrorPageGenerator(new ProblemErrorPages());
        server.setHttpServerName(null); // no Server header naming the product and version
        server.setHttpServerVersion(null);
        server.setTraceEnabled(false);
        // Grizzly would refuse a GET or DELETE with a body with a bare 400 and no body; it has no meaning here, so
        // it is read and ignored, and the request answered as usual
        server.setAllowPayloadForUndefinedHttpMethods(true);
        for (NetworkListener listener : http.getListeners()) {
            // blocking handlers on virtual threads: Grizzly's default pool has 4 threads on 2 cores. Unnamed: a
            // numbered name per request was ~0.6 % of a loaded server's CPU, and virtual threads are not in thread dumps
            listener.getTransport().setWorkerThreadPool(
                    Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()));
            // one selector thread: the virtual-thread scheduler keeps one submission queue per submitting thread
            // and does not serve them in turn, so with Grizzly's three a whole selector's connections waited
            // 100-700 ms at a time under load (p99 of /health/live 84 ms at 64 connections; 14 ms with one).
            // One thread only reads and hands over: it keeps up with far more than two cores can answer
            listener.getTransport().setSelectorRunnersCount(1);
            // network buffers from a shared pool of direct memory: with Grizzly's default heap buffers every write
            // copies into a direct buffer its per-thread cache keeps, which a virtual thread per request never reuses,
            // so each response allocated one (ByteBuffer.allocateDirect, registered under the JDK's one Cleaner lock):
            // requests of /health/live blocked there for 0.5-3 s now and then (wrk's p99 264 ms; pooled: 17 ms)
            listener.getTransport().setMemoryManager(networkBuffers());
            listener.registerAddOn(connections);
            // our codec first: the HTTP/2 add-on places its filter after whatever HTTP/1.1 codec the chain has
            listener.registerAddOn(new ProblemCodec());
            if (listener.isSecure()) {
                listener.registerAddOn(new Http2());
            }
            // on TLS too: h2c is never upgraded to there (RFC 9113 §3.1), and a client naming it must not hang
            listener.registerAddOn(new DeclineH2cUpgrade());
            listener.setMaxRequestHeaders(100);
            listener.setMaxHttpHeaderSize(MAX_HEADER_BYTES);
            listener.setMaxPendingBytes(MAX_PENDING_BYTES);
            // Grizzly closes a keep-alive connection after 256 requests by default: clients reconnect for nothing
            listener.getKeepAlive().setMaxRequestsCount(-1);
        }
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** The lookup recorder, for tests to wait for its writes. */
    LookupRecorder lookupRecorder() {
        return lookupRecorder;
    }

    /** The server's meters, for tests. */
    io.micrometer.core.instrument.MeterRegistry meters() {
        return metrics.registry();
    }

    public int port() {
        return plain().getPort();
    }

    public String baseUri() {
        return "http://" + hostForUri(plain().getHost()) + ":" + plain().getPort();
    }

    /** The HTTPS listener's port, when there is one. */
    public java.util.OptionalInt httpsPort() {
        NetworkListener listener = http.getListener(HTTPS);
        return listener == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(listener.getPort());
    }

    /** {@code https://host:port}, when there is an HTTPS listener. */
    public Optional<String> httpsBaseUri() {
        return Optional.ofNullable(http.getListener(HTTPS))
                .map(listener -> "https://" + hostForUri(listener.getHost()) + ":" + listener.getPort());
    }

    /** The dedicated DNS-over-HTTPS listener's port, when there is one. */
    public java.util.OptionalInt dohPort() {
        return doh.map(listener -> java.util.OptionalInt.of(listener.port())).orElse(java.util.OptionalInt.empty());
    }

    /** {@code https://host:port} of the DNS-over-HTTPS listener, when there is one. */
    public Optional<String> dohBaseUri() {
        return doh.map(listener -> "https://" + hostForUri(plain().getHost()) + ":" + listener.port());
    }

    /** The certificate the HTTPS listener presents, for clients (tests) to trust exactly it. */
    public Optional<java.security.cert.X509Certificate> httpsCertificate() {
        return tls.map(Tls.KeyMaterial::certificate);
    }

    /** Each listener's network buffers: for tests. */
    List<MemoryManager> memoryManagers() {
        return http.getListeners().stream().map(listener -> listener.getTransport().getMemoryManager()).toList();
    }

    private NetworkListener plain() {
        return http.getListeners().stream().filter(listener -> !listener.isSecure()).findFirst().orElseThrow();
    }

    private int sleepThenCount() throws InterruptedException {
        Thread.sleep(50);
        return inFlight.count();
    }

    /**
     * Stops gracefully: the listeners stop accepting, readiness turns DOWN, requests still arriving on open
     * connections get a 503 that closes the connection, in-flight requests get up to the grace period to finish,
     * then everything is closed.
     */
    @Override
    public void close() {
        // the DoH listener drains beside the API's: each may take the whole grace period, not one after the other
        CompletableFuture<Void> dohClosed = doh.map(listener -> CompletableFuture.runAsync(() -> listener.close(grace),
                command -> Thread.ofVirtual().name("doh-close").start(command))).orElse(CompletableFuture.completedFuture(null));
        try {
            // the listeners first (new connections are refused from here on), then the requests still arriving on
            // open connections (503 shutting-down, and the connection closed): the other way round, a client told
            // to go could still connect again, only to be told once more
            java.util.concurrent.Future<HttpServer> stopped = http.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
            draining.set(true);
            long deadline = System.nanoTime() + grace.toNanos();
            // new connections are refused now; once no request is in flight, what is left is idle connections (an
            // HTTP/2 one holds Grizzly's graceful close until a request ends: it would wait the whole grace period)
            boolean idle = false;
            while (!idle && !stopped.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                // twice, apart: a request that arrived on an open connection just now gets to start
                idle = inFlight.count() == 0 && sleepThenCount() == 0;
            }
            if (idle) {
                http.shutdownNow();
            } else {
                stopped.get(grace.toMillis() + 5000, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            http.shutdownNow();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "graceful shutdown did not complete: " + e);
            http.shutdownNow();
        } finally {
            dohClosed.join();
            resolution.close();
            lookupRecorder.close(); // after the listener, before the storage: what was queued is written
            storage.close(); // after the listener: in-flight requests finished their writes
            metrics.close();
        }
    }
}
