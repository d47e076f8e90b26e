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
    public static final Duration SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Our operations are single-document or one short page; longer means a hung server, not a slow query. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration POOL_WAIT_TIMEOUT = Duration.ofSeconds(2);

    private MongoConnection() {
    }

    /** A client for {@code uri}; options written in the URI win over these defaults. */
    public static MongoClient connect(String uri) {
        return MongoClients.create(settings(uri));
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
