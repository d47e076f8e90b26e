package dev.dnsdig.domain.client;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A machine client acting for its owner with at most the permissions given here (and never more than the
 * owner has). Only a hash of its secret is kept; the secret itself is shown once, at creation.
 */
public record Application(ClientId clientId, UserId owner, String name, Set<Permission> permissions, String secretHash,
                          Instant createdAt) {
    public static final int NAME_MAX = 100;

    public Application {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(owner, "owner");
        if (name == null || name.isBlank() || name.length() > NAME_MAX) {
            throw new InvalidValueException("name", "name must be 1-" + NAME_MAX + " characters and not blank");
        }
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
