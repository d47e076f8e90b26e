package dev.dnsdig.domain.todo;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;

/** A todo's id: a ULID like user ids, so ids sort by creation time. */
public record TodoId(String value) {
    public TodoId {
        if (!isValid(value)) {
            throw new InvalidValueException("id", "not a todo id: '" + value + "'");
        }
    }

    public static boolean isValid(String value) {
        return UserId.isValid(value);
    }

    public static TodoId generate(Instant now) {
        return new TodoId(UserId.generate(now).value());
    }

    @Override
    public String toString() {
        return value;
    }
}
