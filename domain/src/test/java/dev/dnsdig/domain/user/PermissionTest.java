package dev.dnsdig.domain.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tests of {@link Permission}: OAuth-style scopes, the defaults and the full set. */
class PermissionTest {

    @Test
    void scopes() {
        assertEquals(List.of("read:resolver", "write:resolver", "read:todos", "write:todos", "read:application",
                        "write:application", "admin:users"),
                Arrays.stream(Permission.values()).map(Permission::scope).toList());
    }

    @Test
    void toStringIsTheScope() {
        for (Permission permission : Permission.values()) {
            assertEquals(permission.scope(), permission.toString());
        }
    }

    @Test
    void parseReadsEveryScope() {
        for (Permission permission : Permission.values()) {
            assertSame(permission, Permission.parse(permission.scope()));
        }
        assertSame(Permission.ADMIN_USERS, Permission.parse("admin:users"));
    }

    @Test
    void parseIsExact() {
        for (String scope : List.of("", "READ:TODOS", "read:todo", " read:todos", "read:todos ", "read_todos",
                "READ_TODOS", "admin", "admin:*")) {
            InvalidValueException e = assertThrows(InvalidValueException.class, () -> Permission.parse(scope), scope);
            assertEquals("permission", e.field());
        }
    }

    @Test
    void parseNamesTheUnknownScopeAndEveryKnownOne() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Permission.parse("root:all"));

        assertTrue(e.getMessage().contains("'root:all'"), e.getMessage());
        for (Permission permission : Permission.values()) {
            assertTrue(e.getMessage().contains(permission.scope()), e.getMessage());
        }
    }

    @Test
    void parseOfNullIsAnInvalidValue() {
        assertThrows(InvalidValueException.class, () -> Permission.parse(null));
    }

    @Test
    void defaultsAreEverythingButAdministration() {
        Set<Permission> defaults = Permission.defaults();

        assertFalse(defaults.contains(Permission.ADMIN_USERS));
        assertEquals(EnumSet.of(Permission.READ_RESOLVER, Permission.WRITE_RESOLVER, Permission.READ_TODOS,
                Permission.WRITE_TODOS, Permission.READ_APPLICATION, Permission.WRITE_APPLICATION), defaults);
        assertEquals(Permission.values().length - 1, defaults.size());
    }

    @Test
    void allIsEveryPermission() {
        assertEquals(Set.of(Permission.values()), Permission.all());
        assertTrue(Permission.all().containsAll(Permission.defaults()));
        assertTrue(Permission.all().contains(Permission.ADMIN_USERS));
    }

    @Test
    void callersGetTheirOwnCopies() {
        Permission.defaults().add(Permission.ADMIN_USERS);
        Permission.all().clear();

        assertFalse(Permission.defaults().contains(Permission.ADMIN_USERS));
        assertEquals(Permission.values().length, Permission.all().size());
    }

    @Test
    void scopesAreUnique() {
        Set<String> scopes = Arrays.stream(Permission.values()).map(Permission::scope).collect(Collectors.toSet());

        assertEquals(Permission.values().length, scopes.size());
    }
}
