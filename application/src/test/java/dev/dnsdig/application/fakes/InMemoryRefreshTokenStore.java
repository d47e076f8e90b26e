package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.RefreshTokenStore;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** In-memory {@link RefreshTokenStore} with the Mongo adapter's single-use and revocation rules. */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private final Map<String, Entry> tokens = new HashMap<>();
    private final java.util.Set<String> revokedFamilies = new java.util.HashSet<>();

    private record Entry(RefreshToken token, boolean used, boolean revoked) {
    }

    @Override
    public synchronized void save(RefreshToken token) {
        if (tokens.putIfAbsent(token.tokenHash(), new Entry(token, false, revokedFamilies.contains(token.familyId()))) != null) {
            throw new IllegalStateException("duplicate refresh token hash");
        }
    }

    @Override
    public synchronized Optional<RefreshToken> findUsable(String tokenHash, Instant now) {
        Entry entry = tokens.get(tokenHash);
        boolean usable = entry != null && !entry.used() && !entry.revoked() && entry.token().expiresAt().isAfter(now);
        return usable ? Optional.of(entry.token()) : Optional.empty();
    }

    @Override
    public synchronized Consumption consume(String tokenHash, Instant now) {
        Entry entry = tokens.get(tokenHash);
        if (entry == null) {
            return new Consumption.Invalid("unknown refresh token");
        }
        if (entry.revoked()) {
            return new Consumption.Invalid("refresh token revoked");
        }
        if (entry.used()) {
            return new Consumption.AlreadyUsed(entry.token());
        }
        if (!entry.token().expiresAt().isAfter(now)) {
            return new Consumption.Invalid("refresh token expired");
        }
        tokens.put(tokenHash, new Entry(entry.token(), true, false));
        return new Consumption.Consumed(entry.token());
    }

    @Override
    public synchronized void revokeFamily(String familyId) {
        revokedFamilies.add(familyId);
        tokens.replaceAll((hash, e) -> e.token().familyId().equals(familyId) ? new Entry(e.token(), e.used(), true) : e);
    }

    @Override
    public synchronized void revokeUser(UserId userId) {
        tokens.replaceAll((hash, e) -> e.token().userId().equals(userId) ? new Entry(e.token(), e.used(), true) : e);
    }

    @Override
    public synchronized Optional<String> familyOf(String tokenHash) {
        return Optional.ofNullable(tokens.get(tokenHash)).map(e -> e.token().familyId());
    }
}
