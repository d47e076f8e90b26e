package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.contract.LoginStateStoreContract;
import dev.dnsdig.application.port.out.LoginStateStore;
import dev.dnsdig.application.port.out.LoginStateStore.LoginState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@link LoginStateStoreContract} against mongo-java-server through the real driver, plus the sweep. */
class MongoLoginStateStoreTest extends LoginStateStoreContract {
    private MongoDatabase database;

    @Override
    protected LoginStateStore newStore() {
        database = TestMongo.freshDatabase();
        return new MongoLoginStateStore(database);
    }

    @Test
    void abandonedStatesAreSweptWhenNewOnesArrive() {
        LoginStateStore store = newStore();
        Instant long_ago = Instant.parse("2001-01-01T00:00:00Z");
        store.save(new LoginState("abandoned-1", "oidc", "n", "v", Optional.empty(), long_ago, long_ago.plusSeconds(600)));
        Instant later = long_ago.plus(Duration.ofDays(1));
        store.save(new LoginState("fresh-state", "oidc", "n", "v", Optional.empty(), later, later.plusSeconds(600)));
        assertEquals(1, database.getCollection(MongoLoginStateStore.COLLECTION).countDocuments());
    }
}
