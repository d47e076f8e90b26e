package dev.dnsdig.adapters.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Updates.set;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import dev.dnsdig.application.port.out.RefreshTokenStore;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/**
 * Outgoing persistence port adapter for refresh tokens, one document per token hash in {@code refresh_tokens}.
 *
 * <p>Each state change touches one document atomically (consume) or sets a flag that never goes back (revoke),
 * so no multi-document transaction is needed. Expiry is compared with the caller's {@code now}; no TTL index is
 * made, because correctness must not depend on one (mongo-java-server never expires anything, and a mongod TTL
 * monitor runs only once a minute). Old documents can be removed by a periodic clean-up, not for correctness.
 */
public final class MongoRefreshTokenStore implements RefreshTokenStore {
    static final String COLLECTION = "refresh_tokens";

    private final MongoCollection<Document> tokens;
    /** Revoked families, one document each: what makes a late-saved token of a revoked family invalid. */
    private final MongoCollection<Document> families;

    public MongoRefreshTokenStore(MongoDatabase database) {
        this.tokens = database.getCollection(COLLECTION);
        this.families = database.getCollection(COLLECTION + "_revoked_families");
        // for the revocation scans on a real mongod; mongo-java-server accepts and ignores non-unique indexes
        tokens.createIndex(Indexes.ascending("familyId"));
        tokens.createIndex(Indexes.ascending("userId"));
    }

    @Override
    public void save(RefreshToken token) {
        try {
            tokens.insertOne(new Document("_id", token.tokenHash())
                    .append("familyId", token.familyId())
                    .append("userId", token.userId().value())
                    .append("issuedAt", Date.from(token.issuedAt()))
                    .append("expiresAt", Date.from(token.expiresAt()))
                    .append("used", false)
                    .append("revoked", false));
        } catch (MongoException e) {
            if (DuplicateKey.isDuplicateKey(e)) {
                throw new IllegalStateException("duplicate refresh token hash", e);
            }
            throw e;
        }
    }

    @Override
    public Optional<RefreshToken> findUsable(String tokenHash, Instant now) {
        Document found = tokens.find(and(eq("_id", tokenHash), eq("used", false), eq("revoked", false),
                gt("expiresAt", Date.from(now)))).first();
        if (found == null || families.find(and(eq("_id", found.getString("familyId")), eq("revoked", true))).first() != null) {
            return Optional.empty();
        }
        return Optional.of(toToken(found));
    }

    @Override
    public Consumption consume(String tokenHash, Instant now) {
        // check and mark in one atomic step: of any number of concurrent calls exactly one sees used == false
        Document before = tokens.findOneAndUpdate(
                and(eq("_id", tokenHash), eq("used", false), eq("revoked", false), gt("expiresAt", Date.from(now))),
                set("used", true));
        if (before != null) {
            // a rotation racing a reuse-revocation may have saved this token just after the family was revoked
            if (families.find(and(eq("_id", before.getString("familyId")), eq("revoked", true))).first() != null) {
                tokens.updateOne(eq("_id", tokenHash), set("revoked", true));
                return new Consumption.Invalid("refresh token revoked");
            }
            return new Consumption.Consumed(toToken(before));
        }
        // nothing was changed; this read only explains why. used and revoked never revert, so it cannot contradict
        Document found = tokens.find(eq("_id", tokenHash)).first();
        if (found == null) {
            return new Consumption.Invalid("unknown refresh token");
        }
        if (found.getBoolean("revoked", false)) {
            return new Consumption.Invalid("refresh token revoked");
        }
        if (found.getBoolean("used", false)) {
            return new Consumption.AlreadyUsed(toToken(found));
        }
        if (!found.getDate("expiresAt").toInstant().isAfter(now)) {
            return new Consumption.Invalid("refresh token expired");
        }
        // saved between the two calls: it did not exist when the consume was tried
        return new Consumption.Invalid("unknown refresh token");
    }

    @Override
    public void revokeFamily(String familyId) {
        // the family is marked first, so a token of it saved from now on is born revoked (see consume); then each
        // existing document flips on its own; a consume that ran just before is simply ordered before the revocation
        families.updateOne(eq("_id", familyId), set("revoked", true), new com.mongodb.client.model.UpdateOptions().upsert(true));
        tokens.updateMany(eq("familyId", familyId), set("revoked", true));
    }

    @Override
    public void revokeUser(UserId userId) {
        tokens.updateMany(eq("userId", userId.value()), set("revoked", true));
    }

    @Override
    public Optional<String> familyOf(String tokenHash) {
        return Optional.ofNullable(tokens.find(eq("_id", tokenHash)).projection(Projections.include("familyId")).first())
                .map(d -> d.getString("familyId"));
    }

    private static RefreshToken toToken(Document d) {
        return new RefreshToken(d.getString("_id"), d.getString("familyId"), new UserId(d.getString("userId")),
                d.getDate("issuedAt").toInstant(), d.getDate("expiresAt").toInstant());
    }
}
