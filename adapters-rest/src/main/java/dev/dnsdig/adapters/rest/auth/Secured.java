package dev.dnsdig.adapters.rest.auth;

import dev.dnsdig.domain.user.Permission;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a resource method as needing a bearer token, and the permissions it needs (none: any user). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Secured {
    Permission[] value() default {};
}
