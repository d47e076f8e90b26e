package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoDatabase;
import dev.dnsdig.application.contract.TodoRepositoryContract;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.TodoRepository;
import dev.dnsdig.application.port.out.TodoRepository.DeleteResult;
import dev.dnsdig.application.port.out.TodoRepository.UpdateResult;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link TodoRepositoryContract} against mongo-java-server through the real driver, plus the stored shape. */
class MongoTodoRepositoryTest extends TodoRepositoryContract {
    private static final Instant CREATED = Instant.parse("2026-03-01T10:00:00.123Z");
    private static final Instant DUE = Instant.parse("2026-04-01T09:30:00.456Z");

    private MongoDatabase database;

    @Override
    protected TodoRepository newRepository() {
        database = TestMongo.freshDatabase();
        return new MongoTodoRepository(database);
    }

    private static Todo todo(UserId owner, Optional<Instant> dueAt) {
        return Todo.create(TodoId.generate(CREATED), owner, new TodoContent("Tee ☕", "grün", false, dueAt), CREATED);
    }

    private Document stored(Todo todo) {
        return database.getCollection(MongoTodoRepository.COLLECTION).find(new Document("_id", todo.id().value())).first();
    }

    @Test
    void aTodoIsOneDocumentKeyedByItsIdWithDatesAndALongVersion() {
        UserId owner = UserId.generate(CREATED);
        Todo todo = todo(owner, Optional.of(DUE));
        todos.create(todo);

        Document stored = stored(todo);
        assertEquals(Set.of("_id", "ownerId", "title", "description", "completed", "dueAt", "createdAt", "updatedAt",
                "version"), stored.keySet());
        assertEquals(todo.id().value(), stored.getString("_id"));
        assertEquals(owner.value(), stored.getString("ownerId"));
        assertEquals("Tee ☕", stored.getString("title"));
        assertEquals("grün", stored.getString("description"));
        assertEquals(false, stored.getBoolean("completed"));
        assertEquals(Date.from(DUE), stored.getDate("dueAt"));
        assertEquals(Date.from(CREATED), stored.getDate("createdAt"));
        assertEquals(Date.from(CREATED), stored.getDate("updatedAt"));
        assertEquals(0L, stored.get("version"), "an int64, not an int32");
    }

    @Test
    void aTodoWithoutDueDateHasNoDueAtFieldAndAnUpdateRemovesIt() {
        UserId owner = UserId.generate(CREATED);
        Todo undated = todo(owner, Optional.empty());
        Todo dated = todo(owner, Optional.of(DUE));
        todos.create(undated);
        todos.create(dated);

        assertEquals(Set.of("_id", "ownerId", "title", "description", "completed", "createdAt", "updatedAt", "version"),
                stored(undated).keySet());

        Todo changed = dated.with(new TodoContent("Tee ☕", "grün", true, Optional.empty()), CREATED.plusSeconds(1));
        assertInstanceOf(UpdateResult.Updated.class, todos.update(changed, 0));
        Document after = stored(dated);
        assertEquals(Set.of("_id", "ownerId", "title", "description", "completed", "createdAt", "updatedAt", "version"),
                after.keySet());
        assertEquals(1L, after.get("version"));
        assertEquals(true, after.getBoolean("completed"));
    }

    @Test
    void theListingIndexesExistInTheSortOrder() {
        List<Document> indexes = database.getCollection(MongoTodoRepository.COLLECTION).listIndexes().into(new ArrayList<>());

        Document listing = index(indexes, MongoTodoRepository.LIST_INDEX);
        assertEquals(new Document("ownerId", 1).append("createdAt", -1).append("_id", -1), listing.get("key", Document.class));
        Document filtered = index(indexes, MongoTodoRepository.FILTERED_LIST_INDEX);
        assertEquals(new Document("ownerId", 1).append("completed", 1).append("createdAt", -1).append("_id", -1),
                filtered.get("key", Document.class));
    }

    @Test
    void theWriteIndexIsUniqueOnExactlyTheKeysOfAConditionalWrite() {
        List<Document> indexes = database.getCollection(MongoTodoRepository.COLLECTION).listIndexes().into(new ArrayList<>());

        Document write = index(indexes, MongoTodoRepository.WRITE_INDEX);
        assertEquals(new Document("_id", 1).append("ownerId", 1).append("version", 1), write.get("key", Document.class));
        assertEquals(true, write.getBoolean("unique"), write.toJson());
    }

    @Test
    void aSecondRepositoryOnTheSameDatabaseFindsItsIndexesAlreadyThere() {
        UserId owner = UserId.generate(CREATED);
        Todo todo = todo(owner, Optional.empty());
        todos.create(todo);

        // every instance creates its indexes at start; doing so again must neither fail nor lose data
        MongoTodoRepository second = new MongoTodoRepository(database);

        assertEquals(Optional.of(todo), second.find(owner, todo.id()));
        assertEquals(4, database.getCollection(MongoTodoRepository.COLLECTION).listIndexes().into(new ArrayList<>()).size(),
                "_id, the two listing indexes and the write index");
    }

    static Document index(List<Document> indexes, String name) {
        return indexes.stream().filter(i -> name.equals(i.getString("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no index " + name + " in " + indexes));
    }

    @Test
    void theStorageExposesTodosThatSurviveARestart(@TempDir Path dir) {
        UserId owner = UserId.generate(CREATED);
        Todo todo = todo(owner, Optional.of(DUE));
        Todo changed = todo.with(TodoContent.titled("renamed"), CREATED.plusSeconds(2));
        try (MongoStorage storage = MongoStorage.open(Optional.empty(), dir)) {
            assertTrue(storage.todos().create(todo));
            assertInstanceOf(UpdateResult.Updated.class, storage.todos().update(changed, 0));
        }
        try (MongoStorage storage = MongoStorage.open(Optional.empty(), dir)) {
            assertEquals(Optional.of(changed), storage.todos().find(owner, todo.id()));
            assertEquals(new Page<>(List.of(changed), false), storage.todos().list(owner, Optional.of(false), Optional.empty(), 10));
            assertEquals(DeleteResult.DELETED, storage.todos().delete(owner, todo.id(), OptionalLong.of(1)));
        }
        try (MongoStorage storage = MongoStorage.open(Optional.empty(), dir)) {
            assertEquals(Optional.empty(), storage.todos().find(owner, todo.id()), "the deletion survives too");
        }
    }
}
