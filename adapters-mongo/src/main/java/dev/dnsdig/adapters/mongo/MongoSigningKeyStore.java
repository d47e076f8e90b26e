package dev.dnsdig.adapters.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import dev.dnsdig.application.port.out.SigningKeyStore;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Outgoing persistence port adapter for the built-in issuer's signing keys, one document per key id in
 * {@code signing_keys}. The key id is the {@code _id}, so of two instances adding the same key at once exactly
 * one insert succeeds. Private keys are stored as given (PKCS#8, base64): protect the database accordingly.
 */
public final class MongoSigningKeyStore implements SigningKeyStore {
    static final String COLLECTION = "signing_keys";

    private final MongoCollection<Document> keys;

    public MongoSigningKeyStore(MongoDatabase database) {
        // no index beyond _id: a handful of keys, always read whole
        this.keys = database.getCollection(COLLECTION);
    }

    @Override
    public List<SigningKey> all() {
        List<SigningKey> all = new ArrayList<>();
        // natural order is not insertion order on a real mongod: sort by age, the id only breaks ties
        keys.find().sort(Sorts.ascending("createdAt", "_id")).forEach(d -> all.add(new SigningKey(
                d.getString("_id"), d.getString("algorithm"), d.getString("privateKey"), d.getString("publicKey"),
                d.getDate("createdAt").toInstant())));
        return all;
    }

    @Override
    public boolean add(SigningKey key) {
        try {
            keys.insertOne(new Document("_id", key.keyId())
                    .append("algorithm", key.algorithm())
                    .append("privateKey", key.privateKey())
                    .append("publicKey", key.publicKey())
                    .append("createdAt", Date.from(key.createdAt())));
            return true;
        } catch (MongoException e) {
            if (DuplicateKey.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }
}
