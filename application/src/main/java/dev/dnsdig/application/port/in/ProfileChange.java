package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.Username;
import java.util.Optional;

/**
 * A merge-patch of the profile: an absent field stays as it is; {@code displayName} present but empty clears it.
 */
public record ProfileChange(Optional<Optional<String>> displayName, Optional<Username> username) {
    public ProfileChange {
        displayName.flatMap(name -> name).ifPresent(User::checkDisplayName);
    }

    public static ProfileChange none() {
        return new ProfileChange(Optional.empty(), Optional.empty());
    }
}
