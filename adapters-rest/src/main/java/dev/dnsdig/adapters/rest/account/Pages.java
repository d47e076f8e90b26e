package dev.dnsdig.adapters.rest.account;

import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Query parameters of paginated listings: limit, opaque cursor, boolean filters; bad values are 400s. */
final class Pages {
    private Pages() {
    }

    static int limit(String text, int max) {
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem
        }
        throw bad("limit", "limit must be a whole number from 1 to " + max);
    }

    static Optional<String> cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (dev.dnsdig.domain.user.UserId.isValid(decoded)) {
                return Optional.of(decoded);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem
        }
        throw bad("cursor", "cursor is not one this API handed out");
    }

    static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad("blocked", "blocked must be true or false");
        };
    }

    private static ProblemException bad(String parameter, String detail) {
        return new ProblemException(Problem.of("invalid-parameter", "Invalid query parameter", 400, detail)
                .with("parameter", parameter));
    }
}
