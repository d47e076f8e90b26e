package dev.dnsdig.adapters.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import dev.dnsdig.application.port.out.ApplicationRepository;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * Outgoing persistence port adapter for machine clients, one document per application in {@code applications},
 * keyed by its client id. Only the secret's hash is stored. Every write touches one document (or, for an account's
 * deletion, removes documents independently), so no transaction is needed: deleting by id <em>and</em> owner in one
 * filter is what keeps one user from deleting another's application.
 */
public final class MongoApplicationRepository implements ApplicationRepository {
    static final String COLLECTION = "applications";

    private final MongoCollection<Document> applications;

    public MongoApplicationRepository(MongoDatabase database) {
        this.applications = database.getCollection(COLLECTION);
        // listing and deleting by owner; mongo-java-server accepts and ignores non-unique indexes
        applications.createIndex(Indexes.ascending("ownerId", "createdAt"));
    }

    @Override
    public void create(Application application) {
        try {
            applications.insertOne(toDocument(application));
        } catch (MongoException e) {
            if (DuplicateKey.isDuplicateKey(e)) {
                throw new IllegalStateException("duplicate client id " + application.clientId(), e);
            }
            throw e;
        }
    }

    @Override
    public Optional<Application> findById(ClientId clientId) {
        return Optional.ofNullable(applications.find(eq("_id", clientId.value())).first())
                .map(MongoApplicationRepository::toApplication);
    }

    @Override
    public List<Application> listByOwner(UserId owner) {
        List<Application> found = new ArrayList<>();
        applications.find(eq("ownerId", owner.value())).sort(Sorts.ascending("createdAt", "_id"))
                .forEach(d -> found.add(toApplication(d)));
        return found;
    }

    @Override
    public boolean delete(ClientId clientId, UserId owner) {
        return applications.deleteOne(and(eq("_id", clientId.value()), eq("ownerId", owner.value()))).getDeletedCount() == 1;
    }

    @Override
    public void deleteAllOf(UserId owner) {
        applications.deleteMany(eq("ownerId", owner.value()));
    }

    static Document toDocument(Application application) {
        return new Document("_id", application.clientId().value())
                .append("ownerId", application.owner().value())
                .append("name", application.name())
                .append("permissions", application.permissions().stream().sorted().map(Permission::scope).toList())
                .append("secretHash", application.secretHash())
                .append("createdAt", Date.from(application.createdAt()));
    }

    static Application toApplication(Document d) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        d.getList("permissions", String.class, List.of()).forEach(scope -> permissions.add(Permission.parse(scope)));
        return new Application(new ClientId(d.getString("_id")), new UserId(d.getString("ownerId")), d.getString("name"),
                permissions, d.getString("secretHash"), d.getDate("createdAt").toInstant());
    }
}
