package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing persistence port for accounts. Uniqueness (e-mail and username regardless of case, provider plus
 * subject) is the store's job, so two concurrent sign-ups can never both win; updates are optimistic on
 * {@link User#version()}.
 */
public interface UserRepository {

    /** Stores a new user (version 0). */
    CreateResult create(User user);

    Optional<User> findById(UserId id);

    Optional<User> findByEmail(Email email);

    Optional<User> findByIdentity(ExternalIdentity identity);

    /** Replaces the user if its stored version is still {@code user.version()}; the stored one gets the next version. */
    UpdateResult update(User user);

    /** True when a user was removed. */
    boolean delete(UserId id);

    /** Users in id (creation) order after the cursor, optionally filtered. */
    Page<User> list(UserFilter filter, Optional<UserId> after, int limit);

    /** Filters for the admin listing; an empty optional does not filter. */
    record UserFilter(Optional<String> emailContains, Optional<Boolean> blocked) {
        public static UserFilter none() {
            return new UserFilter(Optional.empty(), Optional.empty());
        }
    }

    /** How a create went: stored, or which uniqueness rule refused it. */
    sealed interface CreateResult {
        record Created(User user) implements CreateResult {
        }

        record Conflict(Uniqueness rule) implements CreateResult {
        }
    }

    /** How an update went. */
    sealed interface UpdateResult {
        record Updated(User user) implements UpdateResult {
        }

        record NotFound() implements UpdateResult {
        }

        /** Someone else saved a newer version first. */
        record VersionConflict() implements UpdateResult {
        }

        record Conflict(Uniqueness rule) implements UpdateResult {
        }
    }

    /** The uniqueness rules a store enforces. */
    enum Uniqueness {
        EMAIL, USERNAME, IDENTITY
    }
}
