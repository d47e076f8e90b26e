package dev.dnsdig.domain.todo;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A partial change of a todo's content (what a JSON merge patch says): an empty optional leaves the field as
 * it is; {@code dueAt} of {@code Optional.of(Optional.empty())} removes the due date.
 */
public record TodoChange(Optional<String> title, Optional<String> description, Optional<Boolean> completed,
                         Optional<Optional<Instant>> dueAt) {
    public TodoChange {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(completed, "completed");
        Objects.requireNonNull(dueAt, "dueAt");
    }

    public static TodoChange none() {
        return new TodoChange(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The content after this change; the content's own rules apply to the result. */
    public TodoContent applyTo(TodoContent content) {
        return new TodoContent(title.orElse(content.title()), description.orElse(content.description()),
                completed.orElse(content.completed()), dueAt.orElse(content.dueAt()));
    }
}
