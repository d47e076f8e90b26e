package dev.dnsdig.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Outgoing persistence port for the built-in issuer's signing keys, so tokens survive restarts and instances share keys. */
public interface SigningKeyStore {

    /** Every stored key, oldest first. */
    List<SigningKey> all();

    /** Stores a key; false when a key with that id exists (another instance got there first). */
    boolean add(SigningKey key);

    /** A key pair in encoded form (PKCS#8 private, X.509 public, both base64). */
    record SigningKey(String keyId, String algorithm, String privateKey, String publicKey, Instant createdAt) {
        public SigningKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }
}
