package dev.dnsdig.domain.user;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An account. {@code passwordHash} is present for built-in logins only and is opaque here; {@code version}
 * counts stored changes and guards against lost updates.
 */
public record User(UserId id, Email email, Username username, Optional<String> displayName,
                   List<ExternalIdentity> identities, Set<Permission> permissions, Optional<Instant> blockedAt,
                   Optional<String> passwordHash, Instant createdAt, Instant updatedAt, long version) {
    public static final int DISPLAY_NAME_MAX = 100;

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(displayName, "displayName");
        displayName.ifPresent(User::checkDisplayName);
        identities = List.copyOf(identities);
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
        Objects.requireNonNull(blockedAt, "blockedAt");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new account with the default permissions (plus administration when {@code admin}). */
    public static User create(UserId id, Email email, Username username, Optional<String> displayName,
                              Optional<String> passwordHash, List<ExternalIdentity> identities, boolean admin, Instant now) {
        Set<Permission> permissions = admin ? Permission.all() : Permission.defaults();
        return new User(id, email, username, displayName, identities, permissions, Optional.empty(), passwordHash,
                now, now, 0);
    }

    public static void checkDisplayName(String name) {
        if (name.isBlank() || name.length() > DISPLAY_NAME_MAX) {
            throw new dev.dnsdig.domain.InvalidValueException("displayName",
                    "displayName must be 1-" + DISPLAY_NAME_MAX + " characters and not blank");
        }
    }

    public boolean blocked() {
        return blockedAt.isPresent();
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission);
    }

    public User withProfile(Optional<String> newDisplayName, Username newUsername, Instant now) {
        return new User(id, email, newUsername, newDisplayName, identities, permissions, blockedAt, passwordHash,
                createdAt, now, version);
    }

    public User withPermissions(Set<Permission> newPermissions, Instant now) {
        return new User(id, email, username, displayName, identities, newPermissions, blockedAt, passwordHash,
                createdAt, now, version);
    }

    public User withBlockedAt(Optional<Instant> newBlockedAt, Instant now) {
        return new User(id, email, username, displayName, identities, permissions, newBlockedAt, passwordHash,
                createdAt, now, version);
    }

    public User withIdentity(ExternalIdentity identity, Instant now) {
        List<ExternalIdentity> more = new java.util.ArrayList<>(identities);
        if (!more.contains(identity)) {
            more.add(identity);
        }
        return new User(id, email, username, displayName, more, permissions, blockedAt, passwordHash, createdAt, now, version);
    }

    /** The stored form after a successful save: same content, next version. */
    public User nextVersion() {
        return new User(id, email, username, displayName, identities, permissions, blockedAt, passwordHash, createdAt,
                updatedAt, version + 1);
    }
}
