package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.user.Email;

/** Use case: log in with e-mail and password; refresh and log out of the session it starts. */
public interface LogIn {
    SessionResult logIn(Email email, String password);

    /** Trades a refresh token for new tokens; the old one is used up, and reusing it revokes the session. */
    SessionResult refresh(String refreshToken);

    /** Ends the session the refresh token belongs to (its whole family); unknown tokens are ignored. */
    void logOut(String refreshToken);

    /** Tokens, or why not. */
    sealed interface SessionResult {
        record Issued(Tokens tokens) implements SessionResult {
        }

        /** Wrong e-mail or password, or an unusable refresh token: the same answer for all, on purpose. */
        record Rejected(String reason) implements SessionResult {
        }

        /** The credentials are right but the account is blocked. */
        record Blocked() implements SessionResult {
        }
    }
}
