package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.user.Permission;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * An OAuth2-style token response: a short-lived access token and, for user sessions, a single-use refresh
 * token (machine clients get none: they hold their credentials).
 */
public record Tokens(String accessToken, Duration expiresIn, Optional<String> refreshToken, Set<Permission> permissions) {
    public Tokens {
        java.util.Objects.requireNonNull(refreshToken, "refreshToken");
        permissions = Set.copyOf(permissions);
    }

    @Override
    public String toString() {
        return "Tokens[expiresIn=" + expiresIn + ", permissions=" + permissions + "]"; // never the tokens themselves
    }
}
