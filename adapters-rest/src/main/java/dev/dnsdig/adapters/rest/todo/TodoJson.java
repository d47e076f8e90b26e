package dev.dnsdig.adapters.rest.todo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.FieldError;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.ValidationProblem;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoChange;
import dev.dnsdig.domain.todo.TodoContent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Todo bodies in and out. Bodies are read field by field, so a 422 lists every invalid field at once; fields the
 * server owns ({@code id}, {@code owner}, timestamps, {@code version}) and unknown ones are refused, not ignored.
 */
final class TodoJson {
    private static final Set<String> READ_ONLY = Set.of("id", "owner", "ownerId", "createdAt", "updatedAt", "version");

    private TodoJson() {
    }

    /** A todo as the API shows it; {@code dueAt} is always present, null when there is none. */
    record TodoBody(String id, String title, String description, boolean completed,
                    @JsonInclude(JsonInclude.Include.ALWAYS) Instant dueAt, Instant createdAt, Instant updatedAt,
                    long version) {
        static TodoBody of(Todo todo) {
            TodoContent content = todo.content();
            return new TodoBody(todo.id().value(), content.title(), content.description(), content.completed(),
                    content.dueAt().orElse(null), todo.createdAt(), todo.updatedAt(), todo.version());
        }
    }

    /** A page of todos and the link to the next one (absent on the last page). */
    record TodoPage(List<TodoBody> items, String next) {
    }

    /** The full content of a create or a replace: {@code title} required, the rest defaulted. */
    static TodoContent content(JsonNode body) {
        Fields fields = new Fields(body);
        Optional<String> title = fields.read("title", TodoJson::title);
        if (!body.has("title")) {
            fields.errors.add(new FieldError("title", "is required"));
        }
        Optional<String> description = fields.read("description", TodoJson::description);
        Optional<Boolean> completed = fields.read("completed", TodoJson::completed);
        Optional<Optional<Instant>> dueAt = fields.read("dueAt", TodoJson::dueAt);
        fields.check();
        return new TodoContent(title.orElseThrow(), description.orElse(""), completed.orElse(false),
                dueAt.orElse(Optional.empty()));
    }

    /** A JSON merge patch (RFC 7396): absent fields stay, {@code null} clears what can be cleared. */
    static TodoChange change(JsonNode body) {
        Fields fields = new Fields(body);
        TodoChange change = new TodoChange(fields.read("title", TodoJson::title),
                fields.read("description", TodoJson::description), fields.read("completed", TodoJson::completed),
                fields.read("dueAt", TodoJson::dueAt));
        fields.check();
        return change;
    }

    private static String title(JsonNode value) {
        if (!value.isTextual()) {
            throw new InvalidValueException("title", value.isNull() ? "cannot be removed; send a title" : "must be a string");
        }
        return TodoContent.checkTitle(value.textValue());
    }

    private static String description(JsonNode value) {
        if (value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new InvalidValueException("description", "must be a string or null");
        }
        TodoContent.checkDescription(value.textValue());
        return value.textValue();
    }

    private static Boolean completed(JsonNode value) {
        if (!value.isBoolean()) {
            throw new InvalidValueException("completed", "must be true or false");
        }
        return value.booleanValue();
    }

    private static Optional<Instant> dueAt(JsonNode value) {
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidValueException("dueAt", "must be an ISO-8601 date-time string or null");
        }
        Instant due;
        try {
            due = OffsetDateTime.parse(value.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("dueAt", "must be an ISO-8601 date-time with an offset, e.g. 2026-12-24T18:00:00Z");
        }
        TodoContent.checkDueAt(due);
        return Optional.of(due);
    }

    /** The fields of one body, read with every error collected. */
    private static final class Fields {
        private final JsonNode body;
        private final List<FieldError> errors = new ArrayList<>();

        Fields(JsonNode body) {
            if (body == null || body.isMissingNode()) {
                throw new ProblemException(Problem.of("malformed-json", "Malformed JSON", 400,
                        "The request body is empty; send a JSON object."));
            }
            if (!body.isObject()) {
                throw new ProblemException(ValidationProblem.of(List.of(new FieldError("body", "must be a JSON object"))));
            }
            this.body = body;
            for (Map.Entry<String, JsonNode> field : body.properties()) {
                String name = field.getKey();
                if (READ_ONLY.contains(name)) {
                    errors.add(new FieldError(name, "is set by the server; it cannot be written"));
                } else if (!Set.of("title", "description", "completed", "dueAt").contains(name)) {
                    errors.add(new FieldError(name, "unknown field"));
                }
            }
        }

        <T> Optional<T> read(String name, Function<JsonNode, T> reader) {
            JsonNode value = body.get(name);
            if (value == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(reader.apply(value));
            } catch (InvalidValueException e) {
                // the domain's messages name their field; the error names it already
                String message = e.getMessage();
                errors.add(new FieldError(name, message.startsWith(name + " ") ? message.substring(name.length() + 1) : message));
                return Optional.empty();
            }
        }

        void check() {
            if (!errors.isEmpty()) {
                errors.sort(java.util.Comparator.comparing(FieldError::field));
                throw new ProblemException(ValidationProblem.of(errors));
            }
        }
    }
}
