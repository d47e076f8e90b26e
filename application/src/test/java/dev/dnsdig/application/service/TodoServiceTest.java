package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.application.fakes.CheapPasswordHasher;
import dev.dnsdig.application.fakes.InMemoryIdempotencyStore;
import dev.dnsdig.application.fakes.InMemoryRefreshTokenStore;
import dev.dnsdig.application.fakes.ForwardingTodoRepository;
import dev.dnsdig.application.fakes.InMemoryTodoRepository;
import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.port.in.ManageTodos;
import dev.dnsdig.application.port.in.ManageTodos.Change;
import dev.dnsdig.application.port.in.ManageTodos.Created;
import dev.dnsdig.application.port.in.ManageTodos.Precondition;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.TodoRepository;
import dev.dnsdig.application.port.out.TodoRepository.Cursor;
import dev.dnsdig.application.port.out.UserRepository.CreateResult;
import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoChange;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link TodoService}: ownership, listing, preconditions, idempotent creation, and no lost updates under
 * real concurrency.
 */
class TodoServiceTest {
    /** Nanoseconds on purpose: what the service stores is truncated to milliseconds. */
    private static final Instant START = Instant.parse("2025-01-01T09:00:00.123456789Z");
    private static final Instant START_MILLIS = Instant.parse("2025-01-01T09:00:00.123Z");
    private static final UserId ALICE = new UserId("01JGJ5Z3N0AAAAAAAAAAAAAAAA");
    private static final UserId BOB = new UserId("01JGJ5Z3N0BBBBBBBBBBBBBBBB");
    private static final TodoContent MILK = TodoContent.titled("Buy milk");
    private static final TodoContent BREAD = TodoContent.titled("Buy bread");
    private static final Optional<IdempotencyKey> KEY = Optional.of(new IdempotencyKey("6f1c1e5e-3a0b-4a4f-9d55-0c1f4e1d2b7a"));
    private static final Optional<Cursor> FIRST_PAGE = Optional.empty();
    private static final Optional<Boolean> ALL = Optional.empty();

    private MutableClock clock;
    private InMemoryTodoRepository repository;
    private InMemoryIdempotencyStore keys;
    private TodoService service;

    @BeforeEach
    void wire() {
        clock = new MutableClock(START);
        repository = new InMemoryTodoRepository();
        keys = new InMemoryIdempotencyStore();
        service = new TodoService(repository, keys, clock);
    }

    // ---- helpers

    private Todo create(UserId owner, TodoContent content) {
        return assertInstanceOf(Created.New.class, service.create(owner, content, Optional.empty())).todo();
    }

    private Todo create(UserId owner, String title) {
        return create(owner, TodoContent.titled(title));
    }

    private Todo stored(Todo todo) {
        return repository.find(todo.owner(), todo.id()).orElseThrow();
    }

    private List<Todo> all(UserId owner) {
        return service.list(owner, ALL, FIRST_PAGE, ManageTodos.MAX_PAGE).items();
    }

    private static Todo changed(Change change) {
        return assertInstanceOf(Change.Changed.class, change).todo();
    }

    private static TodoChange title(String title) {
        return new TodoChange(Optional.of(title), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static TodoChange completed(boolean completed) {
        return new TodoChange(Optional.empty(), Optional.empty(), Optional.of(completed), Optional.empty());
    }

    private static Precondition at(Long... versions) {
        return Precondition.versions(Set.of(versions));
    }


    /** Holds the first {@code racers} reads until all of them have read: every racer reads before any writes. */
    private static final class ReadTogether extends ForwardingTodoRepository {
        private final int racers;
        private final CyclicBarrier allRead;
        private final AtomicInteger finds = new AtomicInteger();

        ReadTogether(InMemoryTodoRepository delegate, int racers) {
            super(delegate);
            this.racers = racers;
            this.allRead = new CyclicBarrier(racers);
        }

        @Override
        public Optional<Todo> find(UserId owner, TodoId id) {
            Optional<Todo> read = super.find(owner, id);
            if (finds.incrementAndGet() <= racers) {
                try {
                    allRead.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the racers did not all read", e);
                }
            }
            return read;
        }
    }

    /** Runs the tasks at once, each on its own platform thread, and returns their results in order. */
    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(20, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- create and get

    @Test
    void createStoresANewTodoAtVersionZeroWithMillisecondTimestamps() {
        Created created = service.create(ALICE, MILK, Optional.empty());

        Todo todo = assertInstanceOf(Created.New.class, created).todo();
        assertEquals(ALICE, todo.owner());
        assertEquals(MILK, todo.content());
        assertEquals(0, todo.version());
        assertEquals(START_MILLIS, todo.createdAt());
        assertEquals(START_MILLIS, todo.updatedAt());
        assertEquals(START_MILLIS.toEpochMilli(), idMillis(todo.id()), "the id carries the creation time");
        assertEquals(Optional.of(todo), repository.find(ALICE, todo.id()), "stored exactly as returned");
    }

    /** The milliseconds in a ULID's first ten characters. */
    private static long idMillis(TodoId id) {
        String crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = millis * 32 + crockford.indexOf(id.value().charAt(i));
        }
        return millis;
    }

    @Test
    void createWithoutAKeyAlwaysCreatesANewTodo() {
        Todo first = create(ALICE, MILK);
        Todo second = create(ALICE, MILK);

        assertNotEquals(first.id(), second.id());
        assertEquals(2, all(ALICE).size());
    }

    @Test
    void getFindsTheOwnersTodoOnly() {
        Todo todo = create(ALICE, MILK);

        assertEquals(Optional.of(todo), service.get(ALICE, todo.id()));
        assertEquals(Optional.empty(), service.get(BOB, todo.id()), "someone else's looks like none at all");
        assertEquals(Optional.empty(), service.get(ALICE, TodoId.generate(START)));
    }

    // ---- list

    @Test
    void listIsNewestFirstAndPagesWithACursor() {
        List<Todo> created = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            created.add(create(ALICE, "todo " + i));
            clock.advance(Duration.ofSeconds(1));
        }
        create(BOB, "not alice's");

        Page<Todo> first = service.list(ALICE, ALL, FIRST_PAGE, 2);
        assertEquals(List.of(created.get(4), created.get(3)), first.items());
        assertTrue(first.more());

        Page<Todo> second = service.list(ALICE, ALL, Optional.of(Cursor.after(created.get(3))), 2);
        assertEquals(List.of(created.get(2), created.get(1)), second.items());
        assertTrue(second.more());

        Page<Todo> last = service.list(ALICE, ALL, Optional.of(Cursor.after(created.get(1))), 2);
        assertEquals(List.of(created.get(0)), last.items());
        assertEquals(false, last.more());

        assertEquals(List.of(created.get(4), created.get(3), created.get(2), created.get(1), created.get(0)), all(ALICE));
    }

    @Test
    void pagingWalksTodosOfOneMillisecondWithoutGapsOrRepeats() {
        Set<TodoId> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(create(ALICE, "same instant " + i).id());
        }

        List<Todo> walked = new ArrayList<>();
        Optional<Cursor> after = FIRST_PAGE;
        Page<Todo> page;
        do {
            page = service.list(ALICE, ALL, after, 3);
            walked.addAll(page.items());
            after = Optional.of(Cursor.after(page.items().getLast()));
        } while (page.more());

        assertEquals(7, walked.size());
        assertEquals(created, new HashSet<>(walked.stream().map(Todo::id).toList()));
        assertEquals(all(ALICE), walked);
    }

    @Test
    void listFiltersByCompletion() {
        Todo open = create(ALICE, "open");
        clock.advance(Duration.ofSeconds(1));
        Todo done = changed(service.patch(ALICE, create(ALICE, "done").id(), completed(true), Precondition.none()));
        clock.advance(Duration.ofSeconds(1));
        Todo alsoOpen = create(ALICE, "also open");

        assertEquals(List.of(done), service.list(ALICE, Optional.of(true), FIRST_PAGE, 10).items());
        assertEquals(List.of(alsoOpen, open), service.list(ALICE, Optional.of(false), FIRST_PAGE, 10).items());
        assertEquals(List.of(alsoOpen, done, open), service.list(ALICE, ALL, FIRST_PAGE, 10).items());
    }

    @Test
    void theLimitIsOneToOneHundred() {
        create(ALICE, MILK);

        for (int bad : new int[] {0, -1, ManageTodos.MAX_PAGE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            InvalidValueException e = assertThrows(InvalidValueException.class,
                    () -> service.list(ALICE, ALL, FIRST_PAGE, bad), String.valueOf(bad));
            assertEquals("limit", e.field());
            assertEquals("limit must be between 1 and 100", e.getMessage());
        }
        assertEquals(1, service.list(ALICE, ALL, FIRST_PAGE, 1).items().size());
        assertEquals(1, service.list(ALICE, ALL, FIRST_PAGE, 100).items().size());
    }

    // ---- replace and patch

    @Test
    void replaceStoresTheNewContentAsTheNextVersion() {
        Todo todo = create(ALICE, MILK);
        clock.advance(Duration.ofMinutes(5));
        TodoContent content = new TodoContent("Buy oat milk", "the barista one", true, Optional.of(START.plusSeconds(86_400)));

        Todo after = changed(service.replace(ALICE, todo.id(), content, Precondition.none()));

        assertEquals(new Todo(todo.id(), ALICE, content, START_MILLIS, START_MILLIS.plus(Duration.ofMinutes(5)), 1), after);
        assertEquals(after, stored(todo));
    }

    @Test
    void patchChangesOnlyTheFieldsGivenAsTheNextVersion() {
        Todo todo = create(ALICE, new TodoContent("Buy milk", "two litres", false, Optional.of(START_MILLIS)));
        clock.advance(Duration.ofMinutes(5));

        Todo after = changed(service.patch(ALICE, todo.id(), completed(true), Precondition.none()));

        assertEquals(new TodoContent("Buy milk", "two litres", true, Optional.of(START_MILLIS)), after.content());
        assertEquals(1, after.version());
        assertEquals(START_MILLIS, after.createdAt(), "createdAt stays");
        assertEquals(START_MILLIS.plus(Duration.ofMinutes(5)), after.updatedAt(), "updatedAt moves");
        assertEquals(after, stored(todo));

        clock.advance(Duration.ofSeconds(1));
        Todo again = changed(service.patch(ALICE, todo.id(), title("Buy bread"), Precondition.none()));
        assertEquals(2, again.version());
        assertEquals(new TodoContent("Buy bread", "two litres", true, Optional.of(START_MILLIS)), again.content());
        assertEquals(START_MILLIS, again.createdAt());
    }

    @Test
    void aChangeThatChangesNothingKeepsTheVersionAndUpdatedAt() {
        Todo todo = create(ALICE, MILK);
        clock.advance(Duration.ofMinutes(5));

        assertEquals(todo, changed(service.patch(ALICE, todo.id(), TodoChange.none(), Precondition.none())));
        assertEquals(todo, changed(service.patch(ALICE, todo.id(), title("  Buy milk "), Precondition.none())),
                "the same title after trimming");
        assertEquals(todo, changed(service.replace(ALICE, todo.id(), MILK, Precondition.none())));
        assertEquals(todo, changed(service.patch(ALICE, todo.id(), completed(false), at(0L))));
        assertEquals(todo, stored(todo));
    }

    @Test
    void anInvalidPatchChangesNothing() {
        Todo todo = create(ALICE, MILK);

        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> service.patch(ALICE, todo.id(), title("   "), Precondition.none()));

        assertEquals("title", e.field());
        assertEquals(todo, stored(todo));
    }

    @Test
    void changingAMissingTodoIsNotFound() {
        TodoId missing = TodoId.generate(START);

        assertEquals(new Change.NotFound(), service.patch(ALICE, missing, title("x"), Precondition.none()));
        assertEquals(new Change.NotFound(), service.replace(ALICE, missing, MILK, at(0L)));
        assertEquals(new Change.NotFound(), service.delete(ALICE, missing, Precondition.none()));
    }

    // ---- preconditions

    @Test
    void aMatchingVersionApplies() {
        Todo todo = create(ALICE, MILK);

        Todo v1 = changed(service.patch(ALICE, todo.id(), completed(true), at(0L)));
        Todo v2 = changed(service.replace(ALICE, todo.id(), BREAD, at(1L)));

        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals(BREAD, stored(todo).content());
    }

    @Test
    void aStaleVersionIsRefusedWithTheCurrentTodoAndNothingChanges() {
        Todo todo = create(ALICE, MILK);
        Todo current = changed(service.patch(ALICE, todo.id(), completed(true), Precondition.none()));
        clock.advance(Duration.ofMinutes(1));

        assertEquals(new Change.Stale(current), service.patch(ALICE, todo.id(), title("Mine"), at(0L)));
        assertEquals(new Change.Stale(current), service.replace(ALICE, todo.id(), BREAD, at(0L)));
        assertEquals(new Change.Stale(current), service.patch(ALICE, todo.id(), TodoChange.none(), at(0L)),
                "even a change that changes nothing");
        assertEquals(current, stored(todo));
    }

    @Test
    void anyOfASetOfVersionsApplies() {
        Todo todo = create(ALICE, MILK);
        changed(service.patch(ALICE, todo.id(), completed(true), Precondition.none()));

        Todo v2 = changed(service.patch(ALICE, todo.id(), title("Either"), at(0L, 1L, 7L)));
        assertEquals(2, v2.version());

        assertEquals(new Change.Stale(v2), service.patch(ALICE, todo.id(), title("Neither"), at(0L, 1L, 3L)));
        assertEquals(new Change.Stale(v2), service.patch(ALICE, todo.id(), title("None"), at()), "an empty set matches nothing");
        assertEquals(v2, stored(todo));
    }

    // ---- delete

    @Test
    void deleteWithoutPreconditionRemovesTheTodo() {
        Todo todo = create(ALICE, MILK);
        Todo other = create(ALICE, BREAD);

        assertEquals(new Change.Changed(todo), service.delete(ALICE, todo.id(), Precondition.none()));

        assertEquals(Optional.empty(), service.get(ALICE, todo.id()));
        assertEquals(List.of(other), all(ALICE));
        assertEquals(new Change.NotFound(), service.delete(ALICE, todo.id(), Precondition.none()), "already gone");
    }

    @Test
    void deleteWithAMatchingVersionRemovesTheTodo() {
        Todo todo = create(ALICE, MILK);
        Todo v1 = changed(service.patch(ALICE, todo.id(), completed(true), Precondition.none()));

        assertEquals(new Change.Changed(v1), service.delete(ALICE, todo.id(), at(0L, 1L)));

        assertEquals(List.of(), all(ALICE));
    }

    @Test
    void deleteWithAStaleVersionLeavesTheTodo() {
        Todo todo = create(ALICE, MILK);
        Todo v1 = changed(service.patch(ALICE, todo.id(), completed(true), Precondition.none()));

        assertEquals(new Change.Stale(v1), service.delete(ALICE, todo.id(), at(0L)));

        assertEquals(Optional.of(v1), service.get(ALICE, todo.id()));
    }

    @Test
    void deleteReportsTheTodoItDeletedEvenWhenItChangedAfterTheRead() {
        Todo todo = create(ALICE, MILK);
        Todo[] changedMeanwhile = new Todo[1];
        ForwardingTodoRepository changingUnderneath = new ForwardingTodoRepository(repository) {
            private boolean first = true;

            @Override
            public DeleteResult delete(UserId owner, TodoId id, OptionalLong expectedVersion) {
                if (first) {
                    first = false; // another request stores a change between the service's read and its delete
                    Todo current = delegate.find(owner, id).orElseThrow();
                    changedMeanwhile[0] = current.with(BREAD, current.updatedAt());
                    delegate.update(changedMeanwhile[0], current.version());
                }
                return delegate.delete(owner, id, expectedVersion);
            }
        };
        service = new TodoService(changingUnderneath, keys, clock);

        Change result = service.delete(ALICE, todo.id(), Precondition.none());

        assertEquals(new Change.Changed(changedMeanwhile[0]), result, "the version that was deleted, not the one first read");
        assertEquals(Optional.empty(), repository.find(ALICE, todo.id()));
    }

    @Test
    void deleteWithAPreconditionThatWentStaleAfterTheReadLeavesTheTodo() {
        Todo todo = create(ALICE, MILK);
        ForwardingTodoRepository changingUnderneath = new ForwardingTodoRepository(repository) {
            private boolean first = true;

            @Override
            public DeleteResult delete(UserId owner, TodoId id, OptionalLong expectedVersion) {
                if (first) {
                    first = false;
                    Todo current = delegate.find(owner, id).orElseThrow();
                    delegate.update(current.with(BREAD, current.updatedAt()), current.version());
                }
                return delegate.delete(owner, id, expectedVersion);
            }
        };
        service = new TodoService(changingUnderneath, keys, clock);

        Change result = service.delete(ALICE, todo.id(), at(0L));

        Todo current = repository.find(ALICE, todo.id()).orElseThrow();
        assertEquals(new Change.Stale(current), result);
        assertEquals(1, current.version());
    }

    // ---- ownership

    @Test
    void anotherOwnersTodoIsNotFoundForEveryChangeAndStaysUnchanged() {
        Todo alices = changed(service.patch(ALICE, create(ALICE, MILK).id(), completed(true), Precondition.none()));

        assertEquals(new Change.NotFound(), service.replace(BOB, alices.id(), BREAD, Precondition.none()));
        assertEquals(new Change.NotFound(), service.patch(BOB, alices.id(), title("Bob's now"), Precondition.none()));
        assertEquals(new Change.NotFound(), service.delete(BOB, alices.id(), Precondition.none()));
        // a precondition must not reveal the todo either: not Stale, which would carry it
        assertEquals(new Change.NotFound(), service.replace(BOB, alices.id(), BREAD, at(0L)));
        assertEquals(new Change.NotFound(), service.patch(BOB, alices.id(), title("x"), at(1L)));
        assertEquals(new Change.NotFound(), service.delete(BOB, alices.id(), at(0L)));

        assertEquals(alices, stored(alices));
        assertEquals(List.of(), all(BOB));
    }

    // ---- idempotency

    @Test
    void aRepeatWithTheSameKeyAndContentReplaysTheFirstTodo() {
        Todo first = assertInstanceOf(Created.New.class, service.create(ALICE, MILK, KEY)).todo();
        clock.advance(Duration.ofMinutes(10));

        Created repeat = service.create(ALICE, TodoContent.titled("  Buy milk  "), KEY);

        assertEquals(new Created.Replayed(first), repeat, "the very first todo, same id and timestamps");
        assertEquals(List.of(first), all(ALICE), "only one todo stored");
    }

    @Test
    void aRepeatAfterTheTodoChangedStillReplaysItAsFirstCreated() {
        Todo first = assertInstanceOf(Created.New.class, service.create(ALICE, MILK, KEY)).todo();
        Todo v1 = changed(service.patch(ALICE, first.id(), completed(true), Precondition.none()));

        assertEquals(new Created.Replayed(first), service.create(ALICE, MILK, KEY));
        assertEquals(List.of(v1), all(ALICE), "the change is not undone");
    }

    @Test
    void theSameKeyForOtherContentIsRefusedAndNothingIsStored() {
        Todo first = assertInstanceOf(Created.New.class, service.create(ALICE, MILK, KEY)).todo();

        assertEquals(new Created.KeyReused(), service.create(ALICE, BREAD, KEY));
        assertEquals(new Created.KeyReused(), service.create(ALICE, new TodoContent("Buy milk", "", true, Optional.empty()), KEY),
                "one field differs");

        assertEquals(List.of(first), all(ALICE));
    }

    @Test
    void differentUsersMayUseTheSameKey() {
        Todo alices = assertInstanceOf(Created.New.class, service.create(ALICE, MILK, KEY)).todo();
        Todo bobs = assertInstanceOf(Created.New.class, service.create(BOB, MILK, KEY)).todo();

        assertNotEquals(alices.id(), bobs.id());
        assertEquals(List.of(alices), all(ALICE));
        assertEquals(List.of(bobs), all(BOB));
        assertEquals(new Created.Replayed(bobs), service.create(BOB, MILK, KEY));
        assertEquals(new Created.Replayed(alices), service.create(ALICE, MILK, KEY));
    }

    @Test
    void differentKeysOfOneUserCreateDifferentTodos() {
        Todo first = assertInstanceOf(Created.New.class, service.create(ALICE, MILK, KEY)).todo();
        Todo second = assertInstanceOf(Created.New.class,
                service.create(ALICE, MILK, Optional.of(new IdempotencyKey("another-key")))).todo();

        assertNotEquals(first.id(), second.id());
        assertEquals(2, all(ALICE).size());
    }

    @Test
    void aKeyIsForgottenAfterTheRetention() {
        Todo first = assertInstanceOf(Created.New.class, service.create(ALICE, MILK, KEY)).todo();

        clock.advance(ManageTodos.KEY_RETENTION.minusMillis(1));
        assertEquals(new Created.Replayed(first), service.create(ALICE, MILK, KEY), "still remembered");

        clock.advance(Duration.ofMillis(1));
        Todo second = assertInstanceOf(Created.New.class, service.create(ALICE, MILK, KEY)).todo();
        assertNotEquals(first.id(), second.id());
        assertEquals(List.of(second, first), all(ALICE));

        // the key now stands for the second todo, for another full retention
        clock.advance(ManageTodos.KEY_RETENTION.minusMillis(1));
        assertEquals(new Created.Replayed(second), service.create(ALICE, MILK, KEY));
        assertEquals(new Created.KeyReused(), service.create(ALICE, BREAD, KEY));
    }

    @Test
    void anExpiredKeyMayBeUsedForOtherContent() {
        service.create(ALICE, MILK, KEY);
        clock.advance(ManageTodos.KEY_RETENTION);

        Todo bread = assertInstanceOf(Created.New.class, service.create(ALICE, BREAD, KEY)).todo();

        assertEquals(BREAD, bread.content());
        assertEquals(2, all(ALICE).size());
    }

    @Test
    void aRepeatCompletesAFirstRequestThatStoppedAfterClaimingTheKey() {
        AtomicInteger creates = new AtomicInteger();
        ForwardingTodoRepository failingOnce = new ForwardingTodoRepository(repository) {
            @Override
            public boolean create(Todo todo) {
                if (creates.incrementAndGet() == 1) {
                    throw new IllegalStateException("the database went away");
                }
                return super.create(todo);
            }
        };
        service = new TodoService(failingOnce, keys, clock);

        assertThrows(IllegalStateException.class, () -> service.create(ALICE, MILK, KEY));
        assertEquals(List.of(), all(ALICE), "the first request stored no todo");

        clock.advance(Duration.ofSeconds(30));
        Todo replayed = assertInstanceOf(Created.Replayed.class, service.create(ALICE, MILK, KEY)).todo();
        assertEquals(List.of(replayed), all(ALICE), "the repeat stored the todo the first request meant to");
        assertEquals(START_MILLIS, replayed.createdAt(), "as the first request made it");
        assertEquals(0, replayed.version());
        assertEquals(2, creates.get());

        assertEquals(new Created.Replayed(replayed), service.create(ALICE, MILK, KEY));
        assertEquals(2, creates.get(), "the key is marked completed: the next repeat stores nothing");
        assertEquals(List.of(replayed), all(ALICE));
    }

    @Test
    void aRepeatWithOtherContentDoesNotCompleteAnInterruptedFirstRequest() {
        ForwardingTodoRepository failingOnce = new ForwardingTodoRepository(repository) {
            private boolean failed;

            @Override
            public boolean create(Todo todo) {
                if (!failed) {
                    failed = true;
                    throw new IllegalStateException("the database went away");
                }
                return super.create(todo);
            }
        };
        service = new TodoService(failingOnce, keys, clock);
        assertThrows(IllegalStateException.class, () -> service.create(ALICE, MILK, KEY));

        assertEquals(new Created.KeyReused(), service.create(ALICE, BREAD, KEY));

        assertEquals(List.of(), all(ALICE));
    }

    // ---- concurrency

    @Test
    void twoPatchesWithTheSamePreconditionRacingOneWinsOneIsStale() throws Exception {
        Todo todo = create(ALICE, MILK);
        service = new TodoService(new ReadTogether(repository, 2), keys, clock);

        List<Change> results = race(List.<Callable<Change>>of(
                () -> service.patch(ALICE, todo.id(), title("from A"), at(0L)),
                () -> service.patch(ALICE, todo.id(), title("from B"), at(0L))));

        List<Change.Changed> winners = results.stream().filter(Change.Changed.class::isInstance).map(Change.Changed.class::cast).toList();
        List<Change.Stale> losers = results.stream().filter(Change.Stale.class::isInstance).map(Change.Stale.class::cast).toList();
        assertEquals(1, winners.size(), results.toString());
        assertEquals(1, losers.size(), results.toString());
        Todo stored = stored(todo);
        assertEquals(winners.getFirst().todo(), stored);
        assertEquals(1, stored.version());
        assertEquals(losers.getFirst().current(), stored, "the loser learns the winner's version");
        String winnersTitle = results.getFirst() instanceof Change.Changed ? "from A" : "from B";
        assertEquals(winnersTitle, stored.content().title());
    }

    @Test
    void twoPatchesWithoutPreconditionRacingBothApply() throws Exception {
        Todo todo = create(ALICE, MILK);
        service = new TodoService(new ReadTogether(repository, 2), keys, clock);

        List<Change> results = race(List.<Callable<Change>>of(
                () -> service.patch(ALICE, todo.id(), title("Buy oat milk"), Precondition.none()),
                () -> service.patch(ALICE, todo.id(), completed(true), Precondition.none())));

        Set<Long> versions = new HashSet<>();
        for (Change result : results) {
            versions.add(changed(result).version());
        }
        assertEquals(Set.of(1L, 2L), versions, "one stored first, the other re-read and stored on top");
        Todo stored = stored(todo);
        assertEquals(2, stored.version());
        assertEquals(new TodoContent("Buy oat milk", "", true, Optional.empty()), stored.content(), "no update lost");
    }

    @Test
    void fourRacingPatchesOfDifferentFieldsAreAllKept() throws Exception {
        Todo todo = create(ALICE, MILK);
        Instant due = Instant.parse("2025-02-01T10:00:00Z");
        service = new TodoService(new ReadTogether(repository, 4), keys, clock);

        List<Change> results = race(List.<Callable<Change>>of(
                () -> service.patch(ALICE, todo.id(), title("Buy oat milk"), Precondition.none()),
                () -> service.patch(ALICE, todo.id(), new TodoChange(Optional.empty(), Optional.of("two litres"),
                        Optional.empty(), Optional.empty()), Precondition.none()),
                () -> service.patch(ALICE, todo.id(), completed(true), Precondition.none()),
                () -> service.patch(ALICE, todo.id(), new TodoChange(Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.of(Optional.of(due))), Precondition.none())));

        Set<Long> versions = new HashSet<>();
        results.forEach(result -> versions.add(changed(result).version()));
        assertEquals(Set.of(1L, 2L, 3L, 4L), versions, "each stored once, in some order");
        Todo stored = stored(todo);
        assertEquals(4, stored.version());
        assertEquals(new TodoContent("Buy oat milk", "two litres", true, Optional.of(due)), stored.content());
    }

    @Test
    void aTodoThatKeepsChangingMakesTheServiceGiveUp() {
        Todo todo = create(ALICE, MILK);
        AtomicInteger updates = new AtomicInteger();
        AtomicInteger deletes = new AtomicInteger();
        service = new TodoService(new ForwardingTodoRepository(repository) {
            @Override
            public UpdateResult update(Todo changed, long expectedVersion) {
                updates.incrementAndGet();
                return new UpdateResult.VersionConflict();
            }

            @Override
            public DeleteResult delete(UserId owner, TodoId id, OptionalLong expectedVersion) {
                deletes.incrementAndGet();
                return DeleteResult.VERSION_CONFLICT;
            }
        }, keys, clock);

        assertThrows(IllegalStateException.class, () -> service.patch(ALICE, todo.id(), title("x"), Precondition.none()));
        assertTrue(updates.get() > 1 && updates.get() <= 100, "retried, but not forever: " + updates.get());
        assertThrows(IllegalStateException.class, () -> service.replace(ALICE, todo.id(), BREAD, at(0L)));
        assertThrows(IllegalStateException.class, () -> service.delete(ALICE, todo.id(), at(0L)));
        assertTrue(deletes.get() > 1 && deletes.get() <= 100, "retried, but not forever: " + deletes.get());

        assertEquals(todo, stored(todo));
    }

    // ---- account deletion

    @Test
    void deletingAnAccountDeletesThatUsersTodosAndKeysOnly() {
        InMemoryUserRepository users = new InMemoryUserRepository();
        User alice = user(users, "alice");
        User bob = user(users, "bob");
        AccountService accounts = new AccountService(users, new InMemoryRefreshTokenStore(), new CheapPasswordHasher(),
                Set.of(), clock, repository, keys);
        Todo alicesKeyed = assertInstanceOf(Created.New.class, service.create(alice.id(), MILK, KEY)).todo();
        create(alice.id(), BREAD);
        Todo bobsKeyed = assertInstanceOf(Created.New.class, service.create(bob.id(), MILK, KEY)).todo();
        clock.advance(Duration.ofSeconds(1));
        Todo bobsOther = create(bob.id(), BREAD);

        assertTrue(accounts.deleteAccount(alice.id()));

        assertEquals(List.of(), all(alice.id()));
        assertEquals(Optional.empty(), repository.find(alice.id(), alicesKeyed.id()));
        assertEquals(List.of(bobsOther, bobsKeyed), all(bob.id()));
        Todo fresh = assertInstanceOf(Created.New.class, service.create(alice.id(), MILK, KEY), "alice's key is forgotten").todo();
        assertNotEquals(alicesKeyed.id(), fresh.id());
        assertEquals(new Created.Replayed(bobsKeyed), service.create(bob.id(), MILK, KEY), "bob's key is remembered");
    }

    private User user(InMemoryUserRepository users, String name) {
        clock.advance(Duration.ofMillis(1));
        User user = User.create(UserId.generate(clock.instant()), new Email(name + "@example.com"), new Username(name),
                Optional.empty(), Optional.empty(), List.of(), false, clock.instant());
        return assertInstanceOf(CreateResult.Created.class, users.create(user)).user();
    }
}
