package dev.dnsdig.adapters.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Argon2id at OWASP parameters; each real hash costs tens of milliseconds, so the tests share them. */
class Argon2PasswordHasherTest {
    private static final String PASSWORD = "Correct-Horse-42 ünïcödé";
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$([A-Za-z0-9+/]{22})\\$([A-Za-z0-9+/]{43})");

    private static Argon2PasswordHasher hasher;
    private static String hash;

    @BeforeAll
    static void hashOnce() {
        hasher = new Argon2PasswordHasher();
        hash = hasher.hash(PASSWORD);
    }

    @Test
    void roundTrip() {
        assertTrue(hasher.matches(PASSWORD, hash));
    }

    @Test
    void wrongPasswordDoesNotMatch() {
        assertFalse(hasher.matches("Correct-Horse-43 ünïcödé", hash));
        assertFalse(hasher.matches("", hash));
        assertFalse(hasher.matches(null, hash));
    }

    @Test
    void phcFormatWithOwaspParameters() {
        Matcher m = PHC.matcher(hash);
        assertTrue(m.matches(), hash);
        assertEquals(16, Base64.getDecoder().decode(m.group(1)).length, "16-byte salt");
        assertEquals(32, Base64.getDecoder().decode(m.group(2)).length, "32-byte hash");
        assertFalse(hash.contains(PASSWORD));
    }

    @Test
    void itIsStandardArgon2id() {
        // recompute with BouncyCastle directly from the salt in the string: nothing home-made in between
        Matcher m = PHC.matcher(hash);
        assertTrue(m.matches());
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(19456).withIterations(2).withParallelism(1)
                .withSalt(Base64.getDecoder().decode(m.group(1))).build());
        byte[] expected = new byte[32];
        generator.generateBytes(PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8), expected);
        assertEquals(Base64.getEncoder().withoutPadding().encodeToString(expected), m.group(2));
    }

    @Test
    void saltsDiffer() {
        String again = hasher.hash(PASSWORD);
        assertNotEquals(hash, again);
        assertNotEquals(hash.split("\\$")[4], again.split("\\$")[4]);
    }

    @Test
    void decoyIsFixedValidAndMatchesNothing() {
        assertSame(hasher.decoyHash(), hasher.decoyHash());
        assertTrue(PHC.matcher(hasher.decoyHash()).matches(), "a real hash, so checking it costs the same");
        assertFalse(hasher.matches(PASSWORD, hasher.decoyHash()));
        assertFalse(hasher.matches("", hasher.decoyHash()));
    }

    @Test
    void hashesWithOtherParametersStillVerify() {
        Argon2PasswordHasher light = new Argon2PasswordHasher(64, 1, 1, 1);
        String lightHash = light.hash("pw");
        assertTrue(lightHash.startsWith("$argon2id$v=19$m=64,t=1,p=1$"), lightHash);
        assertTrue(hasher.matches("pw", lightHash));
        assertFalse(hasher.matches("pW", lightHash));
    }

    @Test
    void malformedOrOutrageousHashesMatchNothing() {
        String salt = "c2FsdHNhbHRzYWx0c2FsdA";
        String digest = "A".repeat(43);
        for (String bad : new String[] {null, "", "plain", "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + digest,
                "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + digest,
                "$argon2id$v=19$m=9999999,t=2,p=1$" + salt + "$" + digest, // 9.5 GiB: refused, not attempted
                "$argon2id$v=19$m=19456,t=999,p=1$" + salt + "$" + digest,
                "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + digest,
                "$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + digest,
                "$argon2id$v=19$m=4,t=2,p=1$" + salt + "$" + digest,
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + digest, // 4-byte salt
                "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + "A".repeat(22).replace('A', '='),
                "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$A" + digest}) {
            assertFalse(hasher.matches(PASSWORD, bad), String.valueOf(bad));
        }
    }

    @Test
    void parametersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> hasher.hash(null));
        assertThrows(IllegalArgumentException.class, () -> new Argon2PasswordHasher(4, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2PasswordHasher(64, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2PasswordHasher(64, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2PasswordHasher(64, 1, 1, 0));
    }
}
