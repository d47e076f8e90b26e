package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.AdministerUsers;
import dev.dnsdig.application.port.in.ManageOwnAccount;
import dev.dnsdig.application.port.in.ProfileChange;
import dev.dnsdig.application.port.in.ProfileResult;
import dev.dnsdig.application.port.in.SignUp;
import dev.dnsdig.application.port.out.PasswordHasher;
import dev.dnsdig.application.port.out.RefreshTokenStore;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.application.port.out.UserRepository.CreateResult;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.UserRepository.Uniqueness;
import dev.dnsdig.application.port.out.UserRepository.UpdateResult;
import dev.dnsdig.application.port.out.UserOwnedData;
import dev.dnsdig.application.port.out.UserRepository.UserFilter;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Implements sign-up, a user's own account, and user administration. */
public final class AccountService implements SignUp, ManageOwnAccount, AdministerUsers {
    /** Read-modify-write attempts before giving up on a user that keeps changing underneath. */
    private static final int ATTEMPTS = 5;

    private final UserRepository users;
    private final RefreshTokenStore refreshTokens;
    private final List<UserOwnedData> ownedData;
    private final PasswordHasher hasher;
    private final Set<String> adminEmails;
    private final Clock clock;

    /**
     * {@code ownedData} is everything kept on a user's behalf (applications, todos, ...): deleting the account
     * deletes it too.
     */
    public AccountService(UserRepository users, RefreshTokenStore refreshTokens, PasswordHasher hasher,
                          Set<String> adminEmails, Clock clock, UserOwnedData... ownedData) {
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.ownedData = List.of(ownedData);
        this.hasher = hasher;
        this.adminEmails = adminEmails.stream().map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.clock = clock;
    }

    @Override
    public Result signUp(Command command) {
        // the cheap check first: a taken e-mail, or a store that cannot be reached, answers before a password hash is
        // paid for (tens of milliseconds of a core); the unique indexes of create() stay the rule
        if (users.findByEmail(command.email()).isPresent()) {
            return new Result.Taken(Uniqueness.EMAIL);
        }
        boolean admin = adminEmails.contains(command.email().normalized());
        User user = User.create(UserId.generate(clock.instant()), command.email(), command.username(),
                command.displayName(), Optional.of(hasher.hash(command.password())), List.of(), admin, clock.instant());
        return switch (users.create(user)) {
            case CreateResult.Created created -> new Result.Created(created.user());
            case CreateResult.Conflict conflict -> new Result.Taken(conflict.rule());
        };
    }

    @Override
    public Optional<User> me(UserId id) {
        return users.findById(id);
    }

    @Override
    public ProfileResult updateProfile(UserId id, ProfileChange change) {
        return change(id, user -> user.withProfile(
                change.displayName().orElse(user.displayName()),
                change.username().orElse(user.username()), clock.instant()));
    }

    @Override
    public boolean deleteAccount(UserId id) {
        // the user document goes first: from then on its tokens fail authentication, whatever the cleanup does
        boolean deleted = users.delete(id);
        refreshTokens.revokeUser(id);
        // an interrupted cleanup leaves only data nobody can reach any more: every read is by owner
        ownedData.forEach(data -> data.deleteAllOf(id));
        return deleted;
    }

    @Override
    public Page<User> list(UserFilter filter, Optional<UserId> after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new dev.dnsdig.domain.InvalidValueException("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        return users.list(filter, after, limit);
    }

    @Override
    public Optional<User> get(UserId id) {
        return users.findById(id);
    }

    @Override
    public ProfileResult update(UserId id, ProfileChange change) {
        return updateProfile(id, change);
    }

    @Override
    public boolean delete(UserId id) {
        return deleteAccount(id);
    }

    @Override
    public ProfileResult block(UserId id) {
        ProfileResult result = change(id, user -> user.blocked() ? user : user.withBlockedAt(Optional.of(clock.instant()), clock.instant()));
        if (result instanceof ProfileResult.Changed) {
            refreshTokens.revokeUser(id); // a blocked user's sessions end; access tokens fail at the next request
        }
        return result;
    }

    @Override
    public ProfileResult unblock(UserId id) {
        return change(id, user -> user.withBlockedAt(Optional.empty(), clock.instant()));
    }

    @Override
    public ProfileResult grant(UserId id, Permission permission) {
        return change(id, user -> {
            Set<Permission> more = user.permissions().isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(user.permissions());
            more.add(permission);
            return user.withPermissions(more, clock.instant());
        });
    }

    @Override
    public ProfileResult revoke(UserId id, Permission permission) {
        return change(id, user -> {
            Set<Permission> fewer = user.permissions().isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(user.permissions());
            fewer.remove(permission);
            return user.withPermissions(fewer, clock.instant());
        });
    }

    /** Optimistic read-modify-write: re-reads and retries when another writer saved in between. */
    private ProfileResult change(UserId id, UnaryOperator<User> modification) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<User> current = users.findById(id);
            if (current.isEmpty()) {
                return new ProfileResult.NotFound();
            }
            User changed = modification.apply(current.get());
            if (sameContent(changed, current.get())) {
                return new ProfileResult.Changed(current.get()); // nothing to store: no new version, no new updatedAt
            }
            switch (users.update(changed)) {
                case UpdateResult.Updated updated -> {
                    return new ProfileResult.Changed(updated.user());
                }
                case UpdateResult.NotFound notFound -> {
                    return new ProfileResult.NotFound();
                }
                case UpdateResult.Conflict conflict -> {
                    return new ProfileResult.Taken(conflict.rule());
                }
                case UpdateResult.VersionConflict conflict -> {
                    // someone else won; read again and re-apply
                }
            }
        }
        throw new IllegalStateException("user " + id + " kept changing during " + ATTEMPTS + " attempts");
    }

    /** Equal but for {@code updatedAt}, which every modification sets to now. */
    private static boolean sameContent(User changed, User current) {
        return changed.withBlockedAt(changed.blockedAt(), current.updatedAt()).equals(current);
    }
}
