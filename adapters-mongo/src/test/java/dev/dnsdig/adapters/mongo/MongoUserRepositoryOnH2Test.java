package dev.dnsdig.adapters.mongo;

import dev.dnsdig.application.contract.UserRepositoryContract;
import dev.dnsdig.application.port.out.UserRepository;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link UserRepositoryContract} once more on the H2 file backend that the default run uses: its unique
 * index is a different implementation from the memory backend's, and it must hold the same rules.
 */
class MongoUserRepositoryOnH2Test extends UserRepositoryContract {
    @TempDir
    static Path dataDir;
    private static EmbeddedMongo mongo;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void start() {
        mongo = EmbeddedMongo.start(dataDir);
    }

    @AfterAll
    static void stop() {
        mongo.close();
    }

    @Override
    protected UserRepository newRepository() {
        return new MongoUserRepository(mongo.client().getDatabase("h2test" + DATABASES.incrementAndGet()));
    }
}
