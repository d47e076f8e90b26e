package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/** In-memory {@link UserRepository} with the same uniqueness and version rules as the Mongo adapter. */
public final class InMemoryUserRepository implements UserRepository {
    private final TreeMap<UserId, User> users = new TreeMap<>();

    @Override
    public synchronized CreateResult create(User user) {
        Optional<Uniqueness> clash = clash(user);
        if (clash.isPresent()) {
            return new CreateResult.Conflict(clash.get());
        }
        if (users.containsKey(user.id())) {
            throw new IllegalStateException("duplicate id " + user.id());
        }
        users.put(user.id(), user);
        return new CreateResult.Created(user);
    }

    @Override
    public synchronized Optional<User> findById(UserId id) {
        return Optional.ofNullable(users.get(id));
    }

    @Override
    public synchronized Optional<User> findByEmail(Email email) {
        return users.values().stream().filter(u -> u.email().sameAs(email)).findFirst();
    }

    @Override
    public synchronized Optional<User> findByIdentity(ExternalIdentity identity) {
        return users.values().stream().filter(u -> u.identities().contains(identity)).findFirst();
    }

    @Override
    public synchronized UpdateResult update(User user) {
        User stored = users.get(user.id());
        if (stored == null) {
            return new UpdateResult.NotFound();
        }
        if (stored.version() != user.version()) {
            return new UpdateResult.VersionConflict();
        }
        Optional<Uniqueness> clash = clash(user);
        if (clash.isPresent()) {
            return new UpdateResult.Conflict(clash.get());
        }
        User next = user.nextVersion();
        users.put(user.id(), next);
        return new UpdateResult.Updated(next);
    }

    private Optional<Uniqueness> clash(User user) {
        for (User other : users.values()) {
            if (other.id().equals(user.id())) {
                continue;
            }
            if (other.email().sameAs(user.email())) {
                return Optional.of(Uniqueness.EMAIL);
            }
            if (other.username().normalized().equals(user.username().normalized())) {
                return Optional.of(Uniqueness.USERNAME);
            }
            if (other.identities().stream().anyMatch(user.identities()::contains)) {
                return Optional.of(Uniqueness.IDENTITY);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized boolean delete(UserId id) {
        return users.remove(id) != null;
    }

    @Override
    public synchronized Page<User> list(UserFilter filter, Optional<UserId> after, int limit) {
        List<User> matching = new ArrayList<>();
        for (User user : (after.isPresent() ? users.tailMap(after.get(), false) : users).values()) {
            boolean emailOk = filter.emailContains().map(part -> user.email().normalized()
                    .contains(part.toLowerCase(Locale.ROOT))).orElse(true);
            boolean blockedOk = filter.blocked().map(b -> b == user.blocked()).orElse(true);
            if (emailOk && blockedOk) {
                matching.add(user);
                if (matching.size() > limit) {
                    break;
                }
            }
        }
        boolean more = matching.size() > limit;
        return new Page<>(more ? matching.subList(0, limit) : matching, more);
    }
}
