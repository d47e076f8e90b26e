package dev.dnsdig.application.port.in;

import java.net.URI;
import java.util.Optional;

/** Use case: sign in with an OpenID Connect provider: start (a login URL) and complete (the callback). */
public interface ExternalLogin {

    /** The configured providers' names, the first being the default. */
    java.util.List<String> providers();

    /** {@code state}: the caller's (at least 8 characters) or a generated one; {@code store}: JSON handed back later. */
    Started begin(String provider, Optional<String> state, Optional<String> store);

    Completed complete(String provider, Optional<String> code, Optional<String> state, Optional<String> error,
                       Optional<String> errorDescription);

    /** The outcome of starting. */
    sealed interface Started {
        record Url(URI loginUrl, String state) implements Started {
        }

        record UnknownProvider() implements Started {
        }

        /** The caller's state is too short, too long or already in use. */
        record BadState(String reason) implements Started {
        }

        /** The provider is down: 502. */
        record Unavailable(String reason) implements Started {
        }
    }

    /** The outcome of the callback. */
    sealed interface Completed {
        record LoggedIn(Tokens tokens, Optional<String> store) implements Completed {
        }

        record UnknownProvider() implements Completed {
        }

        /** Unknown, used or expired state, or a missing code: 400. */
        record BadState(String reason) implements Completed {
        }

        /** The provider sent an error back (to the callback or from the token endpoint): 400 carrying it. */
        record ProviderError(String error, String description) implements Completed {
        }

        /** The id_token failed verification: 401. */
        record Rejected(String reason) implements Completed {
        }

        /** The provider is down or broken: 502. */
        record Unavailable(String reason) implements Completed {
        }

        /** The account exists but is blocked: 403. */
        record Blocked() implements Completed {
        }

        /** The e-mail belongs to an account and the provider has not verified it, so it is not linked: 409. */
        record EmailNotVerified() implements Completed {
        }
    }
}
