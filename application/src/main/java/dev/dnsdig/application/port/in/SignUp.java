package dev.dnsdig.application.port.in;

import dev.dnsdig.application.port.out.UserRepository.Uniqueness;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.Password;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.Username;
import java.util.Objects;
import java.util.Optional;

/** Use case: create an account with a password (the built-in identity provider). */
public interface SignUp {
    Result signUp(Command command);

    /** A validated sign-up request; the password is checked against the policy here and never kept. */
    record Command(Email email, Username username, String password, Optional<String> displayName) {
        public Command {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(username, "username");
            Password.check(password);
            Objects.requireNonNull(displayName, "displayName");
            displayName.ifPresent(User::checkDisplayName);
        }

        @Override
        public String toString() {
            return "Command[email=" + email + ", username=" + username + ", password=***]";
        }
    }

    /** Created, or refused because the e-mail or username is taken. */
    sealed interface Result {
        record Created(User user) implements Result {
        }

        record Taken(Uniqueness rule) implements Result {
        }
    }
}
