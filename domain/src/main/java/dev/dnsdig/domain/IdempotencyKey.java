package dev.dnsdig.domain;

/**
 * A client's {@code Idempotency-Key}: 1-255 visible ASCII characters (a UUID is typical), unique per user and
 * operation for as long as the server remembers it.
 */
public record IdempotencyKey(String value) {
    public static final int MAX = 255;

    public IdempotencyKey {
        if (value == null || value.isEmpty() || value.length() > MAX
                || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new InvalidValueException("Idempotency-Key",
                    "Idempotency-Key must be 1-" + MAX + " visible ASCII characters (no spaces)");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
