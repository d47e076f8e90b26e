package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.contract.SigningKeyStoreContract;
import dev.dnsdig.application.port.out.SigningKeyStore;
import dev.dnsdig.application.port.out.SigningKeyStore.SigningKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link SigningKeyStoreContract} against mongo-java-server through the real driver. */
class MongoSigningKeyStoreTest extends SigningKeyStoreContract {
    private MongoDatabase database;

    @Override
    protected SigningKeyStore newStore() {
        database = TestMongo.freshDatabase();
        return new MongoSigningKeyStore(database);
    }

    @Test
    void keysAreOrderedByAgeNotByInsertion() {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        SigningKey newer = new SigningKey("k2", "ES256", "priv2", "pub2", t0.plusSeconds(1));
        SigningKey older = new SigningKey("k1", "ES256", "priv1", "pub1", t0);
        keys.add(newer);
        keys.add(older);

        assertEquals(List.of(older, newer), keys.all());
        assertEquals(List.of(older, newer), new MongoSigningKeyStore(database).all());
    }
}
