package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * Outgoing persistence port for refresh tokens, kept only as hashes. Each token is used at most once:
 * {@link #consume} marks it used in one atomic step, so two concurrent refreshes cannot both succeed.
 * Expiry is checked against the clock, never left to a TTL index.
 */
public interface RefreshTokenStore {

    void save(RefreshToken token);

    /**
     * The token if {@link #consume} would take it now (unused, unrevoked, its family not revoked, unexpired), without
     * marking it: a refresh makes its successor before it uses the token up, so that a failure in between leaves the
     * token usable for the client's retry.
     */
    java.util.Optional<RefreshToken> findUsable(String tokenHash, Instant now);

    /** Marks an unused, unrevoked, unexpired token used and returns it; otherwise says why not. */
    Consumption consume(String tokenHash, Instant now);

    /** Revokes every token of the family (the chain of rotations that started at one login). */
    void revokeFamily(String familyId);

    /** Revokes every token of the user (account deleted or blocked). */
    void revokeUser(UserId userId);

    /** The family of a token, for logout; empty when the hash is unknown. */
    java.util.Optional<String> familyOf(String tokenHash);

    /** A stored refresh token. */
    record RefreshToken(String tokenHash, String familyId, UserId userId, Instant issuedAt, Instant expiresAt) {
        public RefreshToken {
            Objects.requireNonNull(tokenHash, "tokenHash");
            Objects.requireNonNull(familyId, "familyId");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** What consuming a token found. */
    sealed interface Consumption {
        /** The token was valid and is now used. */
        record Consumed(RefreshToken token) implements Consumption {
        }

        /** The token had been used before: a sign of theft, the caller revokes the family. */
        record AlreadyUsed(RefreshToken token) implements Consumption {
        }

        /** Unknown, expired or revoked. */
        record Invalid(String reason) implements Consumption {
        }
    }
}
