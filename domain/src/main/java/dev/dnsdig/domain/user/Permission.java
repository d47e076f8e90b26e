package dev.dnsdig.domain.user;

import dev.dnsdig.domain.InvalidValueException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What a user (or a token acting for one) may do, as OAuth-style scope strings. */
public enum Permission {
    READ_RESOLVER("read:resolver"),
    WRITE_RESOLVER("write:resolver"),
    READ_TODOS("read:todos"),
    WRITE_TODOS("write:todos"),
    READ_APPLICATION("read:application"),
    WRITE_APPLICATION("write:application"),
    ADMIN_USERS("admin:users");

    private final String scope;

    Permission(String scope) {
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }

    public static Permission parse(String scope) {
        return Arrays.stream(values()).filter(p -> p.scope.equals(scope)).findFirst()
                .orElseThrow(() -> new InvalidValueException("permission", "unknown permission '" + scope
                        + "'; known are " + Arrays.stream(values()).map(Permission::scope).collect(Collectors.joining(", "))));
    }

    /** What every new user gets: everything but administration. */
    public static Set<Permission> defaults() {
        return EnumSet.complementOf(EnumSet.of(ADMIN_USERS));
    }

    public static Set<Permission> all() {
        return EnumSet.allOf(Permission.class);
    }

    @Override
    public String toString() {
        return scope;
    }
}
