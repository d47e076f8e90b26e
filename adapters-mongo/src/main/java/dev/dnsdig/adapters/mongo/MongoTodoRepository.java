package dev.dnsdig.adapters.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.TodoRepository;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Outgoing persistence port adapter for todos, one document per todo in {@code todos}, keyed by the todo's id.
 *
 * <p>Every write's filter names the owner as well as the id, so one user's request can never reach another's todo
 * (a read by id checks the owner of what it found). Updates and versioned deletes put the expected {@code version}
 * into the filter, which makes check-and-write one atomic step on one document: no transaction is needed. Instants
 * are BSON dates and so keep milliseconds only.
 *
 * <p>The embedded store (mongo-java-server) uses an index only for a unique one whose keys are exactly the query's
 * keys, compared for equality, and scans the whole collection otherwise (measured: 0.8 ms by {@code _id}, 6-7 ms by
 * {@code _id} and owner, with 30,000 todos). So reads go by {@code _id} alone, and the conditional writes by exactly
 * the keys of the unique index {@value #WRITE_INDEX} (unique anyway, as {@code _id} is; on MongoDB a small extra).
 * Listings still scan there; on MongoDB they use the two listing indexes.
 */
public final class MongoTodoRepository implements TodoRepository {
    static final String COLLECTION = "todos";
    static final String LIST_INDEX = "todos_owner_newest";
    static final String FILTERED_LIST_INDEX = "todos_owner_completed_newest";
    static final String WRITE_INDEX = "todos_id_owner_version";

    private final MongoCollection<Document> todos;

    public MongoTodoRepository(MongoDatabase database) {
        this.todos = database.getCollection(COLLECTION);
        // the listing's filter then sort, in the sort's direction, so a real mongod reads a page without sorting;
        // mongo-java-server accepts and ignores non-unique indexes (it scans), which is only slower
        todos.createIndex(Indexes.compoundIndex(Indexes.ascending("ownerId"), Indexes.descending("createdAt", "_id")),
                new IndexOptions().name(LIST_INDEX));
        todos.createIndex(Indexes.compoundIndex(Indexes.ascending("ownerId", "completed"),
                Indexes.descending("createdAt", "_id")), new IndexOptions().name(FILTERED_LIST_INDEX));
        todos.createIndex(Indexes.ascending("_id", "ownerId", "version"), new IndexOptions().name(WRITE_INDEX).unique(true));
    }

    @Override
    public boolean create(Todo todo) {
        try {
            todos.insertOne(toDocument(todo));
            return true;
        } catch (MongoException e) {
            if (DuplicateKey.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Todo> find(UserId owner, TodoId id) {
        return Optional.ofNullable(todos.find(new Document("_id", id.value())).first())
                .filter(d -> owner.value().equals(d.getString("ownerId"))).map(MongoTodoRepository::toTodo);
    }

    @Override
    public Page<Todo> list(UserId owner, Optional<Boolean> completed, Optional<Cursor> after, int limit) {
        List<Bson> conditions = new ArrayList<>();
        conditions.add(eq("ownerId", owner.value()));
        completed.ifPresent(c -> conditions.add(eq("completed", c)));
        after.ifPresent(cursor -> {
            // strictly after the cursor in (createdAt desc, _id desc) order; a position, so it works after its todo is gone
            Date at = Date.from(cursor.createdAt());
            conditions.add(or(lt("createdAt", at), and(eq("createdAt", at), lt("_id", cursor.id().value()))));
        });
        // one more than asked tells whether another page follows without a count; capped so +1 cannot overflow
        int fetch = Math.min(Math.max(limit, 0), Integer.MAX_VALUE - 1) + 1;
        List<Todo> found = new ArrayList<>();
        todos.find(and(conditions)).sort(Sorts.descending("createdAt", "_id")).limit(fetch)
                .forEach(d -> found.add(toTodo(d)));
        boolean more = found.size() > limit;
        return new Page<>(more ? found.subList(0, limit) : found, more);
    }

    @Override
    public UpdateResult update(Todo changed, long expectedVersion) {
        long matched = todos.replaceOne(atVersion(changed.owner(), changed.id(), expectedVersion), toDocument(changed))
                .getMatchedCount();
        if (matched == 1) {
            return new UpdateResult.Updated(changed);
        }
        // nothing was written; this read only tells the caller why
        return find(changed.owner(), changed.id()).isPresent() ? new UpdateResult.VersionConflict() : new UpdateResult.NotFound();
    }

    @Override
    public DeleteResult delete(UserId owner, TodoId id, OptionalLong expectedVersion) {
        Bson filter = expectedVersion.isPresent() ? atVersion(owner, id, expectedVersion.getAsLong())
                : new Document("_id", id.value()).append("ownerId", owner.value());
        if (todos.deleteOne(filter).getDeletedCount() == 1) {
            return DeleteResult.DELETED;
        }
        // without a version the filter missed only because there is no such todo of this owner
        return expectedVersion.isPresent() && find(owner, id).isPresent() ? DeleteResult.VERSION_CONFLICT : DeleteResult.NOT_FOUND;
    }

    @Override
    public void deleteAllOf(UserId owner) {
        todos.deleteMany(eq("ownerId", owner.value()));
    }

    /** Plain equality on exactly the keys of {@value #WRITE_INDEX}: no {@code $and}, which no index would serve. */
    private static Document atVersion(UserId owner, TodoId id, long version) {
        return new Document("_id", id.value()).append("ownerId", owner.value()).append("version", version);
    }

    /** The stored form, also embedded by {@link MongoIdempotencyStore}; a todo without due date has no {@code dueAt}. */
    static Document toDocument(Todo todo) {
        TodoContent content = todo.content();
        Document d = new Document("_id", todo.id().value())
                .append("ownerId", todo.owner().value())
                .append("title", content.title())
                .append("description", content.description())
                .append("completed", content.completed());
        content.dueAt().ifPresent(due -> d.append("dueAt", Date.from(due)));
        return d.append("createdAt", Date.from(todo.createdAt()))
                .append("updatedAt", Date.from(todo.updatedAt()))
                .append("version", todo.version());
    }

    static Todo toTodo(Document d) {
        TodoContent content = new TodoContent(d.getString("title"), d.getString("description"), d.getBoolean("completed"),
                Optional.ofNullable(d.getDate("dueAt")).map(Date::toInstant));
        return new Todo(new TodoId(d.getString("_id")), new UserId(d.getString("ownerId")), content,
                d.getDate("createdAt").toInstant(), d.getDate("updatedAt").toInstant(),
                d.get("version", Number.class).longValue());
    }
}
