package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.util.Optional;
import java.util.Set;

/** Use case: turn an {@code Authorization} header into a principal allowed to do what is asked. */
public interface Authenticate {

    /** Authenticates and, when {@code required} is given, checks that permission too. */
    Result authenticate(Optional<String> authorizationHeader, Optional<Permission> required);

    /** Who is calling and what they may do: the user's permissions, narrowed by the token's if it carries any. */
    record Principal(UserId userId, Set<Permission> permissions, Optional<ClientId> client) {
        public Principal {
            permissions = Set.copyOf(permissions);
            java.util.Objects.requireNonNull(client, "client");
        }

        public Principal(UserId userId, Set<Permission> permissions) {
            this(userId, permissions, Optional.empty());
        }

        public boolean may(Permission permission) {
            return permissions.contains(permission);
        }
    }

    /** Authenticated, a 401 / 403 kind of refusal, or no verdict possible now (503). */
    sealed interface Result {
        record Authenticated(Principal principal) implements Result {
        }

        /** No usable credentials (401). {@code error} is the RFC 6750 code, empty when none were given. */
        record Unauthenticated(Optional<String> error, String description) implements Result {
        }

        /** Known caller, not allowed (403): blocked, or lacking {@code missing}. */
        record Forbidden(String description, Optional<Permission> missing) implements Result {
        }

        /**
         * The token's identity provider cannot check it right now (503): neither accepted nor refused; the client
         * should send it again after {@code retryAfter}.
         */
        record Unavailable(String description, java.time.Duration retryAfter) implements Result {
        }
    }
}
