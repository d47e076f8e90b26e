package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.LogIn;
import dev.dnsdig.application.port.in.Tokens;
import dev.dnsdig.application.port.out.PasswordHasher;
import dev.dnsdig.application.port.out.RefreshTokenStore;
import dev.dnsdig.application.port.out.RefreshTokenStore.Consumption;
import dev.dnsdig.application.port.out.RefreshTokenStore.RefreshToken;
import dev.dnsdig.application.port.out.TokenIssuer;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Implements password login and sessions. Refresh tokens are 256 random bits, stored as SHA-256 hashes
 * (high-entropy secrets need no slow hash), used once and rotated within a family; reuse revokes the family.
 */
public final class SessionService implements LogIn {
    private static final String REJECTED = "invalid e-mail or password";

    private final UserRepository users;
    private final RefreshTokenStore refreshTokens;
    private final PasswordHasher hasher;
    private final TokenIssuer issuer;
    private final Duration refreshLifetime;
    private final Clock clock;

    public SessionService(UserRepository users, RefreshTokenStore refreshTokens, PasswordHasher hasher, TokenIssuer issuer,
                          Duration refreshLifetime, Clock clock) {
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.hasher = hasher;
        this.issuer = issuer;
        this.refreshLifetime = refreshLifetime;
        this.clock = clock;
    }

    @Override
    public SessionResult logIn(Email email, String password) {
        Optional<User> found = users.findByEmail(email);
        // the same slow hash check whether or not the account exists, so timing reveals nothing
        String hash = found.flatMap(User::passwordHash).orElseGet(hasher::decoyHash);
        boolean matches = hasher.matches(password == null ? "" : password, hash);
        if (found.isEmpty() || found.get().passwordHash().isEmpty() || !matches) {
            return new SessionResult.Rejected(REJECTED);
        }
        User user = found.get();
        if (user.blocked()) {
            return new SessionResult.Blocked();
        }
        return new SessionResult.Issued(issue(user, newId()));
    }

    /**
     * Rotates a refresh token: its successor is made and stored first and the token used up last, so a store that
     * fails in between (a 503) leaves the token usable for the client's retry, instead of making the retry look like
     * a stolen token's reuse, which ends the session. A successor made for a try that then failed is never handed
     * out; it belongs to the same session, ends with it, and expires.
     */
    @Override
    public SessionResult refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            return new SessionResult.Rejected("refresh_token is missing");
        }
        Instant now = clock.instant();
        String hash = hash(refreshToken);
        Optional<RefreshToken> usable = refreshTokens.findUsable(hash, now);
        if (usable.isEmpty()) {
            return notUsable(refreshTokens.consume(hash, now)); // takes nothing: it only says why
        }
        Optional<User> user = users.findById(usable.get().userId());
        if (user.isEmpty()) {
            return new SessionResult.Rejected("the account no longer exists");
        }
        if (user.get().blocked()) {
            return new SessionResult.Blocked();
        }
        Tokens next = issue(user.get(), usable.get().familyId());
        return switch (refreshTokens.consume(hash, now)) {
            case Consumption.Consumed consumed -> new SessionResult.Issued(next);
            // a concurrent refresh with the same token took it first: the successor made here goes with the session
            case Consumption other -> notUsable(other);
        };
    }

    /** Why a token could not be used, and what that means for its session. */
    private SessionResult notUsable(Consumption consumption) {
        return switch (consumption) {
            case Consumption.AlreadyUsed used -> {
                // a used token presented again means it leaked: end the whole session for everyone holding it
                refreshTokens.revokeFamily(used.token().familyId());
                yield new SessionResult.Rejected("refresh token was already used; the session has been revoked");
            }
            case Consumption.Invalid invalid -> new SessionResult.Rejected(invalid.reason());
            // only if the token became usable between two reads, which the store's rules exclude (used and revoked
            // never revert): it is used up with no successor, so the client must log in again
            case Consumption.Consumed consumed -> new SessionResult.Rejected("refresh token changed while in use; log in again");
        };
    }

    @Override
    public void logOut(String refreshToken) {
        if (refreshToken != null && !refreshToken.isBlank()) {
            refreshTokens.familyOf(hash(refreshToken)).ifPresent(refreshTokens::revokeFamily);
        }
    }

    /** Starts a session for a user another way has authenticated (an external login): tokens, unless blocked. */
    public SessionResult sessionFor(User user) {
        return user.blocked() ? new SessionResult.Blocked() : new SessionResult.Issued(issue(user, newId()));
    }

    private Tokens issue(User user, String familyId) {
        Instant now = clock.instant();
        TokenIssuer.AccessToken access = issuer.issue(user.id(), user.permissions(), now);
        String refresh = newSecret();
        refreshTokens.save(new RefreshToken(hash(refresh), familyId, user.id(), now, now.plus(refreshLifetime)));
        return new Tokens(access.token(), Duration.between(now, access.expiresAt()), Optional.of(refresh), user.permissions());
    }

    /** The stored form of a refresh token. */
    public static String hash(String refreshToken) {
        return Secrets.sha256Hex(refreshToken);
    }

    private static String newSecret() {
        return Secrets.random(32);
    }

    private static String newId() {
        return Secrets.randomHex(16);
    }
}
