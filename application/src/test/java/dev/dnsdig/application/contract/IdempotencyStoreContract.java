package dev.dnsdig.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.dnsdig.application.port.out.IdempotencyStore;
import dev.dnsdig.application.port.out.IdempotencyStore.Claim;
import dev.dnsdig.application.port.out.IdempotencyStore.Entry;
import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of every {@link IdempotencyStore}: subclass once per adapter and return a fresh, empty store.
 * Expiry is judged only by the {@code now} passed in.
 */
public abstract class IdempotencyStoreContract {
    /**
     * Far in the future on purpose: a store with a TTL index on a real MongoDB may drop records once the wall clock
     * passes their expiry, which must not change what these tests see. Whole milliseconds, as a BSON date keeps.
     */
    private static final Instant T0 = Instant.parse("2100-02-03T04:05:06.789Z");
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final UserId ANN = UserId.generate(T0);
    private static final UserId BOB = UserId.generate(T0.plusMillis(1));
    private static final IdempotencyKey KEY = new IdempotencyKey("6f1c0a8e-3f7b-4c5e-9a1d-2b8e4f6a7c90");

    protected IdempotencyStore keys;

    /** A fresh store with no keys in it. */
    protected abstract IdempotencyStore newStore();

    @BeforeEach
    void freshStore() {
        keys = newStore();
    }

    /** An entry as a create request makes it: a new todo with every field set, not yet completed. */
    private static Entry entry(UserId owner, IdempotencyKey key, String title, Instant now) {
        Todo todo = Todo.create(TodoId.generate(now), owner,
                new TodoContent(title, "for " + key, false, Optional.of(now.plus(Duration.ofDays(2)))), now);
        return new Entry(owner, key, todo, now.plus(RETENTION), false);
    }

    private static Entry completed(Entry entry) {
        return new Entry(entry.owner(), entry.key(), entry.created(), entry.expiresAt(), true);
    }

    private Entry claimed(UserId owner, IdempotencyKey key, String title, Instant now) {
        Entry entry = entry(owner, key, title, now);
        assertInstanceOf(Claim.Claimed.class, keys.claim(entry, now));
        return entry;
    }

    @Test
    void aFreeKeyIsClaimed() {
        assertInstanceOf(Claim.Claimed.class, keys.claim(entry(ANN, KEY, "first", T0), T0));
    }

    @Test
    void aSecondClaimIsTakenWithTheEarlierEntryExactly() {
        Entry first = claimed(ANN, KEY, "Äpfel 🍎 kaufen", T0);

        Claim second = keys.claim(entry(ANN, KEY, "other content", T0.plusSeconds(1)), T0.plusSeconds(1));

        assertEquals(new Claim.Taken(first), second);
        Entry earlier = ((Claim.Taken) second).earlier();
        assertEquals(false, earlier.completed());
        assertEquals(first.created(), earlier.created());
        assertEquals(new Claim.Taken(first), keys.claim(entry(ANN, KEY, "third", T0.plusSeconds(2)), T0.plusSeconds(2)),
                "a loser's entry is not stored");
    }

    @Test
    void completeMarksTheEntryCompletedAndKeepsTheRest() {
        Entry first = claimed(ANN, KEY, "first", T0);

        keys.complete(first);

        assertEquals(new Claim.Taken(completed(first)), keys.claim(entry(ANN, KEY, "again", T0), T0.plusSeconds(1)));
        keys.complete(first); // twice: harmless
        assertEquals(new Claim.Taken(completed(first)), keys.claim(entry(ANN, KEY, "again", T0), T0.plusSeconds(1)));
    }

    @Test
    void completingAnUnknownKeyRecordsNothing() {
        keys.complete(entry(ANN, KEY, "never claimed", T0));

        assertInstanceOf(Claim.Claimed.class, keys.claim(entry(ANN, KEY, "first", T0), T0));
    }

    @Test
    void aLateCompletionOfAnExpiredEntryDoesNotCompleteTheKeysNewClaim() {
        Entry first = claimed(ANN, KEY, "first", T0);
        Instant expiry = first.expiresAt();
        Entry second = entry(ANN, KEY, "second", expiry);
        assertInstanceOf(Claim.Claimed.class, keys.claim(second, expiry));

        keys.complete(first); // the first request, stalled for a day, finishes now

        assertEquals(new Claim.Taken(second), keys.claim(entry(ANN, KEY, "third", expiry), expiry),
                "the second claim is still not completed: its todo may not be stored yet");
    }

    @Test
    void theSameKeyOfAnotherOwnerIsIndependent() {
        Entry anns = claimed(ANN, KEY, "anns", T0);
        Entry bobs = claimed(BOB, KEY, "bobs", T0);

        keys.complete(anns);

        assertEquals(new Claim.Taken(completed(anns)), keys.claim(entry(ANN, KEY, "again", T0), T0));
        assertEquals(new Claim.Taken(bobs), keys.claim(entry(BOB, KEY, "again", T0), T0), "not completed by Ann's");
    }

    @Test
    void anotherKeyOfTheSameOwnerIsIndependent() {
        Entry first = claimed(ANN, KEY, "first", T0);
        IdempotencyKey other = new IdempotencyKey("other-key");
        Entry second = claimed(ANN, other, "second", T0);

        assertEquals(new Claim.Taken(first), keys.claim(entry(ANN, KEY, "again", T0), T0));
        assertEquals(new Claim.Taken(second), keys.claim(entry(ANN, other, "again", T0), T0));
    }

    @Test
    void anEntryIsLiveUntilTheInstantItExpires() {
        Entry first = claimed(ANN, KEY, "first", T0);
        Instant lastLive = first.expiresAt().minusMillis(1);

        assertEquals(new Claim.Taken(first), keys.claim(entry(ANN, KEY, "too early", lastLive), lastLive));
    }

    @Test
    void anExpiredEntryIsReplacedByTheNewClaim() {
        Entry first = claimed(ANN, KEY, "first", T0);
        keys.complete(first);
        Instant expiry = first.expiresAt(); // expiresAt == now counts as expired

        Entry second = entry(ANN, KEY, "second", expiry);
        assertInstanceOf(Claim.Claimed.class, keys.claim(second, expiry));

        assertEquals(new Claim.Taken(second), keys.claim(entry(ANN, KEY, "third", expiry.plusSeconds(1)),
                expiry.plusSeconds(1)), "the new entry, not completed, is what later claims see");
    }

    @Test
    void anEntryFarPastItsExpiryIsReplacedToo() {
        claimed(ANN, KEY, "first", T0);
        Instant muchLater = T0.plus(Duration.ofDays(400));

        Entry second = entry(ANN, KEY, "second", muchLater);
        assertInstanceOf(Claim.Claimed.class, keys.claim(second, muchLater));
        assertEquals(new Claim.Taken(second), keys.claim(entry(ANN, KEY, "third", muchLater), muchLater));
    }

    @Test
    void ofConcurrentClaimsOfOneKeyExactlyOneWinsAndTheOthersSeeItsEntry() throws Exception {
        List<Entry> entries = IntStream.range(0, Race.THREADS).mapToObj(i -> entry(ANN, KEY, "writer " + i, T0)).toList();

        List<Claim> results = Race.run(i -> () -> keys.claim(entries.get(i), T0));

        assertOneWinnerSeenByAll(entries, results);
    }

    @Test
    void ofConcurrentClaimsOfAnExpiredKeyExactlyOneReplacesIt() throws Exception {
        Entry old = claimed(ANN, KEY, "old", T0);
        Instant later = old.expiresAt().plusSeconds(1);
        List<Entry> entries = IntStream.range(0, Race.THREADS).mapToObj(i -> entry(ANN, KEY, "writer " + i, later)).toList();

        List<Claim> results = Race.run(i -> () -> keys.claim(entries.get(i), later));

        assertOneWinnerSeenByAll(entries, results);
    }

    private void assertOneWinnerSeenByAll(List<Entry> entries, List<Claim> results) {
        List<Integer> winners = IntStream.range(0, results.size())
                .filter(i -> results.get(i) instanceof Claim.Claimed).boxed().toList();
        assertEquals(1, winners.size(), results::toString);
        Entry winner = entries.get(winners.getFirst());
        for (int i = 0; i < results.size(); i++) {
            if (i != winners.getFirst()) {
                assertEquals(new Claim.Taken(winner), results.get(i));
            }
        }
        Instant now = winner.created().createdAt();
        assertEquals(new Claim.Taken(winner), keys.claim(entry(ANN, KEY, "after the race", now), now));
    }

    @Test
    void deleteAllOfForgetsOnlyThatOwnersKeys() {
        claimed(ANN, KEY, "anns", T0);
        IdempotencyKey other = new IdempotencyKey("other-key");
        claimed(ANN, other, "anns other", T0);
        Entry bobs = claimed(BOB, KEY, "bobs", T0);

        keys.deleteAllOf(ANN);

        assertInstanceOf(Claim.Claimed.class, keys.claim(entry(ANN, KEY, "new", T0), T0));
        assertInstanceOf(Claim.Claimed.class, keys.claim(entry(ANN, other, "new", T0), T0));
        assertEquals(new Claim.Taken(bobs), keys.claim(entry(BOB, KEY, "again", T0), T0));
        keys.deleteAllOf(UserId.generate(T0)); // nobody's: harmless
        assertEquals(new Claim.Taken(bobs), keys.claim(entry(BOB, KEY, "again", T0), T0));
    }
}
