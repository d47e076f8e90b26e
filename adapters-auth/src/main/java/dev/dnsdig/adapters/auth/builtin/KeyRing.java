package dev.dnsdig.adapters.auth.builtin;

import dev.dnsdig.adapters.auth.jwt.EcKeys;
import dev.dnsdig.adapters.auth.jwt.JwtVerifier;
import dev.dnsdig.application.port.out.SigningKeyStore;
import dev.dnsdig.application.port.out.SigningKeyStore.SigningKey;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in issuer's signing keys, loaded from the {@link SigningKeyStore} so that restarts and other
 * instances share them. The newest key signs; older keys keep verifying the tokens they signed.
 *
 * <p>First start: the store is empty, so a P-256 key pair is generated and stored with its RFC 7638 thumbprint
 * as key id; then the store is read again, so when two instances race each ends up with whatever the store
 * holds (both keys, if both were stored). A token naming a key id we do not know makes the ring re-read the
 * store (at most once per {@code missReloadInterval}), which is how a key added by another instance (its first
 * key, or a rotation) becomes known here; the signing key is also re-read every {@link #REFRESH_INTERVAL}.
 * Those re-reads survive a failing store (the loaded keys stay in use); the first load and a rotation do not.
 *
 * <p>Retirement: a key is retired once its successor has been the newest key for longer than the token
 * lifetime plus the clock skew plus {@link #REFRESH_INTERVAL} (the time another instance may still sign with it
 * before it re-reads the store). No unexpired token can carry a retired key's signature, so retired keys are
 * dropped from the published JWKS and no longer verify anything; they stay in the store.
 */
final class KeyRing {
    static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);
    static final Duration DEFAULT_MISS_RELOAD_INTERVAL = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(KeyRing.class.getName());

    /** One usable key; {@code supersededAt} is when a newer key was created, empty for the newest. */
    record Key(String id, ECPrivateKey privateKey, ECPublicKey publicKey, Instant createdAt,
               Optional<Instant> supersededAt) {
        boolean retired(Instant now, Duration tokenLifetime) {
            return supersededAt.isPresent()
                    && now.isAfter(supersededAt.get().plus(retirementDelay(tokenLifetime)));
        }

        @Override
        public String toString() {
            return "Key[" + id + ", created " + createdAt + "]"; // never the private key
        }
    }

    /** How long a superseded key keeps verifying. */
    static Duration retirementDelay(Duration tokenLifetime) {
        return tokenLifetime.plus(JwtVerifier.CLOCK_SKEW).plus(REFRESH_INTERVAL);
    }

    private record Snapshot(List<Key> keys, Map<String, Key> byId, long loadedAtNanos) {
        Key current() {
            return keys.getLast();
        }

        Snapshot reloadedNow() {
            return new Snapshot(keys, byId, System.nanoTime());
        }
    }

    private final SigningKeyStore store;
    private final Clock clock;
    private final long missReloadNanos;
    private volatile Snapshot snapshot;

    KeyRing(SigningKeyStore store, Clock clock, Duration missReloadInterval) {
        this.store = store;
        this.clock = clock;
        this.missReloadNanos = missReloadInterval.toNanos();
        synchronized (this) {
            reload();
            if (snapshot.keys().isEmpty()) {
                addNewKey();
            }
        }
    }

    /** The key that signs now: the newest. */
    Key current() {
        if (System.nanoTime() - snapshot.loadedAtNanos() > REFRESH_INTERVAL.toNanos()) {
            synchronized (this) {
                if (System.nanoTime() - snapshot.loadedAtNanos() > REFRESH_INTERVAL.toNanos()) {
                    reloadQuietly();
                }
            }
        }
        return snapshot.current();
    }

    /** A key by id, re-reading the store (rate-limited) when it is not known yet. */
    Optional<Key> find(String keyId) {
        Key key = snapshot.byId().get(keyId);
        if (key == null && System.nanoTime() - snapshot.loadedAtNanos() >= missReloadNanos) {
            synchronized (this) {
                key = snapshot.byId().get(keyId);
                if (key == null && System.nanoTime() - snapshot.loadedAtNanos() >= missReloadNanos) {
                    reloadQuietly();
                    key = snapshot.byId().get(keyId);
                }
            }
        }
        return Optional.ofNullable(key);
    }

    /** Every usable key, oldest first. */
    List<Key> keys() {
        return snapshot.keys();
    }

    /** Generates a new key, which becomes the current one here at once (and elsewhere on their next re-read). */
    synchronized Key rotate() {
        return addNewKey();
    }

    private Key addNewKey() {
        KeyPair pair = EcKeys.generate();
        ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
        String keyId = EcKeys.thumbprint(publicKey);
        SigningKey stored = new SigningKey(keyId, EcKeys.ES256, EcKeys.encodePrivate((ECPrivateKey) pair.getPrivate()),
                EcKeys.encodePublic(publicKey), clock.instant());
        if (store.add(stored)) {
            LOG.log(System.Logger.Level.INFO, "generated signing key {0}", keyId);
        }
        // added or not (another instance got there first), the store is the truth
        reload();
        if (snapshot.keys().isEmpty()) {
            throw new IllegalStateException("the signing key store holds no usable key even after adding one");
        }
        return snapshot.current();
    }

    /** A re-read while running: if the store fails, carry on with the keys we have and try again later. */
    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not re-read the signing keys, keeping the loaded ones: {0}",
                    e.getClass().getSimpleName());
            snapshot = snapshot.reloadedNow();
        }
    }

    private void reload() {
        List<SigningKey> stored = new ArrayList<>(store.all());
        // oldest first; the sort is stable, so equal times keep the store's order and the later-stored key wins
        stored.sort(Comparator.comparing(SigningKey::createdAt));
        List<SigningKey> usable = new ArrayList<>();
        List<ECPrivateKey> privateKeys = new ArrayList<>();
        List<ECPublicKey> publicKeys = new ArrayList<>();
        for (SigningKey key : stored) {
            if (!EcKeys.ES256.equals(key.algorithm())) {
                LOG.log(System.Logger.Level.WARNING, "ignoring signing key {0}: algorithm {1} is not ES256",
                        key.keyId(), key.algorithm());
                continue;
            }
            try {
                privateKeys.add(EcKeys.decodePrivate(key.privateKey()));
                publicKeys.add(EcKeys.decodePublic(key.publicKey()));
                usable.add(key);
            } catch (IllegalArgumentException e) {
                if (privateKeys.size() > publicKeys.size()) {
                    privateKeys.removeLast();
                }
                LOG.log(System.Logger.Level.WARNING, "ignoring signing key {0}: it does not decode", key.keyId());
            }
        }
        List<Key> keys = new ArrayList<>();
        Map<String, Key> byId = new LinkedHashMap<>();
        for (int i = 0; i < usable.size(); i++) {
            Optional<Instant> supersededAt = i + 1 < usable.size()
                    ? Optional.of(usable.get(i + 1).createdAt()) : Optional.empty();
            Key key = new Key(usable.get(i).keyId(), privateKeys.get(i), publicKeys.get(i), usable.get(i).createdAt(),
                    supersededAt);
            keys.add(key);
            byId.put(key.id(), key);
        }
        snapshot = new Snapshot(List.copyOf(keys), Map.copyOf(byId), System.nanoTime());
    }
}
