package dev.dnsdig.adapters.rest.history;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code @Secured} resolve method whose answers go into the caller's lookup history: one record per provider
 * result, taken from the response (see {@link LookupRecording}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Recorded {
}
