package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import java.util.Optional;

/** Use case: a user reads, changes and deletes their own account. */
public interface ManageOwnAccount {
    Optional<User> me(UserId id);

    ProfileResult updateProfile(UserId id, ProfileChange change);

    /** Deletes the account and everything that belongs to it; false if it was already gone. */
    boolean deleteAccount(UserId id);
}
