package dev.dnsdig.adapters.rest.ratelimit;

import dev.dnsdig.application.port.in.LimitRequests.Policy;
import java.util.Objects;
import java.util.Optional;

/**
 * The API's rate-limit settings: each policy, or empty when that kind of limit is off, and the proxies whose
 * {@code X-Forwarded-For} is believed.
 */
public record RateLimits(Optional<Policy> anonymous, Optional<Policy> user, Optional<Policy> login,
                         TrustedProxies trustedProxies) {
    public RateLimits {
        Objects.requireNonNull(anonymous, "anonymous");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
    }

    /** No limits at all. */
    public static RateLimits off() {
        return new RateLimits(Optional.empty(), Optional.empty(), Optional.empty(), TrustedProxies.none());
    }
}
