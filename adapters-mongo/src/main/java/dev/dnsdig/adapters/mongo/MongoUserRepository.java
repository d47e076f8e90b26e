package dev.dnsdig.adapters.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.regex;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Outgoing persistence port adapter for accounts, one document per user in {@code users}.
 *
 * <p>Every invariant is kept by one atomic single-document write plus unique indexes, so neither a multi-document
 * transaction nor a standalone-vs-replica-set difference matters:
 * <ul>
 * <li>{@code emailKey} and {@code usernameKey} hold the lower-cased values under unique indexes: two sign-ups
 * with one address in different case cannot both be inserted, whichever arrives first.</li>
 * <li>{@code identityKeys} holds {@link ExternalIdentity#key()} of each linked login under a unique multikey
 * index, so an identity belongs to at most one user. The index is sparse and the field is left out when a user
 * has no identities: a real mongod indexes an empty array as {@code undefined}, so two identity-less users would
 * otherwise clash. Because the keys live in the user's own document, linking, unlinking and deleting are the
 * same single write as the rest of the user: nothing can be orphaned by a crash between two writes.</li>
 * <li>Updates replace the document only if its {@code version} is the one the caller read.</li>
 * </ul>
 * Instants are stored as BSON dates and so keep milliseconds only.
 */
public final class MongoUserRepository implements UserRepository {
    static final String COLLECTION = "users";
    static final String EMAIL_INDEX = "users_email_unique";
    static final String USERNAME_INDEX = "users_username_unique";
    static final String IDENTITY_INDEX = "users_identity_unique";
    private static final Map<String, Uniqueness> RULES = Map.of(
            EMAIL_INDEX, Uniqueness.EMAIL, USERNAME_INDEX, Uniqueness.USERNAME, IDENTITY_INDEX, Uniqueness.IDENTITY);

    private final MongoCollection<Document> users;

    public MongoUserRepository(MongoDatabase database) {
        this.users = database.getCollection(COLLECTION);
        // createIndex is idempotent, so every instance may run this at start. A user clashing on several values gets
        // the rule of the first index that refuses it: creation order on mongo-java-server, unspecified on a mongod
        users.createIndex(Indexes.ascending("emailKey"), new IndexOptions().name(EMAIL_INDEX).unique(true));
        users.createIndex(Indexes.ascending("usernameKey"), new IndexOptions().name(USERNAME_INDEX).unique(true));
        users.createIndex(Indexes.ascending("identityKeys"),
                new IndexOptions().name(IDENTITY_INDEX).unique(true).sparse(true));
    }

    @Override
    public CreateResult create(User user) {
        try {
            users.insertOne(toDocument(user));
            return new CreateResult.Created(user);
        } catch (MongoException e) {
            return new CreateResult.Conflict(rule(e));
        }
    }

    @Override
    public Optional<User> findById(UserId id) {
        return findOne(eq("_id", id.value()));
    }

    @Override
    public Optional<User> findByEmail(Email email) {
        return findOne(eq("emailKey", email.normalized()));
    }

    @Override
    public Optional<User> findByIdentity(ExternalIdentity identity) {
        return findOne(eq("identityKeys", identity.key()));
    }

    @Override
    public UpdateResult update(User user) {
        User next = user.nextVersion();
        try {
            // the version in the filter makes check-and-write one atomic step on the one document
            long matched = users.replaceOne(and(eq("_id", user.id().value()), eq("version", user.version())),
                    toDocument(next)).getMatchedCount();
            if (matched == 1) {
                return new UpdateResult.Updated(next);
            }
        } catch (MongoException e) {
            return new UpdateResult.Conflict(rule(e));
        }
        // nothing written; the read only tells the caller why (a deleted user stays deleted)
        return findById(user.id()).isPresent() ? new UpdateResult.VersionConflict() : new UpdateResult.NotFound();
    }

    @Override
    public boolean delete(UserId id) {
        return users.deleteOne(eq("_id", id.value())).getDeletedCount() == 1;
    }

    @Override
    public Page<User> list(UserFilter filter, Optional<UserId> after, int limit) {
        List<Bson> conditions = new ArrayList<>();
        after.ifPresent(cursor -> conditions.add(gt("_id", cursor.value())));
        filter.emailContains().ifPresent(part -> conditions.add(regex("emailKey", literal(part.toLowerCase(Locale.ROOT)))));
        filter.blocked().ifPresent(blocked -> conditions.add(exists("blockedAt", blocked)));
        Bson query = conditions.isEmpty() ? new Document() : and(conditions);
        // one more than asked tells whether another page follows without a count
        List<User> found = new ArrayList<>();
        // capped so that the +1 cannot overflow into a negative limit, which the server reads as "one batch only"
        int fetch = Math.min(Math.max(limit, 0), Integer.MAX_VALUE - 1) + 1;
        users.find(query).sort(Sorts.ascending("_id")).limit(fetch).forEach(d -> found.add(toUser(d)));
        boolean more = found.size() > limit;
        return new Page<>(more ? found.subList(0, limit) : found, more);
    }

    private Optional<User> findOne(Bson query) {
        return Optional.ofNullable(users.find(query).first()).map(MongoUserRepository::toUser);
    }

    private static Uniqueness rule(MongoException e) {
        Optional<String> index = DuplicateKey.index(e);
        if (index.isPresent() && RULES.containsKey(index.get())) {
            return RULES.get(index.get());
        }
        if (index.isPresent() && index.get().equals("_id_")) {
            throw new IllegalStateException("a user with this id exists already", e);
        }
        throw e;
    }

    /** The text as a regular expression matching itself: an e-mail filter is a substring, never a pattern. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder(text.length() * 2);
        for (char c : text.toCharArray()) {
            if (c == 0) {
                out.append("\\x00"); // a pattern is a C string in BSON: no NUL of its own, but an escape for one
                continue;
            }
            if ("\\^$.|?*+()[]{}-#/".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    static Document toDocument(User user) {
        Document d = new Document("_id", user.id().value())
                .append("email", user.email().value())
                .append("emailKey", user.email().normalized())
                .append("username", user.username().value())
                .append("usernameKey", user.username().normalized());
        user.displayName().ifPresent(name -> d.append("displayName", name));
        d.append("identities", user.identities().stream()
                .map(i -> new Document("provider", i.provider()).append("subject", i.subject())).toList());
        if (!user.identities().isEmpty()) {
            // left out when empty: see the class comment on the sparse index
            d.append("identityKeys", user.identities().stream().map(ExternalIdentity::key).distinct().toList());
        }
        d.append("permissions", user.permissions().stream().sorted().map(Permission::scope).toList());
        user.blockedAt().ifPresent(at -> d.append("blockedAt", Date.from(at)));
        user.passwordHash().ifPresent(hash -> d.append("passwordHash", hash));
        return d.append("createdAt", Date.from(user.createdAt()))
                .append("updatedAt", Date.from(user.updatedAt()))
                .append("version", user.version());
    }

    static User toUser(Document d) {
        List<ExternalIdentity> identities = d.getList("identities", Document.class, List.of()).stream()
                .map(i -> new ExternalIdentity(i.getString("provider"), i.getString("subject"))).toList();
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        d.getList("permissions", String.class, List.of()).forEach(scope -> permissions.add(Permission.parse(scope)));
        return new User(new UserId(d.getString("_id")), new Email(d.getString("email")),
                new Username(d.getString("username")), Optional.ofNullable(d.getString("displayName")), identities,
                permissions, Optional.ofNullable(d.getDate("blockedAt")).map(Date::toInstant),
                Optional.ofNullable(d.getString("passwordHash")), d.getDate("createdAt").toInstant(),
                d.getDate("updatedAt").toInstant(), d.get("version", Number.class).longValue());
    }
}
