package dev.dnsdig.domain.client;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;

/** A machine client's public id ({@code client_id}): a ULID like user ids, sortable by creation time. */
public record ClientId(String value) {
    public ClientId {
        if (!UserId.isValid(value)) {
            throw new InvalidValueException("client_id", "not a client id: '" + value + "'");
        }
    }

    public static boolean isValid(String value) {
        return UserId.isValid(value);
    }

    public static ClientId generate(Instant now) {
        return new ClientId(UserId.generate(now).value());
    }

    @Override
    public String toString() {
        return value;
    }
}
