package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import java.util.Optional;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** Tests of {@link DuplicateKey} on the wording of a real mongod, which these tests cannot start. */
class DuplicateKeyTest {

    private static MongoWriteException error(int code, String message) {
        return new MongoWriteException(new WriteError(code, message, new BsonDocument()), new ServerAddress("127.0.0.1"),
                java.util.Set.of());
    }

    @Test
    void readsTheIndexNameFromAMongodMessage() {
        MongoWriteException e = error(11000, "E11000 duplicate key error collection: dnsdig.users index: "
                + "users_username_unique dup key: { usernameKey: \"ann\" }");

        assertEquals(Optional.of("users_username_unique"), DuplicateKey.index(e));
    }

    @Test
    void aKeyValueThatLooksLikeAnotherIndexDoesNotMislead() {
        MongoWriteException e = error(11000, "E11000 duplicate key error collection: dnsdig.users index: "
                + "users_email_unique dup key: { emailKey: \"index: users_identity_unique dup key@x.org\" }");

        assertEquals(Optional.of("users_email_unique"), DuplicateKey.index(e));
    }

    @Test
    void otherErrorsAreNotDuplicates() {
        MongoWriteException e = error(121, "Document failed validation index: users_email_unique dup key");

        assertEquals(Optional.empty(), DuplicateKey.index(e));
        assertFalse(DuplicateKey.isDuplicateKey(e));
    }
}
