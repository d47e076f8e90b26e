package dev.dnsdig.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Outgoing persistence port for pending external logins, keyed by {@code state}. {@link #take} removes the
 * entry in one atomic step, so a state works once; expiry is checked against the clock, never left to a TTL.
 */
public interface LoginStateStore {

    /** False when the state is already in use. */
    boolean save(LoginState state);

    Taken take(String state, Instant now);

    /** A pending login: the provider, the secrets to check the answer with, and the caller's {@code store} JSON. */
    record LoginState(String state, String provider, String nonce, String codeVerifier, Optional<String> store,
                      Instant createdAt, Instant expiresAt) {
        public LoginState {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(codeVerifier, "codeVerifier");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** What taking a state found. */
    sealed interface Taken {
        record Found(LoginState state) implements Taken {
        }

        /** It existed but had expired (and is gone now). */
        record Expired() implements Taken {
        }

        /** Never issued, or already used. */
        record Unknown() implements Taken {
        }
    }
}
