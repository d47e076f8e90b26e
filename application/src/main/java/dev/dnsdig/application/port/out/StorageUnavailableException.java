package dev.dnsdig.application.port.out;

/**
 * Thrown by any storage port when the store cannot be reached right now: it did not answer in time, the connection
 * broke, or it is known to be down. The operation may or may not have taken effect, and a retry shortly may well
 * work; a caller answers "unavailable" (503), never "bug" (500). Not for a store that answered and refused.
 */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Without a stack trace: thrown on every request while the store is known to be down, where the trace would only
     * cost time and say nothing new.
     */
    public StorageUnavailableException(String message) {
        super(message, null, false, false);
    }
}
