package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Set;

/** Outgoing port that signs access tokens for our own users (the built-in issuer, or a test double). */
public interface TokenIssuer {

    AccessToken issue(UserId subject, Set<Permission> permissions, Instant now);

    /** A signed access token and when it stops working. */
    record AccessToken(String token, Instant expiresAt) {
    }
}
