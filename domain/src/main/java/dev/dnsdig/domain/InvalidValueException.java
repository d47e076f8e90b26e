package dev.dnsdig.domain;

/** A value broke one of the domain's rules; the message names the rule, in words a client can act on. */
public class InvalidValueException extends IllegalArgumentException {
    private final String field;

    public InvalidValueException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The input the rule applies to, e.g. {@code name} or {@code type}. */
    public String field() {
        return field;
    }
}
