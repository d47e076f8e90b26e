package dev.dnsdig.adapters.rest.support;

import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Predicate;

/** Query parameters of paginated listings: limit, opaque cursor, boolean filters; bad values are 400s. */
public final class Pages {
    private Pages() {
    }

    public static int limit(String text, int max) {
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem
        }
        throw invalidParameter("limit", "limit must be a whole number from 1 to " + max);
    }

    /** The position a cursor we handed out encodes, if it is one {@code valid} accepts. */
    public static Optional<String> cursor(String cursor, Predicate<String> valid) {
        if (cursor == null || cursor.isBlank()) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (valid.test(decoded)) {
                return Optional.of(decoded);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem
        }
        throw invalidParameter("cursor", "cursor is not one this API handed out");
    }

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** This request's URI with the cursor moved to {@code position}: the next page's link. */
    public static String next(UriInfo uri, String position) {
        return uri.getRequestUriBuilder().replaceQueryParam("cursor", encode(position)).build().toString();
    }

    public static Optional<Boolean> bool(String parameter, String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw invalidParameter(parameter, parameter + " must be true or false");
        };
    }

    /** A 400 naming the request header that is wrong. */
    public static ProblemException invalidHeader(String header, String detail) {
        return new ProblemException(Problem.of("invalid-header", "Invalid header", 400, detail).with("header", header));
    }

    /** A 400 naming the query parameter that is wrong. */
    public static ProblemException invalidParameter(String parameter, String detail) {
        return new ProblemException(Problem.of("invalid-parameter", "Invalid query parameter", 400, detail)
                .with("parameter", parameter));
    }
}
