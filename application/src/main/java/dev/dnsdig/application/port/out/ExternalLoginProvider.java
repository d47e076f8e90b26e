package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.user.ExternalIdentity;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Outgoing port to an OpenID Connect provider's authorization-code flow: where to send the browser, and the
 * code exchange with full id_token verification (signature by JWKS, iss, aud, azp, exp, iat, nonce).
 */
public interface ExternalLoginProvider {

    /** The name used in paths and stored identities, e.g. {@code oidc} or {@code kinde}. */
    String name();

    /**
     * The authorization URL with state, nonce, PKCE S256 challenge, scopes and our redirect URI.
     *
     * @throws Unavailable when the provider's metadata cannot be had (it is down)
     */
    URI authorizationUrl(AuthorizationRequest request);

    /** The provider cannot be reached or answers nonsense; the message is safe to show. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Exchanges the code (with the PKCE verifier) and verifies the id_token against the expected nonce. */
    Exchange exchange(String code, String codeVerifier, String expectedNonce);

    /** What goes into the authorization URL. */
    record AuthorizationRequest(String state, String nonce, String codeChallenge) {
        public AuthorizationRequest {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(codeChallenge, "codeChallenge");
        }
    }

    /** Who the provider says logged in. */
    record Profile(ExternalIdentity identity, Optional<String> email, boolean emailVerified, Optional<String> name) {
        public Profile {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(name, "name");
        }
    }

    /** The outcome of a code exchange. */
    sealed interface Exchange {
        record Authenticated(Profile profile) implements Exchange {
        }

        /** The provider answered with an OAuth error (e.g. invalid_grant): the client's problem, 400. */
        record ProviderError(String error, String description) implements Exchange {
        }

        /** The id_token failed verification: 401. */
        record Rejected(String reason) implements Exchange {
        }

        /** The provider could not be reached or answered nonsense: 502. */
        record Unavailable(String reason) implements Exchange {
        }
    }
}
