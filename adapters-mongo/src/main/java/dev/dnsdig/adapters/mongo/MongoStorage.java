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
import java.util.Optional;

/**
 * Every Mongo-backed port over one database: an external MongoDB when a URI is given (replica set, Atlas),
 * otherwise the embedded Mongo-wire store in the data directory, so the one-command run keeps its data.
 */
public final class MongoStorage implements AutoCloseable {
    static final String DEFAULT_DATABASE = "dnsdig";

    private final MongoClient client;
    private final Optional<EmbeddedMongo> embedded;
    private final MongoUserRepository users;
    private final MongoRefreshTokenStore refreshTokens;
    private final MongoSigningKeyStore signingKeys;
    private final MongoApplicationRepository applications;
    private final MongoHealth health;
    private final MongoLoginStateStore loginStates;
    private final MongoTodoRepository todos;
    private final MongoIdempotencyStore idempotencyKeys;
    private final MongoRateLimitStore rateLimits;
    private final MongoLookupHistory lookups;

    private MongoStorage(MongoClient client, MongoDatabase database, Optional<EmbeddedMongo> embedded) {
        this.client = client;
        this.embedded = embedded;
        this.users = new MongoUserRepository(database);
        this.refreshTokens = new MongoRefreshTokenStore(database);
        this.signingKeys = new MongoSigningKeyStore(database);
        this.applications = new MongoApplicationRepository(database);
        this.health = new MongoHealth(database);
        this.loginStates = new MongoLoginStateStore(database);
        this.todos = new MongoTodoRepository(database);
        this.idempotencyKeys = new MongoIdempotencyStore(database);
        this.rateLimits = new MongoRateLimitStore(database);
        this.lookups = new MongoLookupHistory(database);
    }

    public static MongoStorage open(Optional<String> uri, Path dataDir) {
        if (uri.isPresent()) {
            MongoClient client = MongoConnection.connect(uri.get());
            String name = Optional.ofNullable(new ConnectionString(uri.get()).getDatabase()).orElse(DEFAULT_DATABASE);
            try {
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

    /**
     * Whether {@code e} says the database did not answer in time or the connection broke (so a retry may well
     * work), rather than that a request or our code was wrong.
     */
    public static boolean isUnavailable(Throwable e) {
        return e instanceof com.mongodb.MongoTimeoutException || e instanceof com.mongodb.MongoSocketException
                || e instanceof com.mongodb.MongoExecutionTimeoutException || e instanceof com.mongodb.MongoInterruptedException;
    }

    /** Where the embedded store keeps its data, when it is the embedded one. */
    public Optional<Path> dataFile() {
        return embedded.flatMap(EmbeddedMongo::dataFile);
    }

    @Override
    public void close() {
        if (embedded.isPresent()) {
            embedded.get().close();
        } else {
            client.close();
        }
    }
}
