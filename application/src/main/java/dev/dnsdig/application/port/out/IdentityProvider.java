package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Outgoing port through which an identity provider verifies a bearer token (signature, algorithm, key id,
 * issuer, audience, expiry, not-before). The REST layer never touches a JWT library; it asks this port.
 */
public interface IdentityProvider {

    /** A short name for logs and problem details, e.g. {@code builtin} or {@code oidc}. */
    String name();

    Verification verify(String token);

    /** Whom a verified token speaks for. */
    sealed interface Subject {
        /** One of our users, by id (tokens we issued ourselves). */
        record Local(UserId id) implements Subject {
        }

        /** A user known to an external provider, to be matched by provider and subject. */
        record External(ExternalIdentity identity) implements Subject {
        }
    }

    /** The outcome of verifying a token. */
    sealed interface Verification {
        /** Signed by a trusted key, for us, in its validity window. Permissions: what the token is limited to, if it says. */
        record Verified(Subject subject, Optional<Set<Permission>> permissions, Instant expiresAt,
                        Optional<ClientId> client) implements Verification {
            public Verified {
                Objects.requireNonNull(subject, "subject");
                Objects.requireNonNull(permissions, "permissions");
                Objects.requireNonNull(expiresAt, "expiresAt");
                Objects.requireNonNull(client, "client");
            }

            /** A user's own token, not a machine client's. */
            public Verified(Subject subject, Optional<Set<Permission>> permissions, Instant expiresAt) {
                this(subject, permissions, expiresAt, Optional.empty());
            }
        }

        /** This provider's token, or a forgery of one, and it fails; the reason is safe to show the client. */
        record Rejected(String reason) implements Verification {
        }

        /** Not a token of this provider (another issuer); another provider may accept it. */
        record NotMine() implements Verification {
        }

        /**
         * This provider's token, but it cannot be checked now (its signing keys cannot be fetched): no verdict either
         * way, ask again after {@code retryAfter}. The reason is safe to show the client.
         */
        record Unavailable(String reason, Duration retryAfter) implements Verification {
            public Unavailable {
                Objects.requireNonNull(reason, "reason");
                Objects.requireNonNull(retryAfter, "retryAfter");
            }
        }
    }
}
