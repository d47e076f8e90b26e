package dev.dnsdig.domain.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tests of {@link Todo}: creation at version 0, the next version, ownership. */
class TodoTest {
    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2025-02-01T00:00:00Z");
    private static final TodoId ID = new TodoId("01JGJ5Z3N0AAAAAAAAAAAAAAAA");
    private static final UserId ALICE = new UserId("01JGJ5Z3N0BBBBBBBBBBBBBBBB");
    private static final UserId BOB = new UserId("01JGJ5Z3N0CCCCCCCCCCCCCCCC");
    private static final TodoContent MILK = TodoContent.titled("Buy milk");
    private static final TodoContent DONE = new TodoContent("Buy milk", "", true, Optional.empty());

    @Test
    void createStartsAtVersionZero() {
        Todo todo = Todo.create(ID, ALICE, MILK, CREATED);

        assertEquals(ID, todo.id());
        assertEquals(ALICE, todo.owner());
        assertEquals(MILK, todo.content());
        assertEquals(CREATED, todo.createdAt());
        assertEquals(CREATED, todo.updatedAt());
        assertEquals(0, todo.version());
    }

    @Test
    void withIsTheNextVersionUpdatedNow() {
        Todo before = Todo.create(ID, ALICE, MILK, CREATED);
        Todo after = before.with(DONE, LATER);

        assertEquals(new Todo(ID, ALICE, DONE, CREATED, LATER, 1), after);
        assertEquals(2, after.with(MILK, LATER.plusSeconds(1)).version());
        assertEquals(CREATED, after.with(MILK, LATER.plusSeconds(1)).createdAt());
        assertEquals(LATER.plusSeconds(1), after.with(MILK, LATER.plusSeconds(1)).updatedAt());
    }

    @Test
    void withCountsFromTheStoredVersion() {
        Todo stored = new Todo(ID, ALICE, MILK, CREATED, CREATED, 41);

        assertEquals(42, stored.with(DONE, LATER).version());
    }

    @Test
    void withLeavesTheOriginalUntouched() {
        Todo before = Todo.create(ID, ALICE, MILK, CREATED);
        before.with(DONE, LATER);

        assertEquals(new Todo(ID, ALICE, MILK, CREATED, CREATED, 0), before);
    }

    @Test
    void ownedByItsOwnerOnly() {
        Todo todo = Todo.create(ID, ALICE, MILK, CREATED);

        assertTrue(todo.ownedBy(ALICE));
        assertTrue(todo.ownedBy(new UserId(ALICE.value())));
        assertFalse(todo.ownedBy(BOB));
        assertTrue(todo.with(DONE, LATER).ownedBy(ALICE), "a change keeps the owner");
    }

    @Test
    void requiredFields() {
        assertThrows(NullPointerException.class, () -> new Todo(null, ALICE, MILK, CREATED, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new Todo(ID, null, MILK, CREATED, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new Todo(ID, ALICE, null, CREATED, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new Todo(ID, ALICE, MILK, null, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new Todo(ID, ALICE, MILK, CREATED, null, 0));
    }

    @Test
    void todosDifferingInVersionAreNotEqual() {
        assertNotEquals(new Todo(ID, ALICE, MILK, CREATED, CREATED, 0), new Todo(ID, ALICE, MILK, CREATED, CREATED, 1));
        assertEquals(Todo.create(ID, ALICE, MILK, CREATED), Todo.create(ID, ALICE, MILK, CREATED));
    }
}
