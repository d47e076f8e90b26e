package dev.dnsdig.adapters.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Outgoing persistence port adapter helper that builds a {@link MongoClient} which fails fast: with the driver's
 * defaults an unreachable database holds a request for 30 s (server selection) or 2 min (pool wait).
 */
public final class MongoConnection {
    /**
     * How long an operation waits for a server to take it: only while none is known to be up (the database stopped,
     * a replica set electing a primary), so short. The driver retries a read or write that a network error cut once,
     * selecting again, so an operation the outage caught under way may wait twice: 2 x 300 ms keeps its 503 within a
     * second (with 500 ms a login took 1,003 ms once in CI).
     */
    public static final Duration SERVER_SELECTION_TIMEOUT = Duration.ofMillis(300);
    /** Also how long the driver's monitor waits for a server's handshake. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Our operations are single-document or one short page; longer means a hung server, not a slow query. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** Waiting for a free connection of the pool (100): only under overload, which a 503 serves better. */
    public static final Duration POOL_WAIT_TIMEOUT = Duration.ofMillis(500);
    /**
     * The embedded store runs in this process: it is not "down" while we run, and a patient client rides out a busy
     * machine (a cold JVM on loaded cores answered a handshake only after more than 2 s).
     */
    static final Duration IN_PROCESS_TIMEOUT = Duration.ofSeconds(30);

    private MongoConnection() {
    }

    /** A client for {@code uri}; options written in the URI win over these defaults. */
    public static MongoClient connect(String uri) {
        return MongoClients.create(settings(uri));
    }

    /** A client for a Mongo-wire server in this process: the embedded store, or a benchmark's. */
    public static MongoClient connectInProcess(String uri) {
        return MongoClients.create(inProcessSettings(uri));
    }

    /** The settings for the embedded store: {@link #settings} with every timeout but the read timeout patient. */
    static MongoClientSettings inProcessSettings(String uri) {
        int patience = millis(IN_PROCESS_TIMEOUT);
        return MongoClientSettings.builder(settings(uri))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(patience, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(patience, TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(b -> b.maxWaitTime(patience, TimeUnit.MILLISECONDS))
                .build();
    }

    /**
     * The settings for {@code uri}. No {@code serverApi} on purpose: mongo-java-server does not answer the
     * {@code hello} command that a declared API version makes the driver send.
     */
    public static MongoClientSettings settings(String uri) {
        return MongoClientSettings.builder()
                .applyToClusterSettings(b -> b.serverSelectionTimeout(millis(SERVER_SELECTION_TIMEOUT), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(millis(CONNECT_TIMEOUT), TimeUnit.MILLISECONDS)
                        .readTimeout(millis(READ_TIMEOUT), TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(b -> b.maxWaitTime(millis(POOL_WAIT_TIMEOUT), TimeUnit.MILLISECONDS))
                // last, so that what the operator wrote in the URI overrides the defaults above
                .applyConnectionString(new ConnectionString(uri))
                .build();
    }

    private static int millis(Duration d) {
        return Math.toIntExact(d.toMillis());
    }
}
