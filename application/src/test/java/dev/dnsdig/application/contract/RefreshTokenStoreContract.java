package dev.dnsdig.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsdig.application.port.out.RefreshTokenStore;
import dev.dnsdig.application.port.out.RefreshTokenStore.Consumption;
import dev.dnsdig.application.port.out.RefreshTokenStore.RefreshToken;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of every {@link RefreshTokenStore}: subclass once per adapter and return a fresh, empty store.
 * Expiry is judged only by the {@code now} passed in, so tokens here expire long ago by the wall clock.
 */
public abstract class RefreshTokenStoreContract {
    /** Far in the past on purpose: a store that used a TTL or the wall clock would fail every test. */
    private static final Instant ISSUED = Instant.parse("2001-02-03T04:05:06.789Z");
    private static final Instant EXPIRES = ISSUED.plus(Duration.ofDays(30));
    private static final Instant BEFORE_EXPIRY = EXPIRES.minusMillis(1);

    private static final UserId ANN = UserId.generate(ISSUED);
    private static final UserId BOB = UserId.generate(ISSUED.plusMillis(1));

    protected RefreshTokenStore tokens;

    /** A fresh store with no tokens in it. */
    protected abstract RefreshTokenStore newStore();

    @BeforeEach
    void freshStore() {
        tokens = newStore();
    }

    private RefreshToken saved(String hash, String family, UserId user) {
        RefreshToken token = new RefreshToken(hash, family, user, ISSUED, EXPIRES);
        tokens.save(token);
        return token;
    }

    @Test
    void aTokenSavedAfterItsFamilyWasRevokedIsRevokedToo() {
        // the race: a legitimate refresh rotates the family while a reuse of its old token revokes the family;
        // the rotated token, saved a moment after the revocation, must not escape it
        saved("hash-old", "family-r", ANN);
        tokens.revokeFamily("family-r");
        saved("hash-new", "family-r", ANN);
        assertEquals(new Consumption.Invalid("refresh token revoked"), tokens.consume("hash-new", ISSUED));
    }

    @Test
    void aSavedTokenIsConsumedOnceWithEveryFieldIntact() {
        RefreshToken token = saved("hash-1", "family-1", ANN);

        assertEquals(new Consumption.Consumed(token), tokens.consume("hash-1", ISSUED));
    }

    @Test
    void findUsableShowsWhatConsumeWouldTakeAndTakesNothing() {
        RefreshToken token = saved("hash-1", "family-1", ANN);

        assertEquals(Optional.of(token), tokens.findUsable("hash-1", ISSUED));
        assertEquals(Optional.of(token), tokens.findUsable("hash-1", BEFORE_EXPIRY), "asked twice, still there");
        assertEquals(Optional.empty(), tokens.findUsable("hash-1", EXPIRES), "expired by the given now");
        assertEquals(Optional.empty(), tokens.findUsable("hash-2", ISSUED), "unknown");
        assertEquals(new Consumption.Consumed(token), tokens.consume("hash-1", ISSUED), "finding took nothing");
        assertEquals(Optional.empty(), tokens.findUsable("hash-1", ISSUED), "used");
    }

    @Test
    void findUsableFindsNothingOfARevokedFamilyOrUser() {
        saved("hash-1", "family-1", ANN);
        saved("hash-2", "family-2", BOB);
        RefreshToken kept = saved("hash-3", "family-3", ANN);

        tokens.revokeFamily("family-1");
        tokens.revokeUser(BOB);
        saved("hash-4", "family-1", ANN); // saved after its family was revoked: born revoked

        assertEquals(Optional.empty(), tokens.findUsable("hash-1", ISSUED));
        assertEquals(Optional.empty(), tokens.findUsable("hash-2", ISSUED));
        assertEquals(Optional.empty(), tokens.findUsable("hash-4", ISSUED));
        assertEquals(Optional.of(kept), tokens.findUsable("hash-3", ISSUED));
    }

    @Test
    void aSecondConsumeIsAlreadyUsedAndNamesTheToken() {
        RefreshToken token = saved("hash-1", "family-1", ANN);
        tokens.consume("hash-1", ISSUED);

        assertEquals(new Consumption.AlreadyUsed(token), tokens.consume("hash-1", ISSUED.plusSeconds(1)));
        assertEquals(new Consumption.AlreadyUsed(token), tokens.consume("hash-1", ISSUED.plusSeconds(2)));
    }

    @Test
    void anUnknownTokenIsInvalid() {
        saved("hash-1", "family-1", ANN);

        assertInstanceOf(Consumption.Invalid.class, tokens.consume("hash-2", ISSUED));
        assertInstanceOf(Consumption.Invalid.class, tokens.consume("HASH-1", ISSUED));
    }

    @Test
    void expiryIsJudgedByTheGivenNowOnly() {
        RefreshToken token = saved("hash-1", "family-1", ANN);

        assertInstanceOf(Consumption.Invalid.class, tokens.consume("hash-1", EXPIRES));
        assertInstanceOf(Consumption.Invalid.class, tokens.consume("hash-1", EXPIRES.plusSeconds(3600)));
        // a refused attempt does not use the token up: a moment before expiry it still works
        assertEquals(new Consumption.Consumed(token), tokens.consume("hash-1", BEFORE_EXPIRY));
    }

    @Test
    void aRevokedFamilyIsInvalidAndOtherFamiliesAreNot() {
        saved("hash-1", "family-1", ANN);
        saved("hash-2", "family-1", ANN);
        RefreshToken other = saved("hash-3", "family-2", ANN);

        tokens.revokeFamily("family-1");

        assertInstanceOf(Consumption.Invalid.class, tokens.consume("hash-1", ISSUED));
        assertInstanceOf(Consumption.Invalid.class, tokens.consume("hash-2", ISSUED));
        assertEquals(new Consumption.Consumed(other), tokens.consume("hash-3", ISSUED));
    }

    @Test
    void aRevokedUserIsInvalidAndOtherUsersAreNot() {
        saved("hash-1", "family-1", ANN);
        saved("hash-2", "family-2", ANN);
        RefreshToken bobs = saved("hash-3", "family-3", BOB);

        tokens.revokeUser(ANN);

        assertInstanceOf(Consumption.Invalid.class, tokens.consume("hash-1", ISSUED));
        assertInstanceOf(Consumption.Invalid.class, tokens.consume("hash-2", ISSUED));
        assertEquals(new Consumption.Consumed(bobs), tokens.consume("hash-3", ISSUED));
    }

    @Test
    void aUsedThenRevokedTokenIsInvalidNotAlreadyUsed() {
        saved("hash-1", "family-1", ANN);
        tokens.consume("hash-1", ISSUED);

        tokens.revokeFamily("family-1");

        assertInstanceOf(Consumption.Invalid.class, tokens.consume("hash-1", ISSUED));
    }

    @Test
    void revokingUnknownFamiliesAndUsersIsHarmless() {
        RefreshToken token = saved("hash-1", "family-1", ANN);

        tokens.revokeFamily("family-x");
        tokens.revokeUser(BOB);

        assertEquals(new Consumption.Consumed(token), tokens.consume("hash-1", ISSUED));
    }

    @Test
    void familyOfNamesTheFamilyWhateverTheTokensState() {
        saved("hash-1", "family-1", ANN);
        saved("hash-2", "family-2", ANN);
        tokens.consume("hash-1", ISSUED);
        tokens.revokeFamily("family-2");

        assertEquals(Optional.of("family-1"), tokens.familyOf("hash-1"));
        assertEquals(Optional.of("family-2"), tokens.familyOf("hash-2"));
        assertEquals(Optional.empty(), tokens.familyOf("hash-3"));
    }

    @Test
    void savingAHashTwiceIsAProgrammingError() {
        RefreshToken first = saved("hash-1", "family-1", ANN);

        assertThrows(IllegalStateException.class, () -> tokens.save(new RefreshToken("hash-1", "family-9", BOB,
                ISSUED, EXPIRES)));
        assertEquals(new Consumption.Consumed(first), tokens.consume("hash-1", ISSUED));
    }

    @Test
    void concurrentConsumesOfOneTokenLetExactlyOneWin() throws Exception {
        RefreshToken token = saved("hash-1", "family-1", ANN);

        List<Consumption> results = Race.run(i -> () -> tokens.consume("hash-1", ISSUED));

        assertEquals(1, results.stream().filter(new Consumption.Consumed(token)::equals).count(), results::toString);
        assertEquals(Race.THREADS - 1, results.stream().filter(new Consumption.AlreadyUsed(token)::equals).count());
    }
}
