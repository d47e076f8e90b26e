package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.SigningKeyStore;
import java.util.ArrayList;
import java.util.List;

/** In-memory {@link SigningKeyStore}. */
public final class InMemorySigningKeyStore implements SigningKeyStore {
    private final List<SigningKey> keys = new ArrayList<>();

    @Override
    public synchronized List<SigningKey> all() {
        return List.copyOf(keys);
    }

    @Override
    public synchronized boolean add(SigningKey key) {
        if (keys.stream().anyMatch(k -> k.keyId().equals(key.keyId()))) {
            return false;
        }
        keys.add(key);
        return true;
    }
}
