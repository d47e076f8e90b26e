package dev.dnsdig.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.TodoRepository;
import dev.dnsdig.application.port.out.TodoRepository.Cursor;
import dev.dnsdig.application.port.out.TodoRepository.DeleteResult;
import dev.dnsdig.application.port.out.TodoRepository.UpdateResult;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of every {@link TodoRepository}: subclass once per adapter and return a fresh, empty repository.
 * Instants have whole milliseconds, which is what a BSON date keeps.
 */
public abstract class TodoRepositoryContract {
    private static final Instant T0 = Instant.parse("2026-02-03T04:05:06.789Z");
    private static final UserId ANN = UserId.generate(T0);
    private static final UserId BOB = UserId.generate(T0.plusMillis(1));
    /** The order the port promises: creation time, then id, both descending. */
    private static final Comparator<Todo> NEWEST_FIRST = Comparator.comparing(Todo::createdAt)
            .thenComparing(t -> t.id().value()).reversed();

    protected TodoRepository todos;

    /** A fresh repository with no todos in it. */
    protected abstract TodoRepository newRepository();

    @BeforeEach
    void freshRepository() {
        todos = newRepository();
    }

    private static Todo todo(UserId owner, String title, boolean completed, Instant createdAt) {
        return Todo.create(TodoId.generate(createdAt), owner, new TodoContent(title, "", completed, Optional.empty()),
                createdAt);
    }

    private Todo created(UserId owner, String title, boolean completed, Instant createdAt) {
        Todo todo = todo(owner, title, completed, createdAt);
        assertTrue(todos.create(todo), "a new id is stored");
        return todo;
    }

    private Todo created(UserId owner, String title, Instant createdAt) {
        return created(owner, title, false, createdAt);
    }

    private List<Todo> all(UserId owner, Optional<Boolean> completed) {
        return todos.list(owner, completed, Optional.empty(), 1_000).items();
    }

    /** Every page of a listing, each asked for after the last item of the one before. */
    private List<Page<Todo>> walk(UserId owner, Optional<Boolean> completed, int limit) {
        List<Page<Todo>> pages = new ArrayList<>();
        Optional<Cursor> after = Optional.empty();
        do {
            Page<Todo> page = todos.list(owner, completed, after, limit);
            pages.add(page);
            assertTrue(pages.size() <= 100, "the walk ends");
            after = page.items().isEmpty() ? Optional.empty() : Optional.of(Cursor.after(page.items().getLast()));
        } while (pages.getLast().more());
        return pages;
    }

    /** Walks the listing with every page size from 1 to past the end and checks each walk sees {@code expected}. */
    private void assertEveryWalkSees(List<Todo> expected, UserId owner, Optional<Boolean> completed) {
        for (int limit = 1; limit <= expected.size() + 1; limit++) {
            List<Page<Todo>> pages = walk(owner, completed, limit);
            String where = "limit " + limit + ": " + pages;
            assertEquals(expected, pages.stream().flatMap(p -> p.items().stream()).toList(), where);
            // full pages until the last one, which is the only one saying no more follow
            int fullPages = Math.max(1, (expected.size() + limit - 1) / limit);
            assertEquals(fullPages, pages.size(), where);
            for (int i = 0; i < pages.size() - 1; i++) {
                assertEquals(limit, pages.get(i).items().size(), where);
                assertTrue(pages.get(i).more(), where);
            }
            assertFalse(pages.getLast().more(), where);
        }
    }

    @Test
    void aCreatedTodoIsFoundWithEveryFieldIntact() {
        Todo todo = new Todo(TodoId.generate(T0), ANN,
                new TodoContent("Äpfel 🍎 kaufen, 日本茶 too", "line one\nline two: «quoted» ✓", true,
                        Optional.of(Instant.parse("2026-03-04T05:06:07.008Z"))),
                T0, T0.plusSeconds(90).plusMillis(1), 7);

        assertTrue(todos.create(todo));

        Todo found = todos.find(ANN, todo.id()).orElseThrow();
        assertEquals(todo, found);
        assertEquals("Äpfel 🍎 kaufen, 日本茶 too", found.content().title());
        assertEquals(Optional.of(Instant.parse("2026-03-04T05:06:07.008Z")), found.content().dueAt());
        assertEquals(7, found.version());
    }

    @Test
    void aTodoWithoutDueDateOrDescriptionKeepsThemEmpty() {
        Todo todo = created(ANN, "plain", T0);

        Todo found = todos.find(ANN, todo.id()).orElseThrow();
        assertEquals(todo, found);
        assertEquals(Optional.empty(), found.content().dueAt());
        assertEquals("", found.content().description());
        assertFalse(found.content().completed());
        assertEquals(0, found.version());
    }

    @Test
    void theExtremeDueDatesSurvive() {
        for (Instant due : List.of(TodoContent.DUE_MIN, TodoContent.DUE_MAX)) {
            Todo todo = Todo.create(TodoId.generate(T0), ANN, new TodoContent("due " + due, "", false, Optional.of(due)), T0);
            todos.create(todo);
            assertEquals(Optional.of(due), todos.find(ANN, todo.id()).orElseThrow().content().dueAt());
        }
    }

    @Test
    void creatingAnExistingIdReturnsFalseAndChangesNothing() {
        Todo first = created(ANN, "first", T0);
        Todo impostor = new Todo(first.id(), BOB, new TodoContent("impostor", "x", true, Optional.of(T0)),
                T0.plusSeconds(1), T0.plusSeconds(1), 3);

        assertFalse(todos.create(impostor));
        assertFalse(todos.create(first), "the same todo again");

        assertEquals(Optional.of(first), todos.find(ANN, first.id()));
        assertEquals(Optional.empty(), todos.find(BOB, first.id()));
        assertEquals(List.of(), all(BOB, Optional.empty()));
        assertEquals(List.of(first), all(ANN, Optional.empty()));
    }

    @Test
    void aTodoIsFoundOnlyByItsOwner() {
        Todo anns = created(ANN, "anns", T0);

        assertEquals(Optional.empty(), todos.find(BOB, anns.id()));
        assertEquals(Optional.empty(), todos.find(ANN, TodoId.generate(T0)), "never existed");
    }

    @Test
    void theListingHasOnlyTheOwnersTodosNewestFirst() {
        Todo second = created(ANN, "second", T0.plusSeconds(10));
        Todo third = created(ANN, "third", T0.plusSeconds(20));
        created(BOB, "bobs", T0.plusSeconds(15));
        Todo first = created(ANN, "first", T0);

        assertEquals(new Page<>(List.of(third, second, first), false), todos.list(ANN, Optional.empty(), Optional.empty(), 10));
        assertEquals(new Page<>(List.of(), false), todos.list(UserId.generate(T0), Optional.empty(), Optional.empty(), 10));
    }

    @Test
    void creationTimeOrdersBeforeTheIdAndTheIdBreaksTies() {
        // ids made at other times than their createdAt, so the two orders disagree
        Todo lateWithOldId = new Todo(TodoId.generate(T0), ANN, TodoContent.titled("late"), T0.plusSeconds(60),
                T0.plusSeconds(60), 0);
        Todo earlyWithNewId = new Todo(TodoId.generate(T0.plusSeconds(3600)), ANN, TodoContent.titled("early"), T0,
                T0, 0);
        List<Todo> tied = IntStream.range(0, 5).mapToObj(i -> todo(ANN, "tied " + i, false, T0.plusSeconds(30))).toList();
        todos.create(earlyWithNewId);
        tied.forEach(todos::create);
        todos.create(lateWithOldId);

        List<Todo> expected = new ArrayList<>();
        expected.add(lateWithOldId);
        expected.addAll(tied.stream().sorted(Comparator.comparing((Todo t) -> t.id().value()).reversed()).toList());
        expected.add(earlyWithNewId);
        assertEquals(expected, all(ANN, Optional.empty()));
    }

    @Test
    void theCompletedFilterKeepsOnlyMatchingTodos() {
        Todo open1 = created(ANN, "open 1", false, T0);
        Todo done1 = created(ANN, "done 1", true, T0.plusSeconds(1));
        Todo open2 = created(ANN, "open 2", false, T0.plusSeconds(2));
        Todo done2 = created(ANN, "done 2", true, T0.plusSeconds(3));
        created(BOB, "bobs done", true, T0.plusSeconds(4));
        created(BOB, "bobs open", false, T0.plusSeconds(4));

        assertEquals(List.of(done2, done1), all(ANN, Optional.of(true)));
        assertEquals(List.of(open2, open1), all(ANN, Optional.of(false)));
        assertEquals(List.of(done2, open2, done1, open1), all(ANN, Optional.empty()));
    }

    @Test
    void cursorPaginationWalksEveryTodoExactlyOnceWithEveryPageSize() {
        List<Todo> created = new ArrayList<>();
        // ties on the creation time, so some page boundaries fall inside a run of equal createdAt
        for (Instant at : List.of(T0, T0, T0, T0.plusMillis(1), T0.plusMillis(1), T0.plusSeconds(2), T0.plusSeconds(2),
                T0.plusSeconds(3))) {
            created.add(created(ANN, "todo " + created.size(), created.size() % 3 == 0, at));
        }
        created(BOB, "bobs", T0.plusMillis(1));

        List<Todo> expected = created.stream().sorted(NEWEST_FIRST).toList();
        assertEquals(expected, all(ANN, Optional.empty()));
        assertEveryWalkSees(expected, ANN, Optional.empty());
    }

    @Test
    void anExactlyFullPageSaysNoMoreFollow() {
        List<Todo> created = IntStream.range(0, 6).mapToObj(i -> created(ANN, "todo " + i, T0.plusSeconds(i))).toList();
        List<Todo> expected = created.reversed();

        assertEquals(new Page<>(expected, false), todos.list(ANN, Optional.empty(), Optional.empty(), 6));
        assertEquals(new Page<>(expected.subList(0, 5), true), todos.list(ANN, Optional.empty(), Optional.empty(), 5));
        Page<Todo> first = todos.list(ANN, Optional.empty(), Optional.empty(), 3);
        assertEquals(new Page<>(expected.subList(0, 3), true), first);
        assertEquals(new Page<>(expected.subList(3, 6), false),
                todos.list(ANN, Optional.empty(), Optional.of(Cursor.after(first.items().getLast())), 3));
        assertEquals(new Page<>(List.of(), false),
                todos.list(ANN, Optional.empty(), Optional.of(Cursor.after(expected.getLast())), 3), "after the last");
    }

    @Test
    void cursorPaginationWorksWithTheCompletedFilter() {
        List<Todo> created = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            // two todos per millisecond: ties again
            created.add(created(ANN, "todo " + i, i % 2 == 0, T0.plusMillis(i / 2)));
        }
        created(BOB, "bobs", true, T0);

        for (boolean completed : List.of(true, false)) {
            List<Todo> expected = created.stream().filter(t -> t.content().completed() == completed)
                    .sorted(NEWEST_FIRST).toList();
            assertEveryWalkSees(expected, ANN, Optional.of(completed));
        }
    }

    @Test
    void aCursorIsAPositionSoItWorksAfterItsTodoIsGone() {
        Todo a = created(ANN, "a", T0.plusSeconds(3));
        Todo b = created(ANN, "b", T0.plusSeconds(2));
        Todo c = created(ANN, "c", T0.plusSeconds(1));

        assertEquals(DeleteResult.DELETED, todos.delete(ANN, b.id(), OptionalLong.empty()));

        assertEquals(new Page<>(List.of(c), false), todos.list(ANN, Optional.empty(), Optional.of(Cursor.after(b)), 10));
        assertEquals(new Page<>(List.of(c), false), todos.list(ANN, Optional.empty(), Optional.of(Cursor.after(a)), 10));
    }

    @Test
    void anUpdateAtTheExpectedVersionIsStored() {
        Todo todo = new Todo(TodoId.generate(T0), ANN, new TodoContent("before", "old", false, Optional.of(T0)), T0, T0, 0);
        todos.create(todo);
        Todo changed = todo.with(new TodoContent("after ✓", "new", true, Optional.empty()), T0.plusSeconds(5));

        assertEquals(new UpdateResult.Updated(changed), todos.update(changed, 0));

        Todo found = todos.find(ANN, todo.id()).orElseThrow();
        assertEquals(changed, found);
        assertEquals(1, found.version());
        assertEquals(Optional.empty(), found.content().dueAt(), "the due date is removed");
        assertEquals(List.of(changed), all(ANN, Optional.of(true)), "the listing sees the new completed");
        assertEquals(List.of(), all(ANN, Optional.of(false)));

        Todo again = changed.with(TodoContent.titled("third"), T0.plusSeconds(6));
        assertEquals(new UpdateResult.Updated(again), todos.update(again, 1));
        assertEquals(Optional.of(again), todos.find(ANN, todo.id()));
    }

    @Test
    void anUpdateAtAnotherVersionIsAConflictAndChangesNothing() {
        Todo todo = created(ANN, "original", T0);
        Todo v1 = todo.with(TodoContent.titled("v1"), T0.plusSeconds(1));
        todos.update(v1, 0);

        Todo stale = todo.with(TodoContent.titled("stale"), T0.plusSeconds(2));
        assertInstanceOf(UpdateResult.VersionConflict.class, todos.update(stale, 0));
        assertInstanceOf(UpdateResult.VersionConflict.class, todos.update(v1.with(TodoContent.titled("ahead"), T0), 5));

        assertEquals(Optional.of(v1), todos.find(ANN, todo.id()));
    }

    @Test
    void anUpdateOfSomeoneElsesOrAnUnknownTodoIsNotFound() {
        Todo anns = created(ANN, "anns", T0);
        Todo hijack = new Todo(anns.id(), BOB, TodoContent.titled("hijacked"), T0, T0.plusSeconds(1), 1);

        assertInstanceOf(UpdateResult.NotFound.class, todos.update(hijack, 0));
        assertInstanceOf(UpdateResult.NotFound.class, todos.update(todo(ANN, "never", false, T0).with(
                TodoContent.titled("stored"), T0), 0));

        assertEquals(Optional.of(anns), todos.find(ANN, anns.id()));
        assertEquals(Optional.empty(), todos.find(BOB, anns.id()));
        assertEquals(List.of(anns), all(ANN, Optional.empty()));
        assertEquals(List.of(), all(BOB, Optional.empty()));
    }

    @Test
    void aDeleteWithoutVersionRemovesTheTodo() {
        Todo todo = created(ANN, "gone", T0);
        Todo other = created(ANN, "stays", T0);

        assertEquals(DeleteResult.DELETED, todos.delete(ANN, todo.id(), OptionalLong.empty()));

        assertEquals(Optional.empty(), todos.find(ANN, todo.id()));
        assertEquals(List.of(other), all(ANN, Optional.empty()));
        assertEquals(DeleteResult.NOT_FOUND, todos.delete(ANN, todo.id(), OptionalLong.empty()), "already gone");
        assertEquals(DeleteResult.NOT_FOUND, todos.delete(ANN, TodoId.generate(T0), OptionalLong.empty()), "never existed");
        assertEquals(DeleteResult.NOT_FOUND, todos.delete(ANN, TodoId.generate(T0), OptionalLong.of(0)), "never existed");
    }

    @Test
    void aDeleteAtTheExpectedVersionRemovesTheTodoAndAtAnotherLeavesIt() {
        Todo todo = created(ANN, "versioned", T0);
        Todo v1 = todo.with(TodoContent.titled("v1"), T0.plusSeconds(1));
        todos.update(v1, 0);

        assertEquals(DeleteResult.VERSION_CONFLICT, todos.delete(ANN, todo.id(), OptionalLong.of(0)));
        assertEquals(DeleteResult.VERSION_CONFLICT, todos.delete(ANN, todo.id(), OptionalLong.of(2)));
        assertEquals(Optional.of(v1), todos.find(ANN, todo.id()));

        assertEquals(DeleteResult.DELETED, todos.delete(ANN, todo.id(), OptionalLong.of(1)));
        assertEquals(Optional.empty(), todos.find(ANN, todo.id()));
        assertEquals(DeleteResult.NOT_FOUND, todos.delete(ANN, todo.id(), OptionalLong.of(1)), "already gone");
    }

    @Test
    void someoneElsesTodoIsNotFoundForDeletionAndStays() {
        Todo anns = created(ANN, "anns", T0);

        assertEquals(DeleteResult.NOT_FOUND, todos.delete(BOB, anns.id(), OptionalLong.empty()));
        assertEquals(DeleteResult.NOT_FOUND, todos.delete(BOB, anns.id(), OptionalLong.of(0)));
        assertEquals(DeleteResult.NOT_FOUND, todos.delete(BOB, anns.id(), OptionalLong.of(1)), "not a version conflict");

        assertEquals(Optional.of(anns), todos.find(ANN, anns.id()));
    }

    @Test
    void deleteAllOfRemovesEveryTodoOfThatOwnerOnly() {
        Todo a1 = created(ANN, "a1", T0);
        created(ANN, "a2", true, T0.plusMillis(1));
        Todo bobs = created(BOB, "bobs", T0);

        todos.deleteAllOf(ANN);

        assertEquals(List.of(), all(ANN, Optional.empty()));
        assertEquals(Optional.empty(), todos.find(ANN, a1.id()));
        assertEquals(List.of(bobs), all(BOB, Optional.empty()));
        todos.deleteAllOf(UserId.generate(T0)); // nobody's: harmless
        assertEquals(Optional.of(bobs), todos.find(BOB, bobs.id()));
    }

    @Test
    void ofConcurrentUpdatesOfOneVersionExactlyOneWins() throws Exception {
        Todo todo = created(ANN, "raced", T0);
        List<Todo> attempts = IntStream.range(0, Race.THREADS)
                .mapToObj(i -> todo.with(TodoContent.titled("writer " + i), T0.plusSeconds(1))).toList();

        List<UpdateResult> results = Race.run(i -> () -> todos.update(attempts.get(i), 0));

        List<Integer> winners = IntStream.range(0, results.size())
                .filter(i -> results.get(i) instanceof UpdateResult.Updated).boxed().toList();
        assertEquals(1, winners.size(), results::toString);
        assertEquals(Race.THREADS - 1, results.stream().filter(UpdateResult.VersionConflict.class::isInstance).count(),
                results::toString);
        assertEquals(Optional.of(attempts.get(winners.getFirst())), todos.find(ANN, todo.id()));
    }

    @Test
    void ofConcurrentCreatesOfOneIdExactlyOneStores() throws Exception {
        TodoId id = TodoId.generate(T0);
        List<Todo> attempts = IntStream.range(0, Race.THREADS)
                .mapToObj(i -> Todo.create(id, ANN, TodoContent.titled("writer " + i), T0)).toList();

        List<Boolean> results = Race.run(i -> () -> todos.create(attempts.get(i)));

        assertEquals(1, results.stream().filter(Boolean::booleanValue).count(), results::toString);
        assertEquals(Optional.of(attempts.get(results.indexOf(true))), todos.find(ANN, id));
    }
}
