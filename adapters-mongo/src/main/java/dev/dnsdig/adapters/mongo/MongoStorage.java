package dev.dnsdig.adapters.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.port.out.ApplicationRepository;
import dev.dnsdig.application.port.out.DependencyProbe;
import dev.dnsdig.application.port.out.IdempotencyStore;
import dev.dnsdig.application.port.out.LoginStateStore;
import dev.dnsdig.application.port.out.LookupHistory;
import dev.dnsdig.application.port.out.RateLimitStore;
import dev.dnsdig.application.port.out.RefreshTokenStore;
import dev.dnsdig.application.port.out.SigningKeyStore;
import dev.dnsdig.application.port.out.TodoRepository;
import dev.dnsdig.application.port.out.UserRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * Every Mongo-backed port over one database: an external MongoDB when a URI is given (replica set, Atlas),
 * otherwise the embedded Mongo-wire store in the data directory, so the one-command run keeps its data.
 */
public final class MongoStorage implements AutoCloseable {
    static final String DEFAULT_DATABASE = "dnsdig";

    /** How long a start waits for an external database to answer (it may be starting beside us). */
    static final Duration STARTUP_PATIENCE = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(MongoStorage.class.getName());

    private final MongoClient client;
    private final Optional<EmbeddedMongo> embedded;
    /** The guard's probe: one daemon thread, busy only while the database is down. */
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dnsdig-storage-probe").daemon(true).factory());
    private final StorageGuard guard;
    private final UserRepository users;
    private final RefreshTokenStore refreshTokens;
    private final SigningKeyStore signingKeys;
    private final ApplicationRepository applications;
    private final MongoHealth health;
    private final LoginStateStore loginStates;
    private final TodoRepository todos;
    private final IdempotencyStore idempotencyKeys;
    private final RateLimitStore rateLimits;
    private final LookupHistory lookups;

    private MongoStorage(MongoClient client, MongoDatabase database, Optional<EmbeddedMongo> embedded) {
        this.client = client;
        this.embedded = embedded;
        this.guard = new StorageGuard(() -> database.runCommand(new Document("ping", 1)),
                (delay, task) -> probes.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
        // every port behind the guard: the core sees StorageUnavailableException, never a driver exception
        this.users = guard.guard(UserRepository.class, new MongoUserRepository(database));
        this.refreshTokens = guard.guard(RefreshTokenStore.class, new MongoRefreshTokenStore(database));
        this.signingKeys = guard.guard(SigningKeyStore.class, new MongoSigningKeyStore(database));
        this.applications = guard.guard(ApplicationRepository.class, new MongoApplicationRepository(database));
        this.health = new MongoHealth(database);
        this.loginStates = guard.guard(LoginStateStore.class, new MongoLoginStateStore(database));
        this.todos = guard.guard(TodoRepository.class, new MongoTodoRepository(database));
        this.idempotencyKeys = guard.guard(IdempotencyStore.class, new MongoIdempotencyStore(database));
        this.rateLimits = guard.guard(RateLimitStore.class, new MongoRateLimitStore(database));
        this.lookups = guard.guard(LookupHistory.class, new MongoLookupHistory(database));
    }

    public static MongoStorage open(Optional<String> uri, Path dataDir) {
        if (uri.isPresent()) {
            MongoClient client = MongoConnection.connect(uri.get());
            String name = Optional.ofNullable(new ConnectionString(uri.get()).getDatabase()).orElse(DEFAULT_DATABASE);
            try {
                awaitAnswer(client.getDatabase(name), STARTUP_PATIENCE);
                return new MongoStorage(client, client.getDatabase(name), Optional.empty());
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        EmbeddedMongo embedded = EmbeddedMongo.start(dataDir);
        try {
            return new MongoStorage(embedded.client(), embedded.client().getDatabase(DEFAULT_DATABASE), Optional.of(embedded));
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    public UserRepository users() {
        return users;
    }

    public RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }

    public SigningKeyStore signingKeys() {
        return signingKeys;
    }

    public ApplicationRepository applications() {
        return applications;
    }

    public LoginStateStore loginStates() {
        return loginStates;
    }

    public TodoRepository todos() {
        return todos;
    }

    public IdempotencyStore idempotencyKeys() {
        return idempotencyKeys;
    }

    /** Rate-limit counters in the database, shared by every instance that uses it. */
    public RateLimitStore rateLimits() {
        return rateLimits;
    }

    /** Users' recorded lookups, for their history and the provider statistics. */
    public LookupHistory lookups() {
        return lookups;
    }

    public DependencyProbe health() {
        return health;
    }

    /** Whether the database answered the last operation: false from a failure for want of it until it answers again. */
    public boolean available() {
        return guard.available();
    }

    /** Operations that failed because the database was unavailable (at once, or after the driver gave up). */
    public long unavailable() {
        return guard.unavailable();
    }

    /**
     * Waits until the database answers a ping: the first connection (a handshake, TLS) may take longer than the
     * short server selection of every later operation, and a database started beside us may not listen yet.
     */
    static void awaitAnswer(MongoDatabase database, Duration patience) {
        long giveUp = System.nanoTime() + patience.toNanos();
        boolean told = false;
        while (true) {
            try {
                database.runCommand(new Document("ping", 1));
                return;
            } catch (RuntimeException e) {
                if (!StorageGuard.isUnavailable(e) || System.nanoTime() - giveUp > 0) {
                    throw e;
                }
                if (!told) {
                    told = true;
                    LOG.log(System.Logger.Level.INFO, "waiting up to " + patience.toSeconds()
                            + " s for the database to answer (" + e.getClass().getSimpleName() + ")");
                }
            }
        }
    }

    /** Where the embedded store keeps its data, when it is the embedded one. */
    public Optional<Path> dataFile() {
        return embedded.flatMap(EmbeddedMongo::dataFile);
    }

    @Override
    public void close() {
        probes.shutdownNow();
        if (embedded.isPresent()) {
            embedded.get().close();
        } else {
            client.close();
        }
    }
}
