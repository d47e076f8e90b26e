package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.user.Permission;
import java.time.Duration;
import java.util.Set;

/** An OAuth2-style token response: a short-lived access token and a single-use refresh token. */
public record Tokens(String accessToken, Duration expiresIn, String refreshToken, Set<Permission> permissions) {
    public Tokens {
        permissions = Set.copyOf(permissions);
    }

    @Override
    public String toString() {
        return "Tokens[expiresIn=" + expiresIn + ", permissions=" + permissions + "]"; // never the tokens themselves
    }
}
