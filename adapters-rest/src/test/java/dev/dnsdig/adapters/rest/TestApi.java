package dev.dnsdig.adapters.rest;

import dev.dnsdig.application.fakes.ScriptedMessageExchange;
import dev.dnsdig.application.service.DnsMessageService;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.UpstreamServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import dev.dnsdig.application.fakes.CheapPasswordHasher;
import dev.dnsdig.application.fakes.ForwardingTodoRepository;
import dev.dnsdig.application.fakes.InMemoryApplicationRepository;
import dev.dnsdig.application.fakes.InMemoryIdempotencyStore;
import dev.dnsdig.application.fakes.InMemoryTodoRepository;
import dev.dnsdig.application.fakes.InMemoryLookupHistory;
import dev.dnsdig.application.service.LookupHistoryService;
import dev.dnsdig.application.service.LookupRecorder;
import dev.dnsdig.application.fakes.InMemoryRefreshTokenStore;
import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.fakes.InMemoryLoginStateStore;
import dev.dnsdig.application.fakes.OpaqueTokens;
import dev.dnsdig.application.fakes.ScriptedLoginProvider;
import dev.dnsdig.application.port.in.CheckReadiness;
import dev.dnsdig.application.port.in.ResolveBatch;
import dev.dnsdig.application.port.in.ResolveOverview;
import dev.dnsdig.application.port.in.ResolveRecords;
import dev.dnsdig.application.port.in.SignUp;
import dev.dnsdig.application.fakes.ScriptedDnsResolver;
import dev.dnsdig.application.service.AccountService;
import dev.dnsdig.application.service.ReadinessService;
import dev.dnsdig.application.service.LookupService;
import dev.dnsdig.application.service.ResolutionService;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.application.service.ApplicationService;
import dev.dnsdig.application.service.AuthenticationService;
import dev.dnsdig.application.service.ExternalLoginService;
import dev.dnsdig.application.service.IssuerService;
import dev.dnsdig.application.service.SessionService;
import dev.dnsdig.application.service.TodoService;
import dev.dnsdig.application.service.InMemoryRateLimitStore;
import dev.dnsdig.application.service.RateLimitService;
import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.Username;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.util.Set;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;

/** The REST API on an ephemeral port over the real services, with in-memory stores and opaque test tokens. */
final class TestApi implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Rate limits count on a clock that stands still 20 s into a minute: windows never turn during a test. */
    static final Clock RATE_LIMIT_CLOCK = Clock.fixed(java.time.Instant.parse("2030-01-01T00:00:20Z"), java.time.ZoneOffset.UTC);
    /** Seconds until a one-minute window of {@link #RATE_LIMIT_CLOCK} resets. */
    static final int RATE_LIMIT_RESET_S = 40;

    final InMemoryUserRepository users = new InMemoryUserRepository();
    final InMemoryRefreshTokenStore refreshTokens = new InMemoryRefreshTokenStore();
    final InMemoryApplicationRepository applications = new InMemoryApplicationRepository();
    final InMemoryTodoRepository todos = new InMemoryTodoRepository();
    final InMemoryIdempotencyStore idempotencyKeys = new InMemoryIdempotencyStore();
    final InMemoryLookupHistory lookups = new InMemoryLookupHistory();
    /** Records lookups into {@link #lookups}; {@code recorder.awaitWritten} before reading them. */
    final LookupRecorder recorder = new LookupRecorder(lookups, Clock.systemUTC());
    final OpaqueTokens tokens = new OpaqueTokens(Duration.ofMinutes(15), Clock.systemUTC());
    final AccountService accounts = new AccountService(users, refreshTokens, new CheapPasswordHasher(),
            Set.of("admin@example.com"), Clock.systemUTC(), applications, todos, idempotencyKeys, lookups);
    final ApplicationService clients = new ApplicationService(applications, users, tokens, Clock.systemUTC());
    /** An OpenID Connect provider stand-in that checks PKCE and nonce like a real one. */
    final ScriptedLoginProvider login = new ScriptedLoginProvider("kinde");
    final SessionService sessions = new SessionService(users, refreshTokens, new CheapPasswordHasher(), tokens,
            Duration.ofDays(30), Clock.systemUTC());
    private final LookupHistoryService history = new LookupHistoryService(lookups, Clock.systemUTC());
    private final RestApi.UseCases useCases;
    private final HttpServer server;
    /** Answers the ordinary signed-in lookups ahead of Jersey, as on the server. */
    final dev.dnsdig.adapters.rest.resolve.ResolveFastPath fastPath;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final String base;

    /** DNS messages for /dns-query and /resolve: text in, text out (see the fake). */
    final ScriptedMessageExchange messages = new ScriptedMessageExchange();

    TestApi(ResolveRecords records, ResolveOverview overview, CheckReadiness readiness) {
        this(records, overview, readiness, RateLimits.off());
    }

    TestApi(ResolveRecords records, ResolveOverview overview, CheckReadiness readiness, RateLimits rateLimits) {
        this(records, overview, readiness, rateLimits, config -> config);
    }

    /** With {@code customize}: what the composition root adds to the API (CORS, say). */
    TestApi(ResolveRecords records, ResolveOverview overview, CheckReadiness readiness, RateLimits rateLimits,
            java.util.function.UnaryOperator<org.glassfish.jersey.server.ResourceConfig> customize) {
        useCases = new RestApi.UseCases(records, overview, readiness,
                new AuthenticationService(List.of(tokens), users, applications), accounts, sessions, accounts, accounts,
                new IssuerService(tokens), clients, clients, new ExternalLoginService(List.of(login),
                        new InMemoryLoginStateStore(), users, sessions, Set.of(), Clock.systemUTC()),
                new TodoService(new Contended(), idempotencyKeys, Clock.systemUTC()),
                new RateLimitService(new InMemoryRateLimitStore(), RATE_LIMIT_CLOCK),
                new DnsMessageService(List.of(new DnsProvider("scripted", List.of(UpstreamServer.parse("127.0.0.1")))),
                        messages, java.time.Duration.ofSeconds(2), Clock.systemUTC()),
                new LookupService(records), new LookupService(records), batchOf(records), recorder, history, history);
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), customize.apply(RestApi.resourceConfig(useCases,
                rateLimits)), false);
        // as the server has it: every resolve test here goes through the fast path where it applies
        fastPath = RestApi.answerLookupsFirst(server, useCases, rateLimits, Optional.empty());
        try {
            server.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        base = "http://127.0.0.1:" + server.getListeners().iterator().next().getPort();
    }

    /**
     * The same API in process, without HTTP and without rate limits: every request goes through Jersey, its filters,
     * JSON and problem mapping, as on the server, but costs no round trip (for fuzzing).
     */
    org.glassfish.jersey.server.ApplicationHandler inProcess() {
        return new org.glassfish.jersey.server.ApplicationHandler(RestApi.resourceConfig(useCases, RateLimits.off()));
    }

    /** Batches need the resolution service's deadline and workers; a stand-in resolver cannot do them. */
    private static ResolveBatch batchOf(ResolveRecords records) {
        return records instanceof ResolveBatch batch ? batch : query -> {
            throw new UnsupportedOperationException("this test's resolver answers no batches");
        };
    }

    /** While true, every todo update and delete loses to a (pretended) concurrent writer. */
    volatile boolean todosContended;
    /** While true, every todo read fails as a store that does not answer would (a transient failure). */
    volatile boolean todosUnavailable;
    /** With {@link #todosUnavailable}: the failure arrives wrapped in another exception. */
    volatile boolean todosUnavailableWrapped;

    /** The todo store as the service sees it: {@link #todos}, unless {@link #todosContended}. */
    private final class Contended extends ForwardingTodoRepository {
        Contended() {
            super(todos);
        }

        @Override
        public Optional<Todo> find(UserId owner, TodoId id) {
            if (todosUnavailable) {
                StorageUnavailableException e = new StorageUnavailableException("no answer from the store",
                        new java.net.SocketTimeoutException());
                // as it comes out of an executor or a completion stage
                throw todosUnavailableWrapped ? new java.util.concurrent.CompletionException(e) : e;
            }
            return super.find(owner, id);
        }

        @Override
        public UpdateResult update(Todo changed, long expectedVersion) {
            return todosContended ? new UpdateResult.VersionConflict() : super.update(changed, expectedVersion);
        }

        @Override
        public DeleteResult delete(UserId owner, TodoId id, OptionalLong expectedVersion) {
            return todosContended ? DeleteResult.VERSION_CONFLICT : super.delete(owner, id, expectedVersion);
        }
    }

    /** What else {@link #close()} closes. */
    private AutoCloseable alsoClose = () -> { };

    /** The API with one provider whose every query a scripted resolver answers NOERROR (for tests not about DNS). */
    static TestApi withScriptedDns() {
        return withScriptedDns(RateLimits.off());
    }

    /** The same with rate limits; their clock stands {@link #RATE_LIMIT_RESET_S} seconds before a window ends. */
    static TestApi withScriptedDns(RateLimits rateLimits) {
        return withScriptedDns(rateLimits, config -> config);
    }

    /** The same with {@code customize} applied to the API's configuration. */
    static TestApi withScriptedDns(RateLimits rateLimits,
                                   java.util.function.UnaryOperator<org.glassfish.jersey.server.ResourceConfig> customize) {
        ScriptedDnsResolver dns = new ScriptedDnsResolver();
        dns.answer(ScriptedDnsResolver.ANY_PROVIDER, DnsStatus.NOERROR);
        ResolutionService resolution = new ResolutionService(List.of(new DnsProvider("p",
                List.of(new UpstreamServer("192.0.2.1", 53)))), dns, Duration.ofMillis(500), Clock.systemUTC());
        TestApi api = new TestApi(resolution, resolution, new ReadinessService(List.of()), rateLimits, customize);
        api.alsoClose = resolution;
        return api;
    }

    /** Signs a user up directly through the use case and returns them. */
    User user(String username) {
        SignUp.Result result = accounts.signUp(new SignUp.Command(new Email(username + "@example.com"), new Username(username),
                "Secret123", Optional.empty()));
        return ((SignUp.Result.Created) result).user();
    }

    /** A bearer header for the user with their current permissions. */
    String bearer(User user) {
        return "Bearer " + tokens.issue(user.id(), user.permissions(), java.time.Instant.now()).token();
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        server.shutdownNow();
        recorder.close();
        try {
            alsoClose.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
