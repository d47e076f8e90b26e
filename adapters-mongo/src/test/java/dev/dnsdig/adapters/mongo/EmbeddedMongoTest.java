package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.port.out.RefreshTokenStore.Consumption;
import dev.dnsdig.application.port.out.RefreshTokenStore.RefreshToken;
import dev.dnsdig.application.port.out.SigningKeyStore.SigningKey;
import dev.dnsdig.application.port.out.UserRepository.CreateResult;
import dev.dnsdig.application.port.out.UserRepository.Uniqueness;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of {@link EmbeddedMongo}: loopback only, and the H2 file keeps data across restarts and crashes. */
class EmbeddedMongoTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");

    private static User ann() {
        return User.create(UserId.generate(NOW), new Email("Ann@Example.org"), new Username("ann"), Optional.of("Ann"),
                Optional.of("hash"), List.of(new ExternalIdentity("github", "42")), false, NOW);
    }

    private static MongoDatabase db(EmbeddedMongo mongo) {
        return mongo.client().getDatabase("dnsdig");
    }

    @Test
    void listensOnLoopbackOnAnEphemeralPort() {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            assertTrue(mongo.connectionString().matches("mongodb://127\\.0\\.0\\.1:\\d+"), mongo.connectionString());
            assertEquals(Optional.empty(), mongo.dataFile());
            assertEquals(1.0, db(mongo).runCommand(new org.bson.Document("ping", 1)).get("ok", Number.class).doubleValue());
        }
    }

    @Test
    void dataSurvivesACloseAndAReopen(@TempDir Path dir) {
        User ann = ann();
        SigningKey key = new SigningKey("kid-1", "ES256", "priv", "pub", NOW);
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir)) {
            assertEquals(Optional.of(dir.resolve("dnsdig.mv").toAbsolutePath()), mongo.dataFile());
            assertEquals(new CreateResult.Created(ann), new MongoUserRepository(db(mongo)).create(ann));
            new MongoSigningKeyStore(db(mongo)).add(key);
            new MongoRefreshTokenStore(db(mongo)).save(new RefreshToken("h", "f", ann.id(), NOW, NOW.plusSeconds(60)));
        }
        assertTrue(Files.isRegularFile(dir.resolve(EmbeddedMongo.DATA_FILE)));

        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir)) {
            MongoUserRepository users = new MongoUserRepository(db(mongo));
            assertEquals(Optional.of(ann), users.findById(ann.id()));
            assertEquals(Optional.of(ann), users.findByIdentity(new ExternalIdentity("github", "42")));
            // the unique indexes came back with the data
            assertEquals(new CreateResult.Conflict(Uniqueness.EMAIL), users.create(User.create(UserId.generate(NOW),
                    new Email("ann@example.org"), new Username("other"), Optional.empty(), Optional.empty(), List.of(),
                    false, NOW)));
            assertEquals(List.of(key), new MongoSigningKeyStore(db(mongo)).all());
            assertEquals(Consumption.Consumed.class,
                    new MongoRefreshTokenStore(db(mongo)).consume("h", NOW).getClass());
        }
    }

    @Test
    void anAcknowledgedWriteIsInTheFileBeforeClose(@TempDir Path dir) throws Exception {
        User ann = ann();
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir.resolve("live"))) {
            new MongoUserRepository(db(mongo)).create(ann);
            // the file as a crash right now would leave it: no close, no flush
            Files.createDirectories(dir.resolve("crashed"));
            Files.copy(mongo.dataFile().orElseThrow(), dir.resolve("crashed").resolve(EmbeddedMongo.DATA_FILE));
        }

        try (EmbeddedMongo recovered = EmbeddedMongo.start(dir.resolve("crashed"))) {
            assertEquals(Optional.of(ann), new MongoUserRepository(db(recovered)).findById(ann.id()));
        }
    }

    @Test
    void twoServersCannotShareOneDataFile(@TempDir Path dir) {
        try (EmbeddedMongo first = EmbeddedMongo.start(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedMongo.start(dir).close());
            assertTrue(e.getMessage().contains("dnsdig.mv"), e::getMessage);
            assertEquals(1.0, db(first).runCommand(new org.bson.Document("ping", 1)).get("ok", Number.class).doubleValue());
        }
    }

    @Test
    void closingTwiceIsHarmless(@TempDir Path dir) {
        EmbeddedMongo mongo = EmbeddedMongo.start(dir);
        mongo.close();
        assertDoesNotThrow(mongo::close);
    }
}
