package dev.dnsdig.domain.todo;

import dev.dnsdig.domain.InvalidValueException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user writes in a todo: everything but id, owner, timestamps and version. The title is kept trimmed;
 * lengths count Unicode characters (code points), not UTF-16 units, so an emoji counts once. Due dates keep
 * whole milliseconds.
 */
public record TodoContent(String title, String description, boolean completed, Optional<Instant> dueAt) {
    public static final int TITLE_MAX = 200;
    public static final int DESCRIPTION_MAX = 2_000;
    /** Due dates a person can mean; also keeps them inside what every store and JSON client handles. */
    public static final Instant DUE_MIN = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant DUE_MAX = Instant.parse("9999-12-31T23:59:59.999Z");

    public TodoContent {
        title = checkTitle(title);
        checkDescription(description);
        Objects.requireNonNull(dueAt, "dueAt");
        dueAt.ifPresent(TodoContent::checkDueAt);
        // milliseconds are what every store and JSON client keeps: a todo reads back exactly as written
        dueAt = dueAt.map(due -> due.truncatedTo(ChronoUnit.MILLIS));
    }

    /** A new todo's content: not completed, no description, no due date. */
    public static TodoContent titled(String title) {
        return new TodoContent(title, "", false, Optional.empty());
    }

    /** The trimmed title, or the rule it breaks. */
    public static String checkTitle(String title) {
        if (title == null) {
            throw new InvalidValueException("title", "title is required");
        }
        String trimmed = title.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        checkText("title", trimmed);
        if (length < 1 || length > TITLE_MAX || invisible(trimmed)) {
            throw new InvalidValueException("title", "title must be 1-" + TITLE_MAX + " characters after trimming and not blank");
        }
        return trimmed;
    }

    /** Text any store and client can keep: no half of a UTF-16 surrogate pair on its own. */
    private static void checkText(String field, String text) {
        if (text.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
            throw new InvalidValueException(field, field + " must be valid Unicode text (it has a lone surrogate)");
        }
    }

    /** Only spaces of any kind (no-break, ideographic, ...) and invisible format characters such as U+200B. */
    private static boolean invisible(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.FORMAT);
    }

    public static void checkDescription(String description) {
        if (description == null) {
            throw new InvalidValueException("description", "description must be a string (empty for none)");
        }
        checkText("description", description);
        if (description.codePointCount(0, description.length()) > DESCRIPTION_MAX) {
            throw new InvalidValueException("description", "description must be at most " + DESCRIPTION_MAX + " characters");
        }
    }

    public static void checkDueAt(Instant dueAt) {
        if (dueAt.isBefore(DUE_MIN) || dueAt.isAfter(DUE_MAX)) {
            throw new InvalidValueException("dueAt", "dueAt must be between 1970-01-01 and 9999-12-31");
        }
    }
}
