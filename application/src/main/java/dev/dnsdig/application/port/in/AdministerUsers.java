package dev.dnsdig.application.port.in;

import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.UserRepository.UserFilter;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import java.util.Optional;

/** Use case: administrators (admin:users) list, change, block and delete accounts and grant permissions. */
public interface AdministerUsers {
    int MAX_PAGE = 100;

    Page<User> list(UserFilter filter, Optional<UserId> after, int limit);

    Optional<User> get(UserId id);

    ProfileResult update(UserId id, ProfileChange change);

    boolean delete(UserId id);

    ProfileResult block(UserId id);

    ProfileResult unblock(UserId id);

    ProfileResult grant(UserId id, Permission permission);

    ProfileResult revoke(UserId id, Permission permission);
}
