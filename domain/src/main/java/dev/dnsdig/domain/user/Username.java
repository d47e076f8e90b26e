package dev.dnsdig.domain.user;

import dev.dnsdig.domain.InvalidValueException;
import java.util.Locale;

/** 3-50 ASCII letters and digits; unique regardless of case. */
public record Username(String value) {
    public static final int MIN = 3;
    public static final int MAX = 50;

    public Username {
        if (value == null || value.length() < MIN || value.length() > MAX
                || !value.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            throw new InvalidValueException("username", "username must be " + MIN + "-" + MAX + " letters or digits");
        }
    }

    public String normalized() {
        return value.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
