package dev.dnsdig.adapters.rest.ratelimit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits an anonymous resource method per client address; {@code @Secured} methods need no mark, they are limited
 * per user. {@link Kind#LOGIN} adds the sign-up and login policy, per address and per account.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RateLimited {
    Kind value() default Kind.ANONYMOUS;

    /** Which policies a route counts against. */
    enum Kind {
        /** The anonymous policy, per client address. */
        ANONYMOUS,
        /** The anonymous policy, and the login policy per client address and per account e-mail in the body. */
        LOGIN
    }

    /**
     * A request body that stands for several requests (a batch of questions): on a {@code @Secured} route it counts
     * {@link #requests()} against the user's limit instead of one.
     */
    interface Batch {
        int requests();
    }

    /** A request body naming the account it is about, for the per-account login limit. */
    interface ForAccount {
        String email();
    }
}
