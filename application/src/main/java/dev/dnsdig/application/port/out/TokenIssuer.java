package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Outgoing port that signs access tokens for our own users (the built-in issuer, or a test double). */
public interface TokenIssuer {

    /** A token for the user, limited to the permissions, and, for a machine client, naming it ({@code client_id}). */
    AccessToken issue(UserId subject, Set<Permission> permissions, Optional<ClientId> client, Instant now);

    default AccessToken issue(UserId subject, Set<Permission> permissions, Instant now) {
        return issue(subject, permissions, Optional.empty(), now);
    }

    /** A signed access token and when it stops working. */
    record AccessToken(String token, Instant expiresAt) {
    }
}
