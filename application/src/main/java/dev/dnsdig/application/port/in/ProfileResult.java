package dev.dnsdig.application.port.in;

import dev.dnsdig.application.port.out.UserRepository.Uniqueness;
import dev.dnsdig.domain.user.User;

/** The outcome of changing an account. */
public sealed interface ProfileResult {
    record Changed(User user) implements ProfileResult {
    }

    record NotFound() implements ProfileResult {
    }

    record Taken(Uniqueness rule) implements ProfileResult {
    }
}
