package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.contract.RefreshTokenStoreContract;
import dev.dnsdig.application.port.out.RefreshTokenStore;
import dev.dnsdig.application.port.out.RefreshTokenStore.RefreshToken;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The {@link RefreshTokenStoreContract} against mongo-java-server through the real driver, plus the stored shape. */
class MongoRefreshTokenStoreTest extends RefreshTokenStoreContract {
    private MongoDatabase database;

    @Override
    protected RefreshTokenStore newStore() {
        database = TestMongo.freshDatabase();
        return new MongoRefreshTokenStore(database);
    }

    @Test
    void aTokenIsOneDocumentKeyedByItsHashWithDatesAndFlags() {
        Instant issued = Instant.parse("2026-03-01T10:00:00.123Z");
        UserId user = UserId.generate(issued);
        tokens.save(new RefreshToken("abc", "fam", user, issued, issued.plusSeconds(60)));
        tokens.consume("abc", issued);

        Document stored = database.getCollection(MongoRefreshTokenStore.COLLECTION).find().first();
        assertEquals("abc", stored.getString("_id"));
        assertEquals(user.value(), stored.getString("userId"));
        assertEquals(Date.from(issued.plusSeconds(60)), stored.getDate("expiresAt"));
        assertTrue(stored.getBoolean("used"));
        assertFalse(stored.getBoolean("revoked"));
    }
}
