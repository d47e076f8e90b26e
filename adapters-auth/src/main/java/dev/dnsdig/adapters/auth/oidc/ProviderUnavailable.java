package dev.dnsdig.adapters.auth.oidc;

/**
 * The provider could not be reached, or answered something we cannot use. The message is a short reason that
 * is safe to show a client (no addresses, no library text); no stack trace is kept.
 */
final class ProviderUnavailable extends Exception {
    ProviderUnavailable(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}
