package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.application.fakes.CheapPasswordHasher;
import dev.dnsdig.application.fakes.InMemoryRefreshTokenStore;
import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.fakes.OpaqueTokens;
import dev.dnsdig.application.port.in.LogIn.SessionResult;
import dev.dnsdig.application.port.in.Tokens;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.application.port.out.PasswordHasher;
import dev.dnsdig.application.port.out.RefreshTokenStore;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.application.port.out.UserRepository.CreateResult;
import dev.dnsdig.application.port.out.UserRepository.UpdateResult;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests of {@link SessionService}: login, refresh and logout beyond the identity-provider contract. */
class SessionServiceTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration ACCESS_LIFETIME = Duration.ofMinutes(15);
    private static final Duration REFRESH_LIFETIME = Duration.ofDays(30);
    private static final String PASSWORD = "Correct-Horse-42";

    private MutableClock clock;
    private InMemoryUserRepository users;
    private InMemoryRefreshTokenStore refreshTokens;
    private CountingHasher hasher;
    private OpaqueTokens issuer;
    private SessionService sessions;
    private User alice;

    /** The cheap hasher, counting every verification and remembering which hash it was asked about. */
    private static final class CountingHasher implements PasswordHasher {
        private final CheapPasswordHasher delegate = new CheapPasswordHasher();
        final List<String> checkedHashes = new ArrayList<>();

        @Override
        public String hash(String password) {
            return delegate.hash(password);
        }

        @Override
        public boolean matches(String password, String hash) {
            checkedHashes.add(hash);
            return delegate.matches(password, hash);
        }

        @Override
        public String decoyHash() {
            return delegate.decoyHash();
        }
    }

    @BeforeEach
    void wire() {
        clock = new MutableClock(START);
        users = new InMemoryUserRepository();
        refreshTokens = new InMemoryRefreshTokenStore();
        hasher = new CountingHasher();
        issuer = new OpaqueTokens(ACCESS_LIFETIME, clock);
        sessions = new SessionService(users, refreshTokens, hasher, issuer, REFRESH_LIFETIME, clock);
        alice = create("alice@example.com", "alice", Optional.of(hasher.hash(PASSWORD)));
    }

    // ---- helpers

    private User create(String email, String username, Optional<String> passwordHash) {
        User user = User.create(UserId.generate(clock.instant()), new Email(email), new Username(username),
                Optional.empty(), passwordHash, List.of(), false, clock.instant());
        return assertInstanceOf(CreateResult.Created.class, users.create(user)).user();
    }

    private Tokens logIn() {
        return issued(sessions.logIn(alice.email(), PASSWORD));
    }

    private static Tokens issued(SessionResult result) {
        return assertInstanceOf(SessionResult.Issued.class, result).tokens();
    }

    private void save(User changed) {
        assertInstanceOf(UpdateResult.Updated.class, users.update(changed));
    }

    /** Blocks straight in the store, as another instance would between its write and its revocation. */
    private void blockInStoreOnly(User user) {
        User current = users.findById(user.id()).orElseThrow();
        save(current.withBlockedAt(Optional.of(clock.instant()), clock.instant()));
    }

    // ---- login

    @Test
    void loginIssuesAnAccessTokenForTheUser() {
        Tokens tokens = logIn();

        Verification.Verified verified = assertInstanceOf(Verification.Verified.class, issuer.verify(tokens.accessToken()));
        assertEquals(new Subject.Local(alice.id()), verified.subject());
        assertEquals(Optional.of(Permission.defaults()), verified.permissions());
        assertEquals(Permission.defaults(), tokens.permissions());
    }

    @Test
    void aUserSessionAlwaysComesWithARefreshToken() {
        Tokens tokens = logIn();

        assertTrue(tokens.refreshToken().isPresent());
        assertTrue(issued(sessions.refresh(tokens.refreshToken().orElseThrow())).refreshToken().isPresent());
    }

    @Test
    void expiresInIsTheIssuersLifetime() {
        assertEquals(ACCESS_LIFETIME, logIn().expiresIn());

        clock.advance(Duration.ofHours(3).plusMillis(123));
        Tokens later = logIn();
        assertEquals(ACCESS_LIFETIME, later.expiresIn());
        assertEquals(ACCESS_LIFETIME, issued(sessions.refresh(later.refreshToken().orElseThrow())).expiresIn());
    }

    @Test
    void expiresInFollowsAnotherIssuerLifetime() {
        Duration fiveMinutes = Duration.ofMinutes(5);
        sessions = new SessionService(users, refreshTokens, hasher, new OpaqueTokens(fiveMinutes, clock),
                REFRESH_LIFETIME, clock);

        assertEquals(fiveMinutes, logIn().expiresIn());
    }

    @Test
    void theRefreshTokenIsStoredOnlyAsItsHash() {
        Tokens tokens = logIn();

        assertTrue(refreshTokens.familyOf(SessionService.hash(tokens.refreshToken().orElseThrow())).isPresent());
        assertEquals(Optional.empty(), refreshTokens.familyOf(tokens.refreshToken().orElseThrow()));
        assertEquals(64, SessionService.hash(tokens.refreshToken().orElseThrow()).length(), "hex SHA-256");
        assertTrue(tokens.refreshToken().orElseThrow().length() >= 43, "256 bits in base64url: " + tokens.refreshToken().orElseThrow().length());
    }

    @Test
    void everyLoginStartsANewSession() {
        Tokens first = logIn();
        Tokens second = logIn();

        assertNotEquals(first.refreshToken().orElseThrow(), second.refreshToken().orElseThrow());
        assertNotEquals(first.accessToken(), second.accessToken());
        assertNotEquals(refreshTokens.familyOf(SessionService.hash(first.refreshToken().orElseThrow())),
                refreshTokens.familyOf(SessionService.hash(second.refreshToken().orElseThrow())));
    }

    @Test
    void theEmailMatchesRegardlessOfCase() {
        assertInstanceOf(SessionResult.Issued.class, sessions.logIn(new Email("ALICE@Example.COM"), PASSWORD));
    }

    @Test
    void wrongPasswordUnknownEmailAndNoPasswordAllGetTheSameAnswer() {
        User external = create("carol@example.com", "carol", Optional.empty()); // logs in elsewhere only

        SessionResult wrongPassword = sessions.logIn(alice.email(), "Wrong-Horse-42");
        SessionResult unknownEmail = sessions.logIn(new Email("nobody@example.com"), PASSWORD);
        SessionResult noPassword = sessions.logIn(external.email(), PASSWORD);
        SessionResult nullPassword = sessions.logIn(alice.email(), null);

        SessionResult.Rejected rejected = assertInstanceOf(SessionResult.Rejected.class, wrongPassword);
        assertEquals(rejected, unknownEmail);
        assertEquals(rejected, noPassword);
        assertEquals(rejected, nullPassword);
        assertFalse(rejected.reason().contains("nobody"), rejected.reason());
    }

    @Test
    void everyLoginCostsOneHashCheck() {
        User external = create("carol@example.com", "carol", Optional.empty());

        sessions.logIn(alice.email(), PASSWORD);
        sessions.logIn(alice.email(), "Wrong-Horse-42");
        sessions.logIn(new Email("nobody@example.com"), PASSWORD);
        sessions.logIn(external.email(), PASSWORD);

        assertEquals(4, hasher.checkedHashes.size(), "the slow check runs whether or not the account exists");
    }

    @Test
    void anUnknownEmailIsCheckedAgainstTheDecoy() {
        sessions.logIn(new Email("nobody@example.com"), PASSWORD);

        assertEquals(List.of(hasher.decoyHash()), hasher.checkedHashes);
    }

    @Test
    void aUserWithoutPasswordIsCheckedAgainstTheDecoy() {
        User external = create("carol@example.com", "carol", Optional.empty());

        SessionResult result = sessions.logIn(external.email(), PASSWORD);

        assertInstanceOf(SessionResult.Rejected.class, result);
        assertEquals(List.of(hasher.decoyHash()), hasher.checkedHashes);
    }

    @Test
    void aKnownUserIsCheckedAgainstTheirOwnHash() {
        sessions.logIn(alice.email(), "Wrong-Horse-42");

        assertEquals(List.of(alice.passwordHash().orElseThrow()), hasher.checkedHashes);
    }

    @Test
    void theDecoyNeverLetsAnyoneIn() {
        // whatever the password, an account without one cannot be entered
        User external = create("carol@example.com", "carol", Optional.empty());

        for (String password : List.of(PASSWORD, "", "decoy")) {
            assertInstanceOf(SessionResult.Rejected.class, sessions.logIn(external.email(), password));
        }
    }

    @Test
    void aBlockedUserWithTheRightPasswordIsBlocked() {
        blockInStoreOnly(alice);

        assertEquals(new SessionResult.Blocked(), sessions.logIn(alice.email(), PASSWORD));
        assertEquals(1, hasher.checkedHashes.size());
    }

    @Test
    void aBlockedUserWithAWrongPasswordLearnsNothing() {
        SessionResult unblockedWrong = sessions.logIn(alice.email(), "Wrong-Horse-42");
        blockInStoreOnly(alice);

        assertEquals(unblockedWrong, sessions.logIn(alice.email(), "Wrong-Horse-42"));
    }

    @Test
    void aBlockedLoginStoresNoRefreshToken() {
        blockInStoreOnly(alice);
        sessions.logIn(alice.email(), PASSWORD);
        save(users.findById(alice.id()).orElseThrow().withBlockedAt(Optional.empty(), clock.instant()));

        // nothing was issued that could be used now that the block is lifted: only a fresh login works
        Tokens tokens = logIn();
        assertInstanceOf(SessionResult.Issued.class, sessions.refresh(tokens.refreshToken().orElseThrow()));
    }

    // ---- refresh

    @Test
    void refreshRotatesWithinTheSession() {
        Tokens first = logIn();
        clock.advance(Duration.ofMinutes(20));

        Tokens second = issued(sessions.refresh(first.refreshToken().orElseThrow()));

        assertNotEquals(first.refreshToken().orElseThrow(), second.refreshToken().orElseThrow());
        assertNotEquals(first.accessToken(), second.accessToken());
        assertEquals(refreshTokens.familyOf(SessionService.hash(first.refreshToken().orElseThrow())),
                refreshTokens.familyOf(SessionService.hash(second.refreshToken().orElseThrow())), "the same family");
        Verification.Verified verified = assertInstanceOf(Verification.Verified.class, issuer.verify(second.accessToken()));
        assertEquals(START.plus(Duration.ofMinutes(20)).plus(ACCESS_LIFETIME), verified.expiresAt());
    }

    @Test
    void refreshCarriesTheCurrentPermissions() {
        Tokens tokens = logIn();
        save(users.findById(alice.id()).orElseThrow().withPermissions(EnumSet.of(Permission.READ_TODOS), clock.instant()));

        Tokens refreshed = issued(sessions.refresh(tokens.refreshToken().orElseThrow()));

        assertEquals(Set.of(Permission.READ_TODOS), refreshed.permissions());
    }

    @Test
    void aRefreshTokenLastsItsLifetimeAndNoLonger() {
        Tokens early = logIn();
        Tokens late = logIn();

        clock.advance(REFRESH_LIFETIME.minusSeconds(1));
        assertInstanceOf(SessionResult.Issued.class, sessions.refresh(early.refreshToken().orElseThrow()));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(new SessionResult.Rejected("refresh token expired"), sessions.refresh(late.refreshToken().orElseThrow()));
    }

    @Test
    void aRotatedTokenGetsAFreshLifetime() {
        Tokens first = logIn();
        clock.advance(REFRESH_LIFETIME.minusDays(1));
        Tokens second = issued(sessions.refresh(first.refreshToken().orElseThrow()));

        clock.advance(REFRESH_LIFETIME.minusSeconds(1));

        assertInstanceOf(SessionResult.Issued.class, sessions.refresh(second.refreshToken().orElseThrow()));
    }

    @Test
    void aReusedRefreshTokenEndsItsSessionButNoOther() {
        // the contract kit proves this per adapter; here for this module's own coverage, plus the other session
        Tokens first = logIn();
        Tokens otherDevice = logIn();
        Tokens second = issued(sessions.refresh(first.refreshToken().orElseThrow()));

        SessionResult reuse = sessions.refresh(first.refreshToken().orElseThrow());

        assertEquals(new SessionResult.Rejected("refresh token was already used; the session has been revoked"), reuse);
        assertEquals(new SessionResult.Rejected("refresh token revoked"), sessions.refresh(second.refreshToken().orElseThrow()));
        assertInstanceOf(SessionResult.Issued.class, sessions.refresh(otherDevice.refreshToken().orElseThrow()));
    }

    @Test
    void aRefreshThatFailsInTheStoreCanBeRetriedWithTheSameToken() {
        // the store fails once at each step of a rotation in turn; each time the client is told to retry (a 503), and
        // the retry with the same token must work, not be taken for a stolen token's reuse that ends the session
        for (String step : List.of("save", "findById", "consume", "findUsable")) {
            FailingOnce failing = new FailingOnce(refreshTokens);
            UserRepository flakyUsers = step.equals("findById") ? failingFindById(users, failing) : users;
            SessionService flaky = new SessionService(flakyUsers, failing, hasher, issuer, REFRESH_LIFETIME, clock);
            Tokens first = logIn();
            failing.failNext = step;

            assertThrows(StorageUnavailableException.class, () -> flaky.refresh(first.refreshToken().orElseThrow()), step);
            Tokens second = issued(flaky.refresh(first.refreshToken().orElseThrow()));

            assertInstanceOf(SessionResult.Issued.class, flaky.refresh(second.refreshToken().orElseThrow()),
                    "the session goes on after a failed " + step);
            assertEquals(new SessionResult.Rejected("refresh token was already used; the session has been revoked"),
                    flaky.refresh(first.refreshToken().orElseThrow()), "and the used token is still single-use");
        }
    }

    /** Passes every call to {@code store}, except that the call named in {@link #failNext} fails once. */
    private static final class FailingOnce implements RefreshTokenStore {
        private final RefreshTokenStore store;
        String failNext = "";

        FailingOnce(RefreshTokenStore store) {
            this.store = store;
        }

        void failIf(String call) {
            if (failNext.equals(call)) {
                failNext = "";
                throw new StorageUnavailableException("the store is down (" + call + ")");
            }
        }

        @Override
        public void save(RefreshTokenStore.RefreshToken token) {
            failIf("save");
            store.save(token);
        }

        @Override
        public Optional<RefreshTokenStore.RefreshToken> findUsable(String tokenHash, Instant now) {
            failIf("findUsable");
            return store.findUsable(tokenHash, now);
        }

        @Override
        public RefreshTokenStore.Consumption consume(String tokenHash, Instant now) {
            failIf("consume");
            return store.consume(tokenHash, now);
        }

        @Override
        public void revokeFamily(String familyId) {
            store.revokeFamily(familyId);
        }

        @Override
        public void revokeUser(UserId userId) {
            store.revokeUser(userId);
        }

        @Override
        public Optional<String> familyOf(String tokenHash) {
            return store.familyOf(tokenHash);
        }
    }

    /** {@code users}, except that a lookup by id fails once when {@code failing} says so. */
    private static UserRepository failingFindById(UserRepository users, FailingOnce failing) {
        return (UserRepository) java.lang.reflect.Proxy.newProxyInstance(UserRepository.class.getClassLoader(),
                new Class<?>[] {UserRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findById")) {
                        failing.failIf("findById");
                    }
                    try {
                        return method.invoke(users, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aMissingRefreshTokenIsRejected() {
        for (String token : new String[] {null, "", "   "}) {
            assertEquals(new SessionResult.Rejected("refresh_token is missing"), sessions.refresh(token));
        }
    }

    @Test
    void anUnknownRefreshTokenIsRejected() {
        assertInstanceOf(SessionResult.Rejected.class, sessions.refresh("not-a-token"));
        Tokens tokens = logIn();
        // the stored hash is not a token
        assertInstanceOf(SessionResult.Rejected.class, sessions.refresh(SessionService.hash(tokens.refreshToken().orElseThrow())));
    }

    @Test
    void refreshOfADeletedUsersTokenIsRejected() {
        Tokens tokens = logIn();
        assertTrue(users.delete(alice.id())); // the store alone: the tokens are still there

        SessionResult result = sessions.refresh(tokens.refreshToken().orElseThrow());

        assertEquals(new SessionResult.Rejected("the account no longer exists"), result);
    }

    @Test
    void refreshOfAUserDeletedThroughTheServiceIsRejected() {
        Tokens tokens = logIn();
        new AccountService(users, refreshTokens, hasher, Set.of(), clock).deleteAccount(alice.id());

        assertInstanceOf(SessionResult.Rejected.class, sessions.refresh(tokens.refreshToken().orElseThrow()));
    }

    @Test
    void refreshAfterBlockIsBlocked() {
        Tokens tokens = logIn();
        blockInStoreOnly(alice);

        assertEquals(new SessionResult.Blocked(), sessions.refresh(tokens.refreshToken().orElseThrow()));
    }

    @Test
    void refreshAfterBlockThroughTheServiceIsRevoked() {
        // AccountService.block also revokes the refresh tokens, so the token itself is dead
        Tokens tokens = logIn();
        new AccountService(users, refreshTokens, hasher, Set.of(), clock).block(alice.id());

        assertEquals(new SessionResult.Rejected("refresh token revoked"), sessions.refresh(tokens.refreshToken().orElseThrow()));
    }

    // ---- logout

    @Test
    void logoutEndsTheWholeSessionOnly() {
        Tokens first = logIn();
        Tokens rotated = issued(sessions.refresh(first.refreshToken().orElseThrow()));
        Tokens otherDevice = logIn();

        sessions.logOut(first.refreshToken().orElseThrow()); // even an already used token names its session

        assertInstanceOf(SessionResult.Rejected.class, sessions.refresh(rotated.refreshToken().orElseThrow()));
        assertInstanceOf(SessionResult.Issued.class, sessions.refresh(otherDevice.refreshToken().orElseThrow()));
    }

    @Test
    void logoutOfAnUnknownOrBlankTokenIsANoOp() {
        Tokens tokens = logIn();

        assertDoesNotThrow(() -> {
            sessions.logOut("not-a-token");
            sessions.logOut("");
            sessions.logOut("   ");
            sessions.logOut(null);
        });

        assertInstanceOf(SessionResult.Issued.class, sessions.refresh(tokens.refreshToken().orElseThrow()));
    }

    @Test
    void logoutTwiceIsHarmless() {
        Tokens tokens = logIn();
        sessions.logOut(tokens.refreshToken().orElseThrow());

        assertDoesNotThrow(() -> sessions.logOut(tokens.refreshToken().orElseThrow()));
        assertInstanceOf(SessionResult.Rejected.class, sessions.refresh(tokens.refreshToken().orElseThrow()));
    }

    // ---- what may be logged

    @Test
    void tokensNeverShowTheTokensInText() {
        Tokens tokens = logIn();

        String text = tokens.toString();
        assertFalse(text.contains(tokens.accessToken()), text);
        assertFalse(text.contains(tokens.refreshToken().orElseThrow()), text);
        assertTrue(text.contains(ACCESS_LIFETIME.toString()), text);
        assertFalse(new SessionResult.Issued(tokens).toString().contains(tokens.refreshToken().orElseThrow()));
        assertFalse(new SessionResult.Issued(tokens).toString().contains(tokens.accessToken()));
    }

    @Test
    void tokensCopyThePermissions() {
        Set<Permission> permissions = EnumSet.of(Permission.READ_TODOS);
        Tokens tokens = new Tokens("a", ACCESS_LIFETIME, Optional.of("r"), permissions);
        permissions.add(Permission.ADMIN_USERS);

        assertEquals(Set.of(Permission.READ_TODOS), tokens.permissions());
    }

    @Test
    void theHashIsSha256InHex() {
        // FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SessionService.hash("abc"));
    }

    @Test
    void aFixedClockWorksToo() {
        Clock fixed = Clock.fixed(START, ZoneOffset.UTC);
        SessionService fixedSessions = new SessionService(users, refreshTokens, hasher, new OpaqueTokens(ACCESS_LIFETIME, fixed),
                REFRESH_LIFETIME, fixed);

        Tokens tokens = issued(fixedSessions.logIn(alice.email(), PASSWORD));

        assertEquals(ACCESS_LIFETIME, tokens.expiresIn());
        assertInstanceOf(SessionResult.Issued.class, fixedSessions.refresh(tokens.refreshToken().orElseThrow()));
    }
}
