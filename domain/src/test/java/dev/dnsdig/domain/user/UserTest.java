package dev.dnsdig.domain.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tests of {@link User}: creation, the display-name rule and the copy-with methods. */
class UserTest {
    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2025-02-01T00:00:00Z");
    private static final UserId ID = new UserId("01JGJ5Z3N0AAAAAAAAAAAAAAAA");
    private static final Email EMAIL = new Email("alice@example.com");
    private static final Username ALICE = new Username("alice");
    private static final ExternalIdentity GITHUB = new ExternalIdentity("github", "12345");

    private static User alice(boolean admin) {
        return User.create(ID, EMAIL, ALICE, Optional.of("Alice A."), Optional.of("hash"), List.of(GITHUB), admin, CREATED);
    }

    private static User withDisplayName(Optional<String> displayName) {
        return new User(ID, EMAIL, ALICE, displayName, List.of(), Set.of(), Optional.empty(), Optional.empty(),
                CREATED, CREATED, 0);
    }

    @Test
    void createGivesTheDefaultPermissions() {
        User user = alice(false);

        assertEquals(Permission.defaults(), user.permissions());
        assertFalse(user.has(Permission.ADMIN_USERS));
        assertTrue(user.has(Permission.READ_TODOS));
    }

    @Test
    void createOfAnAdministratorGivesEveryPermission() {
        User user = alice(true);

        assertEquals(Permission.all(), user.permissions());
        assertTrue(user.has(Permission.ADMIN_USERS));
    }

    @Test
    void createStartsUnblockedAtVersionZero() {
        User user = alice(false);

        assertEquals(ID, user.id());
        assertEquals(EMAIL, user.email());
        assertEquals(ALICE, user.username());
        assertEquals(Optional.of("Alice A."), user.displayName());
        assertEquals(Optional.of("hash"), user.passwordHash());
        assertEquals(List.of(GITHUB), user.identities());
        assertEquals(Optional.empty(), user.blockedAt());
        assertFalse(user.blocked());
        assertEquals(CREATED, user.createdAt());
        assertEquals(CREATED, user.updatedAt());
        assertEquals(0, user.version());
    }

    @Test
    void createWithoutPasswordOrIdentities() {
        User user = User.create(ID, EMAIL, ALICE, Optional.empty(), Optional.empty(), List.of(), false, CREATED);

        assertEquals(Optional.empty(), user.passwordHash());
        assertEquals(Optional.empty(), user.displayName());
        assertEquals(List.of(), user.identities());
    }

    @Test
    void displayNameIsOneToOneHundredCharactersAndNotBlank() {
        assertEquals(Optional.of("A"), withDisplayName(Optional.of("A")).displayName());
        assertEquals(100, withDisplayName(Optional.of("x".repeat(100))).displayName().orElseThrow().length());
        assertEquals(Optional.of("  Alice  "), withDisplayName(Optional.of("  Alice  ")).displayName());
        for (String bad : List.of("", " ", "\t\n", "x".repeat(101))) {
            InvalidValueException e = assertThrows(InvalidValueException.class,
                    () -> withDisplayName(Optional.of(bad)), bad);
            assertEquals("displayName", e.field());
            assertEquals("displayName must be 1-100 characters and not blank", e.getMessage());
        }
    }

    @Test
    void checkDisplayNameIsTheSameRule() {
        User.checkDisplayName("Bob");
        assertThrows(InvalidValueException.class, () -> User.checkDisplayName(" "));
        assertThrows(InvalidValueException.class, () -> User.checkDisplayName("y".repeat(User.DISPLAY_NAME_MAX + 1)));
    }

    @Test
    void createChecksTheDisplayName() {
        assertThrows(InvalidValueException.class, () -> User.create(ID, EMAIL, ALICE, Optional.of(" "), Optional.empty(),
                List.of(), false, CREATED));
    }

    @Test
    void requiredFields() {
        assertThrows(NullPointerException.class, () -> new User(null, EMAIL, ALICE, Optional.empty(), List.of(),
                Set.of(), Optional.empty(), Optional.empty(), CREATED, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new User(ID, null, ALICE, Optional.empty(), List.of(),
                Set.of(), Optional.empty(), Optional.empty(), CREATED, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new User(ID, EMAIL, null, Optional.empty(), List.of(),
                Set.of(), Optional.empty(), Optional.empty(), CREATED, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new User(ID, EMAIL, ALICE, null, List.of(),
                Set.of(), Optional.empty(), Optional.empty(), CREATED, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new User(ID, EMAIL, ALICE, Optional.empty(), List.of(),
                Set.of(), null, Optional.empty(), CREATED, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new User(ID, EMAIL, ALICE, Optional.empty(), List.of(),
                Set.of(), Optional.empty(), null, CREATED, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new User(ID, EMAIL, ALICE, Optional.empty(), List.of(),
                Set.of(), Optional.empty(), Optional.empty(), null, CREATED, 0));
        assertThrows(NullPointerException.class, () -> new User(ID, EMAIL, ALICE, Optional.empty(), List.of(),
                Set.of(), Optional.empty(), Optional.empty(), CREATED, null, 0));
    }

    @Test
    void collectionsAreCopiedAndImmutable() {
        List<ExternalIdentity> identities = new ArrayList<>(List.of(GITHUB));
        Set<Permission> permissions = EnumSet.of(Permission.READ_TODOS);
        User user = new User(ID, EMAIL, ALICE, Optional.empty(), identities, permissions, Optional.empty(),
                Optional.empty(), CREATED, CREATED, 0);

        identities.add(new ExternalIdentity("oidc", "x"));
        permissions.add(Permission.ADMIN_USERS);

        assertEquals(List.of(GITHUB), user.identities());
        assertEquals(Set.of(Permission.READ_TODOS), user.permissions());
        assertThrows(UnsupportedOperationException.class, () -> user.identities().add(GITHUB));
        assertThrows(UnsupportedOperationException.class, () -> user.permissions().add(Permission.ADMIN_USERS));
    }

    @Test
    void noPermissionsAtAll() {
        User user = withDisplayName(Optional.empty());

        assertEquals(Set.of(), user.permissions());
        for (Permission permission : Permission.values()) {
            assertFalse(user.has(permission));
        }
    }

    @Test
    void withProfileChangesNameAndDisplayNameOnly() {
        User before = alice(false);
        User after = before.withProfile(Optional.empty(), new Username("alicia"), LATER);

        assertEquals(new Username("alicia"), after.username());
        assertEquals(Optional.empty(), after.displayName());
        assertEquals(new User(ID, EMAIL, new Username("alicia"), Optional.empty(), List.of(GITHUB), Permission.defaults(),
                Optional.empty(), Optional.of("hash"), CREATED, LATER, 0), after);
        assertEquals(ALICE, before.username(), "the original is untouched");
    }

    @Test
    void withProfileChecksTheDisplayName() {
        assertThrows(InvalidValueException.class, () -> alice(false).withProfile(Optional.of(""), ALICE, LATER));
    }

    @Test
    void withPermissionsReplacesThePermissions() {
        User before = alice(true);
        User after = before.withPermissions(EnumSet.of(Permission.READ_RESOLVER), LATER);

        assertEquals(Set.of(Permission.READ_RESOLVER), after.permissions());
        assertFalse(after.has(Permission.ADMIN_USERS));
        assertEquals(new User(ID, EMAIL, ALICE, Optional.of("Alice A."), List.of(GITHUB), Set.of(Permission.READ_RESOLVER),
                Optional.empty(), Optional.of("hash"), CREATED, LATER, 0), after);
        assertEquals(Permission.all(), before.permissions(), "the original is untouched");
    }

    @Test
    void withBlockedAtBlocksAndUnblocks() {
        User before = alice(false);
        User blocked = before.withBlockedAt(Optional.of(LATER), LATER);

        assertTrue(blocked.blocked());
        assertEquals(Optional.of(LATER), blocked.blockedAt());
        assertEquals(new User(ID, EMAIL, ALICE, Optional.of("Alice A."), List.of(GITHUB), Permission.defaults(),
                Optional.of(LATER), Optional.of("hash"), CREATED, LATER, 0), blocked);
        assertFalse(before.blocked());

        Instant evenLater = LATER.plusSeconds(60);
        User unblocked = blocked.withBlockedAt(Optional.empty(), evenLater);
        assertFalse(unblocked.blocked());
        assertEquals(evenLater, unblocked.updatedAt());
    }

    @Test
    void withIdentityAddsANewIdentity() {
        ExternalIdentity oidc = new ExternalIdentity("oidc", "sub-9");
        User before = alice(false);
        User after = before.withIdentity(oidc, LATER);

        assertEquals(List.of(GITHUB, oidc), after.identities());
        assertEquals(new User(ID, EMAIL, ALICE, Optional.of("Alice A."), List.of(GITHUB, oidc), Permission.defaults(),
                Optional.empty(), Optional.of("hash"), CREATED, LATER, 0), after);
        assertEquals(List.of(GITHUB), before.identities());
    }

    @Test
    void withIdentityAddsNoDuplicate() {
        User before = alice(false);
        User after = before.withIdentity(new ExternalIdentity("github", "12345"), LATER);

        assertEquals(List.of(GITHUB), after.identities());
    }

    @Test
    void nextVersionCountsUpAndChangesNothingElse() {
        User before = alice(false).withPermissions(Permission.all(), LATER);
        User next = before.nextVersion();

        assertEquals(before.version() + 1, next.version());
        assertEquals(LATER, next.updatedAt());
        assertEquals(before.permissions(), next.permissions());
        assertEquals(new User(before.id(), before.email(), before.username(), before.displayName(), before.identities(),
                before.permissions(), before.blockedAt(), before.passwordHash(), before.createdAt(), before.updatedAt(),
                1), next);
        assertEquals(2, next.nextVersion().version());
    }

    @Test
    void theCopyMethodsKeepTheVersion() {
        User stored = alice(false).nextVersion().nextVersion();

        assertEquals(2, stored.withProfile(Optional.empty(), ALICE, LATER).version());
        assertEquals(2, stored.withPermissions(Set.of(), LATER).version());
        assertEquals(2, stored.withBlockedAt(Optional.of(LATER), LATER).version());
        assertEquals(2, stored.withIdentity(new ExternalIdentity("oidc", "1"), LATER).version());
        assertEquals(CREATED, stored.withIdentity(new ExternalIdentity("oidc", "1"), LATER).createdAt());
    }

    @Test
    void usersWithDifferentContentAreNotEqual() {
        assertNotEquals(alice(false), alice(true));
        assertEquals(alice(false), alice(false));
    }
}
