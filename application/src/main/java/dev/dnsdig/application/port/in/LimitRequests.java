package dev.dnsdig.application.port.in;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/** Use case: count one request of a caller against a rate-limit policy and say whether it may go ahead. */
public interface LimitRequests {

    /** Counts the request of {@code caller} (an address, a user id, ...) under {@code policy}. */
    default Decision check(Policy policy, String caller) {
        return check(policy, caller, 1);
    }

    /** Counts {@code requests} requests at once (a batch that stands for several), {@code requests >= 1}. */
    Decision check(Policy policy, String caller, int requests);

    /** At most {@code limit} requests per {@code window} and caller; {@code name} is what clients see in headers. */
    record Policy(String name, int limit, Duration window) {
        private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

        public Policy {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a policy name is 1-32 lower-case letters, digits or '-', not " + name);
            }
            if (limit < 1) {
                throw new IllegalArgumentException("a limit is at least 1, not " + limit);
            }
            // whole seconds: the RateLimit-Policy header has no finer unit
            if (window.isNegative() || window.isZero() || window.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("a window is a positive whole number of seconds, not " + window);
            }
        }
    }

    /** The outcome: whether the request may go ahead, how many more the window allows, and how soon it ends. */
    record Decision(Policy policy, boolean allowed, long remaining, Duration resetAfter) {
        public Decision {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(resetAfter, "resetAfter");
        }
    }
}
