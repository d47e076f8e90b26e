package dev.dnsdig.adapters.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.port.out.LoginStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/**
 * Outgoing persistence port adapter for pending external logins, one document per state in {@code login_states}.
 * {@code take} is a single findOneAndDelete, so of two callbacks with the same state exactly one gets it.
 * Expiry is judged against {@code now}; leftovers of abandoned logins are swept when new ones are saved.
 */
public final class MongoLoginStateStore implements LoginStateStore {
    static final String COLLECTION = "login_states";
    /** Abandoned states are kept this long past expiry before the sweep removes them (they are harmless). */
    private static final Duration SWEEP_AFTER = Duration.ofHours(1);

    private final MongoCollection<Document> states;

    public MongoLoginStateStore(MongoDatabase database) {
        this.states = database.getCollection(COLLECTION);
    }

    @Override
    public boolean save(LoginState state) {
        states.deleteMany(lt("expiresAt", Date.from(state.createdAt().minus(SWEEP_AFTER))));
        try {
            states.insertOne(new Document("_id", state.state())
                    .append("provider", state.provider())
                    .append("nonce", state.nonce())
                    .append("codeVerifier", state.codeVerifier())
                    .append("store", state.store().orElse(null))
                    .append("createdAt", Date.from(state.createdAt()))
                    .append("expiresAt", Date.from(state.expiresAt())));
            return true;
        } catch (MongoException e) {
            if (DuplicateKey.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Taken take(String state, Instant now) {
        Document found = states.findOneAndDelete(eq("_id", state));
        if (found == null) {
            return new Taken.Unknown();
        }
        LoginState loginState = new LoginState(found.getString("_id"), found.getString("provider"), found.getString("nonce"),
                found.getString("codeVerifier"), Optional.ofNullable(found.getString("store")),
                found.getDate("createdAt").toInstant(), found.getDate("expiresAt").toInstant());
        return loginState.expiresAt().isAfter(now) ? new Taken.Found(loginState) : new Taken.Expired();
    }
}
