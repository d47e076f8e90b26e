package dev.dnsdig.domain.user;

import dev.dnsdig.domain.InvalidValueException;

/** A login at an identity provider: the provider's name and the subject it gives the user. */
public record ExternalIdentity(String provider, String subject) {
    public ExternalIdentity {
        if (provider == null || provider.isBlank() || subject == null || subject.isBlank()) {
            throw new InvalidValueException("identity", "an external identity needs a provider and a subject");
        }
        if (subject.length() > 255) {
            throw new InvalidValueException("identity", "subject longer than 255 characters");
        }
    }

    /** One string for unique indexes: provider and subject cannot run into each other. */
    public String key() {
        return provider.length() + ":" + provider + ":" + subject;
    }
}
