package dev.dnsdig.domain.user;

import dev.dnsdig.domain.InvalidValueException;
import java.util.ArrayList;
import java.util.List;

/** The password policy: 8-128 characters with at least one digit and one upper-case letter. */
public final class Password {
    public static final int MIN = 8;
    public static final int MAX = 128;

    private Password() {
    }

    /** Every rule the candidate breaks, in words; empty when it is acceptable. */
    public static List<String> violations(String candidate) {
        List<String> broken = new ArrayList<>();
        if (candidate == null || candidate.codePointCount(0, candidate.length()) < MIN
                || candidate.codePointCount(0, candidate.length()) > MAX) {
            broken.add("must be " + MIN + "-" + MAX + " characters");
        }
        if (candidate == null || candidate.chars().noneMatch(Character::isDigit)) {
            broken.add("must contain a digit");
        }
        if (candidate == null || candidate.codePoints().noneMatch(Character::isUpperCase)) {
            broken.add("must contain an upper-case letter");
        }
        return broken;
    }

    public static void check(String candidate) {
        List<String> broken = violations(candidate);
        if (!broken.isEmpty()) {
            throw new InvalidValueException("password", "password " + String.join(", ", broken));
        }
    }
}
