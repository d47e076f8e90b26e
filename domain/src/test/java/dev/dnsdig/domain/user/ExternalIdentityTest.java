package dev.dnsdig.domain.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tests of {@link ExternalIdentity}: provider plus subject, and a unique key that cannot collide. */
class ExternalIdentityTest {

    private static void assertRejected(String provider, String subject) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new ExternalIdentity(provider, subject),
                provider + " / " + subject);
        assertEquals("identity", e.field());
    }

    @Test
    void keepsProviderAndSubject() {
        ExternalIdentity identity = new ExternalIdentity("https://accounts.example.com", "248289761001");

        assertEquals("https://accounts.example.com", identity.provider());
        assertEquals("248289761001", identity.subject());
        assertEquals(new ExternalIdentity("https://accounts.example.com", "248289761001"), identity);
        assertNotEquals(new ExternalIdentity("https://accounts.example.com", "248289761002"), identity);
    }

    @Test
    void keysOfSeparatorsInProviderOrSubjectDoNotCollide() {
        ExternalIdentity left = new ExternalIdentity("a:b", "c");
        ExternalIdentity right = new ExternalIdentity("a", "b:c");

        assertNotEquals(left.key(), right.key());
    }

    @Test
    void keysAreDistinctForDistinctIdentities() {
        // every way to split the same characters between provider and subject, with separators and digits
        List<ExternalIdentity> identities = new ArrayList<>();
        for (String whole : List.of("a:b:c", "1:a:b", "11:aa:b", "x:1:y", "a::b")) {
            for (int cut = 1; cut < whole.length(); cut++) {
                String provider = whole.substring(0, cut);
                String subject = whole.substring(cut);
                if (!provider.isBlank() && !subject.isBlank()) {
                    identities.add(new ExternalIdentity(provider, subject));
                }
            }
        }
        Set<ExternalIdentity> distinct = new HashSet<>(identities);
        Set<String> keys = new HashSet<>();
        for (ExternalIdentity identity : distinct) {
            keys.add(identity.key());
        }
        assertEquals(distinct.size(), keys.size(), "one key per identity: " + distinct);
        assertTrue(distinct.size() > 10);
    }

    @Test
    void theKeyIsStable() {
        assertEquals(new ExternalIdentity("oidc", "sub-1").key(), new ExternalIdentity("oidc", "sub-1").key());
        assertTrue(new ExternalIdentity("oidc", "sub-1").key().contains("oidc"));
        assertTrue(new ExternalIdentity("oidc", "sub-1").key().endsWith("sub-1"));
    }

    @Test
    void needsAProviderAndASubject() {
        assertRejected(null, "sub");
        assertRejected("", "sub");
        assertRejected("  ", "sub");
        assertRejected("oidc", null);
        assertRejected("oidc", "");
        assertRejected("oidc", " \t");
    }

    @Test
    void theSubjectIsAtMost255Characters() {
        assertEquals(255, new ExternalIdentity("oidc", "s".repeat(255)).subject().length());
        assertRejected("oidc", "s".repeat(256));
    }
}
