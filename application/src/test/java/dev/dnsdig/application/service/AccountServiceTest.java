package dev.dnsdig.application.service;

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
import dev.dnsdig.application.port.in.AdministerUsers;
import dev.dnsdig.application.port.in.ProfileChange;
import dev.dnsdig.application.port.in.ProfileResult;
import dev.dnsdig.application.port.in.SignUp;
import dev.dnsdig.application.port.out.PasswordHasher;
import dev.dnsdig.application.port.out.RefreshTokenStore.Consumption;
import dev.dnsdig.application.port.out.RefreshTokenStore.RefreshToken;
import dev.dnsdig.application.port.out.StorageUnavailableException;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.UserRepository.Uniqueness;
import dev.dnsdig.application.port.out.UserRepository.UpdateResult;
import dev.dnsdig.application.port.out.UserRepository.UserFilter;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests of {@link AccountService}: sign-up, the own account, administration, and optimistic retries. */
class AccountServiceTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final String PASSWORD = "Correct-Horse-42";
    private static final Set<String> ADMIN_EMAILS = Set.of("Root@Example.COM", "boss@example.com");

    private MutableClock clock;
    private InMemoryUserRepository users;
    private InMemoryRefreshTokenStore refreshTokens;
    private RecordingHasher hasher;
    private AccountService accounts;

    /** The real cheap hasher, remembering every hash it made. */
    private static final class RecordingHasher implements PasswordHasher {
        private final CheapPasswordHasher delegate = new CheapPasswordHasher();
        final List<String> hashes = new ArrayList<>();

        @Override
        public String hash(String password) {
            String hash = delegate.hash(password);
            hashes.add(hash);
            return hash;
        }

        @Override
        public boolean matches(String password, String hash) {
            return delegate.matches(password, hash);
        }

        @Override
        public String decoyHash() {
            return delegate.decoyHash();
        }
    }

    /**
     * The in-memory repository with a hook that runs before each {@code update}: to let another writer win the
     * race, or to lose the user, at exactly the moment the service writes.
     */
    private static final class InterferingRepository implements UserRepository {
        private final InMemoryUserRepository delegate;
        private final Supplier<UpdateResult> interference;
        int updates;

        /** {@code interference} runs before each update; a result it returns is answered instead of updating. */
        InterferingRepository(InMemoryUserRepository delegate, Supplier<UpdateResult> interference) {
            this.delegate = delegate;
            this.interference = interference;
        }

        @Override
        public CreateResult create(User user) {
            return delegate.create(user);
        }

        @Override
        public Optional<User> findById(UserId id) {
            return delegate.findById(id);
        }

        @Override
        public Optional<User> findByEmail(Email email) {
            return delegate.findByEmail(email);
        }

        @Override
        public Optional<User> findByIdentity(ExternalIdentity identity) {
            return delegate.findByIdentity(identity);
        }

        @Override
        public UpdateResult update(User user) {
            updates++;
            UpdateResult forced = interference.get();
            return forced != null ? forced : delegate.update(user);
        }

        @Override
        public boolean delete(UserId id) {
            return delegate.delete(id);
        }

        @Override
        public Page<User> list(UserFilter filter, Optional<UserId> after, int limit) {
            return delegate.list(filter, after, limit);
        }
    }

    @BeforeEach
    void wire() {
        clock = new MutableClock(START);
        users = new InMemoryUserRepository();
        refreshTokens = new InMemoryRefreshTokenStore();
        hasher = new RecordingHasher();
        accounts = new AccountService(users, refreshTokens, hasher, ADMIN_EMAILS, clock);
    }

    // ---- helpers

    private static SignUp.Command command(String email, String username) {
        return new SignUp.Command(new Email(email), new Username(username), PASSWORD, Optional.empty());
    }

    private User signUp(String email, String username) {
        return assertInstanceOf(SignUp.Result.Created.class, accounts.signUp(command(email, username))).user();
    }

    private User alice() {
        return assertInstanceOf(SignUp.Result.Created.class, accounts.signUp(new SignUp.Command(
                new Email("alice@example.com"), new Username("alice"), PASSWORD, Optional.of("Alice A.")))).user();
    }

    private static User changed(ProfileResult result) {
        return assertInstanceOf(ProfileResult.Changed.class, result).user();
    }

    private User stored(UserId id) {
        return users.findById(id).orElseThrow();
    }

    private static ProfileChange displayName(Optional<String> name) {
        return new ProfileChange(Optional.of(name), Optional.empty());
    }

    private static ProfileChange username(String name) {
        return new ProfileChange(Optional.empty(), Optional.of(new Username(name)));
    }

    /** Stores a refresh token of the user, returning its hash. */
    private String refreshTokenOf(User user, String family) {
        String hash = "hash-" + family + "-" + user.id();
        refreshTokens.save(new RefreshToken(hash, family, user.id(), clock.instant(), clock.instant().plus(Duration.ofDays(1))));
        return hash;
    }

    private void assertRevoked(String tokenHash) {
        assertEquals(new Consumption.Invalid("refresh token revoked"), refreshTokens.consume(tokenHash, clock.instant()));
    }

    // ---- sign-up

    @Test
    void signUpStoresANewUserWithTheDefaultPermissions() {
        User user = alice();

        assertEquals(Permission.defaults(), user.permissions());
        assertFalse(user.has(Permission.ADMIN_USERS));
        assertEquals(new Email("alice@example.com"), user.email());
        assertEquals(new Username("alice"), user.username());
        assertEquals(Optional.of("Alice A."), user.displayName());
        assertEquals(START, user.createdAt());
        assertEquals(START, user.updatedAt());
        assertEquals(0, user.version());
        assertFalse(user.blocked());
        assertEquals(List.of(), user.identities());
        assertEquals(Optional.of(user), users.findById(user.id()), "stored as returned");
    }

    @Test
    void theIdTellsTheTimeOfSignUp() {
        User first = signUp("first@example.com", "first");
        clock.advance(Duration.ofMillis(1));
        User second = signUp("second@example.com", "second");

        assertTrue(first.id().compareTo(second.id()) < 0, first.id() + " before " + second.id());
        assertEquals(List.of(first, second), accounts.list(UserFilter.none(), Optional.empty(), 10).items());
    }

    @Test
    void adminEmailsGetAdministrationRegardlessOfCase() {
        User root = signUp("root@example.com", "root");
        User boss = signUp("BOSS@Example.Com", "boss");

        assertEquals(Permission.all(), root.permissions());
        assertEquals(Permission.all(), boss.permissions());
        assertTrue(stored(root.id()).has(Permission.ADMIN_USERS));
    }

    @Test
    void otherEmailsGetTheDefaults() {
        // close to an admin address, but not one
        User almost = signUp("root@example.co", "almost");
        User sub = signUp("xroot@example.com", "sub");

        assertEquals(Permission.defaults(), almost.permissions());
        assertEquals(Permission.defaults(), sub.permissions());
    }

    @Test
    void withoutAdminEmailsNobodyIsAdministrator() {
        accounts = new AccountService(users, refreshTokens, hasher, Set.of(), clock);

        assertEquals(Permission.defaults(), signUp("root@example.com", "root").permissions());
    }

    @Test
    void theStoredPasswordHashIsTheHashersNeverTheClearPassword() {
        User user = alice();

        String hash = user.passwordHash().orElseThrow();
        assertEquals(List.of(hash), hasher.hashes, "exactly the hash the hasher made");
        assertNotEquals(PASSWORD, hash);
        assertFalse(hash.contains(PASSWORD));
        assertTrue(hasher.matches(PASSWORD, hash));
        assertEquals(Optional.of(hash), stored(user.id()).passwordHash());
    }

    @Test
    void aTakenEmailIsRefusedRegardlessOfCase() {
        User first = alice();

        SignUp.Result result = accounts.signUp(command("ALICE@Example.com", "alice2"));

        assertEquals(new SignUp.Result.Taken(Uniqueness.EMAIL), result);
        assertEquals(List.of(first), accounts.list(UserFilter.none(), Optional.empty(), 10).items());
        assertEquals(1, hasher.hashes.size(), "no password hashed for a taken e-mail");
    }

    @Test
    void aSignUpWhileTheStoreIsUnavailableFailsBeforeHashingAPassword() {
        UserRepository down = (UserRepository) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {UserRepository.class}, (proxy, method, args) -> {
                    throw new StorageUnavailableException("down");
                });
        accounts = new AccountService(down, refreshTokens, hasher, ADMIN_EMAILS, clock);

        assertThrows(StorageUnavailableException.class, () -> accounts.signUp(command("ann@example.com", "ann")));
        assertEquals(List.of(), hasher.hashes);
    }

    @Test
    void aTakenUsernameIsRefusedRegardlessOfCase() {
        User first = alice();

        SignUp.Result result = accounts.signUp(command("other@example.com", "ALICE"));

        assertEquals(new SignUp.Result.Taken(Uniqueness.USERNAME), result);
        assertEquals(List.of(first), accounts.list(UserFilter.none(), Optional.empty(), 10).items());
    }

    @Test
    void theCommandChecksThePasswordPolicy() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new SignUp.Command(
                new Email("alice@example.com"), new Username("alice"), "short", Optional.empty()));

        assertEquals("password", e.field());
        assertThrows(InvalidValueException.class, () -> new SignUp.Command(
                new Email("alice@example.com"), new Username("alice"), PASSWORD, Optional.of(" ")));
        assertThrows(NullPointerException.class, () -> new SignUp.Command(
                null, new Username("alice"), PASSWORD, Optional.empty()));
    }

    @Test
    void theCommandNeverShowsThePassword() {
        SignUp.Command command = new SignUp.Command(new Email("alice@example.com"), new Username("alice"),
                "Sup3r-Secret-Passw0rd", Optional.of("Alice"));

        String text = command.toString();
        assertFalse(text.contains("Sup3r-Secret-Passw0rd"), text);
        assertFalse(text.contains("Secret"), text);
        assertTrue(text.contains("alice@example.com"), text);
        assertEquals("Sup3r-Secret-Passw0rd", command.password(), "kept for the hasher, only hidden from logs");
    }

    // ---- the own account

    @Test
    void meFindsTheUser() {
        User user = alice();

        assertEquals(Optional.of(user), accounts.me(user.id()));
        assertEquals(Optional.of(user), accounts.get(user.id()));
        assertEquals(Optional.empty(), accounts.me(UserId.generate(START)));
    }

    @Test
    void anAbsentFieldStaysAsItIs() {
        User user = alice();
        clock.advance(Duration.ofMinutes(5));

        User renamed = changed(accounts.updateProfile(user.id(), username("alicia")));

        assertEquals(new Username("alicia"), renamed.username());
        assertEquals(Optional.of("Alice A."), renamed.displayName(), "display name untouched");
        assertEquals(START.plus(Duration.ofMinutes(5)), renamed.updatedAt());
        assertEquals(START, renamed.createdAt());
        assertEquals(1, renamed.version());
        assertEquals(renamed, stored(user.id()));

        User retitled = changed(accounts.updateProfile(user.id(), displayName(Optional.of("Alicia B."))));

        assertEquals(new Username("alicia"), retitled.username(), "username untouched");
        assertEquals(Optional.of("Alicia B."), retitled.displayName());
        assertEquals(2, retitled.version());
        assertEquals(retitled, stored(user.id()));
    }

    @Test
    void bothFieldsAtOnce() {
        User user = alice();

        User result = changed(accounts.updateProfile(user.id(),
                new ProfileChange(Optional.of(Optional.of("Al")), Optional.of(new Username("al42")))));

        assertEquals(new Username("al42"), result.username());
        assertEquals(Optional.of("Al"), result.displayName());
        assertEquals(user.permissions(), result.permissions());
        assertEquals(user.passwordHash(), result.passwordHash());
        assertEquals(user.email(), result.email());
    }

    @Test
    void anEmptyDisplayNameClearsIt() {
        User user = alice();

        User cleared = changed(accounts.updateProfile(user.id(), displayName(Optional.empty())));

        assertEquals(Optional.empty(), cleared.displayName());
        assertEquals(new Username("alice"), cleared.username());
        assertEquals(Optional.empty(), stored(user.id()).displayName());
    }

    @Test
    void theChangeChecksTheDisplayName() {
        assertThrows(InvalidValueException.class, () -> displayName(Optional.of("   ")));
        assertThrows(InvalidValueException.class, () -> displayName(Optional.of("x".repeat(101))));
    }

    @Test
    void anEmptyChangeStoresNothing() {
        User user = alice();
        clock.advance(Duration.ofHours(1));

        User result = changed(accounts.updateProfile(user.id(), ProfileChange.none()));

        assertEquals(user, result);
        assertEquals(user, stored(user.id()), "neither a new version nor a new updatedAt");
    }

    @Test
    void aTakenUsernameIsRefusedOnUpdate() {
        User alice = alice();
        signUp("bob@example.com", "bob");

        ProfileResult result = accounts.updateProfile(alice.id(), username("BOB"));

        assertEquals(new ProfileResult.Taken(Uniqueness.USERNAME), result);
        assertEquals(alice, stored(alice.id()), "nothing changed");
    }

    @Test
    void theOwnUsernameInAnotherCaseIsNoConflict() {
        User alice = alice();

        assertEquals(new Username("ALICE"), changed(accounts.updateProfile(alice.id(), username("ALICE"))).username());
    }

    @Test
    void aMissingUserIsNotFound() {
        UserId nobody = UserId.generate(START);

        assertEquals(new ProfileResult.NotFound(), accounts.updateProfile(nobody, username("ghost")));
        assertEquals(new ProfileResult.NotFound(), accounts.update(nobody, username("ghost")));
        assertEquals(new ProfileResult.NotFound(), accounts.block(nobody));
        assertEquals(new ProfileResult.NotFound(), accounts.unblock(nobody));
        assertEquals(new ProfileResult.NotFound(), accounts.grant(nobody, Permission.ADMIN_USERS));
        assertEquals(new ProfileResult.NotFound(), accounts.revoke(nobody, Permission.READ_TODOS));
        assertEquals(Optional.empty(), accounts.get(nobody));
    }

    @Test
    void theAdministratorsUpdateIsTheSameMerge() {
        User user = alice();

        User result = changed(accounts.update(user.id(), username("alicia")));

        assertEquals(new Username("alicia"), result.username());
        assertEquals(Optional.of("Alice A."), result.displayName());
        assertEquals(result, stored(user.id()));
    }

    // ---- optimistic concurrency

    @Test
    void aLostRaceIsRetriedOnTheNewestVersion() {
        User user = alice();
        int[] attempt = {0};
        InterferingRepository racing = new InterferingRepository(users, () -> {
            if (++attempt[0] == 1) {
                // another writer saves between the service's read and its write
                User current = users.findById(user.id()).orElseThrow();
                assertInstanceOf(UpdateResult.Updated.class,
                        users.update(current.withPermissions(EnumSet.of(Permission.READ_TODOS), clock.instant())));
            }
            return null;
        });
        accounts = new AccountService(racing, refreshTokens, hasher, ADMIN_EMAILS, clock);

        User result = changed(accounts.updateProfile(user.id(), username("alicia")));

        assertEquals(2, racing.updates, "one lost write, one retried write");
        assertEquals(new Username("alicia"), result.username(), "the service's change");
        assertEquals(Set.of(Permission.READ_TODOS), result.permissions(), "the other writer's change survives");
        assertEquals(2, result.version());
        assertEquals(result, stored(user.id()));
    }

    @Test
    void aVersionConflictAnsweredOnceIsRetried() {
        User user = alice();
        InterferingRepository flaky = new InterferingRepository(users, new Supplier<>() {
            private boolean first = true;

            @Override
            public UpdateResult get() {
                if (first) {
                    first = false;
                    return new UpdateResult.VersionConflict();
                }
                return null;
            }
        });
        accounts = new AccountService(flaky, refreshTokens, hasher, ADMIN_EMAILS, clock);

        User result = changed(accounts.grant(user.id(), Permission.ADMIN_USERS));

        assertEquals(2, flaky.updates);
        assertTrue(result.has(Permission.ADMIN_USERS));
        assertTrue(stored(user.id()).has(Permission.ADMIN_USERS));
    }

    @Test
    void aUserThatKeepsChangingGivesUpAfterABoundedNumberOfAttempts() {
        User user = alice();
        InterferingRepository hopeless = new InterferingRepository(users, UpdateResult.VersionConflict::new);
        accounts = new AccountService(hopeless, refreshTokens, hasher, ADMIN_EMAILS, clock);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> accounts.updateProfile(user.id(), username("alicia")));

        assertTrue(hopeless.updates > 1 && hopeless.updates <= 10, "bounded retries: " + hopeless.updates);
        assertTrue(e.getMessage().contains(user.id().value()), e.getMessage());
        assertEquals(user, stored(user.id()), "nothing was stored");
    }

    @Test
    void aUserDeletedBetweenReadAndWriteIsNotFound() {
        User user = alice();
        InterferingRepository vanishing = new InterferingRepository(users, () -> {
            users.delete(user.id());
            return null;
        });
        accounts = new AccountService(vanishing, refreshTokens, hasher, ADMIN_EMAILS, clock);

        assertEquals(new ProfileResult.NotFound(), accounts.updateProfile(user.id(), username("alicia")));
        assertEquals(1, vanishing.updates);
    }

    // ---- blocking

    @Test
    void blockingRevokesTheUsersRefreshTokensOnly() {
        User alice = alice();
        User bob = signUp("bob@example.com", "bob");
        String aliceLaptop = refreshTokenOf(alice, "laptop");
        String alicePhone = refreshTokenOf(alice, "phone");
        String bobs = refreshTokenOf(bob, "bob");
        clock.advance(Duration.ofMinutes(1));

        User blocked = changed(accounts.block(alice.id()));

        assertTrue(blocked.blocked());
        assertEquals(Optional.of(START.plus(Duration.ofMinutes(1))), blocked.blockedAt());
        assertEquals(blocked, stored(alice.id()));
        assertRevoked(aliceLaptop);
        assertRevoked(alicePhone);
        assertInstanceOf(Consumption.Consumed.class, refreshTokens.consume(bobs, clock.instant()));
        assertFalse(stored(bob.id()).blocked());
    }

    @Test
    void blockingTwiceKeepsTheFirstTime() {
        User alice = alice();
        clock.advance(Duration.ofMinutes(1));
        User first = changed(accounts.block(alice.id()));
        clock.advance(Duration.ofHours(1));

        User second = changed(accounts.block(alice.id()));

        assertEquals(Optional.of(START.plus(Duration.ofMinutes(1))), second.blockedAt());
        assertEquals(first, second);
        assertEquals(first, stored(alice.id()), "not stored again");
    }

    @Test
    void blockingTwiceStillEndsSessionsStartedInBetween() {
        User alice = alice();
        accounts.block(alice.id());
        String late = refreshTokenOf(alice, "late");

        accounts.block(alice.id());

        assertRevoked(late);
    }

    @Test
    void blockingAMissingUserRevokesNothing() {
        User alice = alice();
        String token = refreshTokenOf(alice, "laptop");

        assertEquals(new ProfileResult.NotFound(), accounts.block(UserId.generate(START)));

        assertInstanceOf(Consumption.Consumed.class, refreshTokens.consume(token, clock.instant()));
    }

    @Test
    void unblock() {
        User alice = alice();
        accounts.block(alice.id());
        clock.advance(Duration.ofDays(1));

        User unblocked = changed(accounts.unblock(alice.id()));

        assertFalse(unblocked.blocked());
        assertEquals(Optional.empty(), unblocked.blockedAt());
        assertEquals(START.plus(Duration.ofDays(1)), unblocked.updatedAt());
        assertEquals(unblocked, stored(alice.id()));
    }

    @Test
    void unblockingAnUnblockedUserStoresNothing() {
        User alice = alice();
        clock.advance(Duration.ofDays(1));

        assertEquals(alice, changed(accounts.unblock(alice.id())));
        assertEquals(alice, stored(alice.id()));
    }

    // ---- permissions

    @Test
    void grantAddsAPermission() {
        User alice = alice();
        clock.advance(Duration.ofMinutes(1));

        User granted = changed(accounts.grant(alice.id(), Permission.ADMIN_USERS));

        assertEquals(Permission.all(), granted.permissions());
        assertEquals(START.plus(Duration.ofMinutes(1)), granted.updatedAt());
        assertEquals(granted, stored(alice.id()));
    }

    @Test
    void grantIsIdempotent() {
        User alice = alice();
        User once = changed(accounts.grant(alice.id(), Permission.ADMIN_USERS));
        clock.advance(Duration.ofMinutes(1));

        User twice = changed(accounts.grant(alice.id(), Permission.ADMIN_USERS));

        assertEquals(once.permissions(), twice.permissions());
        assertEquals(once, twice, "same version, same updatedAt");
        assertEquals(once, stored(alice.id()));
    }

    @Test
    void revokeRemovesAPermission() {
        User alice = alice();

        User revoked = changed(accounts.revoke(alice.id(), Permission.WRITE_TODOS));

        assertFalse(revoked.has(Permission.WRITE_TODOS));
        assertTrue(revoked.has(Permission.READ_TODOS));
        assertEquals(Permission.defaults().size() - 1, revoked.permissions().size());
        assertEquals(revoked, stored(alice.id()));
    }

    @Test
    void revokeIsIdempotent() {
        User alice = alice();
        User once = changed(accounts.revoke(alice.id(), Permission.WRITE_TODOS));
        clock.advance(Duration.ofMinutes(1));

        User twice = changed(accounts.revoke(alice.id(), Permission.WRITE_TODOS));
        User neverHeld = changed(accounts.revoke(alice.id(), Permission.ADMIN_USERS));

        assertEquals(once, twice, "same version, same updatedAt");
        assertEquals(once, neverHeld);
        assertEquals(once, stored(alice.id()));
    }

    @Test
    void fromNoPermissionsAtAllAndBack() {
        User alice = alice();
        for (Permission permission : Permission.defaults()) {
            accounts.revoke(alice.id(), permission);
        }
        assertEquals(Set.of(), stored(alice.id()).permissions());
        assertEquals(Set.of(), changed(accounts.revoke(alice.id(), Permission.READ_TODOS)).permissions());

        User regranted = changed(accounts.grant(alice.id(), Permission.READ_TODOS));

        assertEquals(Set.of(Permission.READ_TODOS), regranted.permissions());
    }

    // ---- deletion

    @Test
    void deleteRemovesTheUserAndRevokesTheirRefreshTokens() {
        User alice = alice();
        User bob = signUp("bob@example.com", "bob");
        String alices = refreshTokenOf(alice, "laptop");
        String bobs = refreshTokenOf(bob, "bob");

        assertTrue(accounts.delete(alice.id()));

        assertEquals(Optional.empty(), users.findById(alice.id()));
        assertEquals(Optional.empty(), accounts.get(alice.id()));
        assertRevoked(alices);
        assertInstanceOf(Consumption.Consumed.class, refreshTokens.consume(bobs, clock.instant()));
        assertEquals(Optional.of(bob), users.findById(bob.id()));
    }

    @Test
    void deleteAccountIsTheSame() {
        User alice = alice();
        String alices = refreshTokenOf(alice, "laptop");

        assertTrue(accounts.deleteAccount(alice.id()));

        assertEquals(Optional.empty(), accounts.me(alice.id()));
        assertRevoked(alices);
        // the e-mail and username are free again
        assertInstanceOf(SignUp.Result.Created.class, accounts.signUp(command("alice@example.com", "alice")));
    }

    @Test
    void deletingAnUnknownUserIsFalse() {
        User alice = alice();
        accounts.delete(alice.id());

        assertFalse(accounts.delete(alice.id()), "already gone");
        assertFalse(accounts.deleteAccount(UserId.generate(START)));
    }

    // ---- listing

    @Test
    void listRejectsALimitOutsideOneToOneHundred() {
        for (int limit : new int[] {0, -1, AdministerUsers.MAX_PAGE + 1, Integer.MAX_VALUE}) {
            InvalidValueException e = assertThrows(InvalidValueException.class,
                    () -> accounts.list(UserFilter.none(), Optional.empty(), limit), String.valueOf(limit));
            assertEquals("limit", e.field());
        }
        assertEquals(101, AdministerUsers.MAX_PAGE + 1);
    }

    @Test
    void listPagesInCreationOrder() {
        User a = signUp("a@example.com", "aaa");
        clock.advance(Duration.ofMillis(1));
        User b = signUp("b@example.com", "bbb");
        clock.advance(Duration.ofMillis(1));
        User c = signUp("c@example.com", "ccc");

        Page<User> first = accounts.list(UserFilter.none(), Optional.empty(), 1);
        assertEquals(new Page<>(List.of(a), true), first);
        Page<User> rest = accounts.list(UserFilter.none(), Optional.of(a.id()), AdministerUsers.MAX_PAGE);
        assertEquals(new Page<>(List.of(b, c), false), rest);
    }

    @Test
    void listFilters() {
        User a = signUp("a@example.com", "aaa");
        User b = signUp("b@example.org", "bbb");
        accounts.block(b.id());

        assertEquals(List.of(a), accounts.list(new UserFilter(Optional.of("EXAMPLE.COM"), Optional.empty()),
                Optional.empty(), 10).items());
        assertEquals(List.of(b.id()), accounts.list(new UserFilter(Optional.empty(), Optional.of(true)),
                Optional.empty(), 10).items().stream().map(User::id).toList());
    }
}
