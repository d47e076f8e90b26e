package dev.dnsdig.adapters.rest.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.FieldError;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.ValidationProblem;
import dev.dnsdig.application.port.in.ProfileChange;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.Username;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON merge patch (RFC 7396) of a profile: only {@code displayName} (string, or null to clear) and
 * {@code username}; any other field, such as {@code permissions} or {@code id}, is a 422 and nothing is applied.
 */
final class ProfilePatch {
    private ProfilePatch() {
    }

    static ProfileChange parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid(List.of(new FieldError("body", "must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<Optional<String>> displayName = Optional.empty();
        Optional<Username> username = Optional.empty();
        for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "displayName" -> {
                    if (value.isNull()) {
                        displayName = Optional.of(Optional.empty());
                    } else if (!value.isTextual()) {
                        errors.add(new FieldError("displayName", "must be a string or null"));
                    } else {
                        try {
                            User.checkDisplayName(value.asText());
                            displayName = Optional.of(Optional.of(value.asText()));
                        } catch (InvalidValueException e) {
                            errors.add(new FieldError("displayName", e.getMessage()));
                        }
                    }
                }
                case "username" -> {
                    try {
                        if (!value.isTextual()) {
                            throw new InvalidValueException("username", "username must be a string");
                        }
                        username = Optional.of(new Username(value.asText()));
                    } catch (InvalidValueException e) {
                        errors.add(new FieldError("username", e.getMessage()));
                    }
                }
                default -> errors.add(new FieldError(field.getKey(), "unknown field; it cannot be changed here"));
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return new ProfileChange(displayName, username);
    }

    private static ProblemException invalid(List<FieldError> errors) {
        return new ProblemException(ValidationProblem.of(errors));
    }
}
