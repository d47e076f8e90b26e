package dev.dnsdig.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.port.out.SigningKeyStore;
import dev.dnsdig.application.port.out.SigningKeyStore.SigningKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contract of every {@link SigningKeyStore}: subclass once per adapter and return a fresh, empty store. */
public abstract class SigningKeyStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    protected SigningKeyStore keys;

    /** A fresh store with no keys in it. */
    protected abstract SigningKeyStore newStore();

    @BeforeEach
    void freshStore() {
        keys = newStore();
    }

    private static SigningKey key(String kid, Instant createdAt) {
        return new SigningKey(kid, "ES256", "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg-" + kid,
                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE-" + kid, createdAt);
    }

    @Test
    void anEmptyStoreHasNoKeys() {
        assertEquals(List.of(), keys.all());
    }

    @Test
    void addedKeysComeBackWholeOldestFirst() {
        SigningKey first = key("kid-b", T0);
        SigningKey second = key("kid-a", T0.plusSeconds(86_400));
        SigningKey third = key("kid-c", T0.plusSeconds(2 * 86_400));

        assertTrue(keys.add(first));
        assertTrue(keys.add(second));
        assertTrue(keys.add(third));

        assertEquals(List.of(first, second, third), keys.all());
    }

    @Test
    void aDuplicateKeyIdIsRefusedAndTheFirstKeyStays() {
        SigningKey first = key("kid-1", T0);

        assertTrue(keys.add(first));
        assertFalse(keys.add(key("kid-1", T0.plusSeconds(1))));

        assertEquals(List.of(first), keys.all());
    }

    @Test
    void concurrentAddsOfOneKeyIdLetExactlyOneWin() throws Exception {
        List<Boolean> results = Race.run(i -> {
            SigningKey candidate = key("kid-1", T0.plusMillis(i));
            return () -> keys.add(candidate);
        });

        assertEquals(1, results.stream().filter(Boolean::booleanValue).count(), results::toString);
        assertEquals(1, keys.all().size());
    }
}
