package dev.dnsdig.domain.user;

import dev.dnsdig.domain.InvalidValueException;
import java.util.Locale;
import java.util.regex.Pattern;

/** An e-mail address as given; unique and compared by its lower-cased {@link #normalized()} form. */
public record Email(String value) {
    private static final Pattern SHAPE = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");

    public Email {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException("email", "email must not be empty");
        }
        value = value.strip();
        if (value.length() > 254 || !SHAPE.matcher(value).matches()) {
            throw new InvalidValueException("email", "email must look like name@example.com (at most 254 characters)");
        }
    }

    public String normalized() {
        return value.toLowerCase(Locale.ROOT);
    }

    public boolean sameAs(Email other) {
        return normalized().equals(other.normalized());
    }

    @Override
    public String toString() {
        return value;
    }
}
