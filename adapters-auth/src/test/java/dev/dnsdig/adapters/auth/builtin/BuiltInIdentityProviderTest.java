package dev.dnsdig.adapters.auth.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.adapters.auth.jwt.AccessTokenSigner;
import dev.dnsdig.adapters.auth.jwt.EcKeys;
import dev.dnsdig.application.fakes.InMemorySigningKeyStore;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.application.port.out.SigningKeyStore;
import dev.dnsdig.application.port.out.SigningKeyStore.SigningKey;
import dev.dnsdig.application.port.out.TokenIssuer.AccessToken;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.PublicJwk;
import java.io.IOException;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The built-in provider: its tokens, its keys (first start, sharing, rotation, retirement) and what it publishes. */
class BuiltInIdentityProviderTest {
    private static final String ISSUER = "http://127.0.0.1:8080";
    private static final Duration LIFETIME = Duration.ofMinutes(15);

    private final InMemorySigningKeyStore store = new InMemorySigningKeyStore();
    private final MutableClock clock = MutableClock.atNow();
    private final UserId alice = UserId.generate(Instant.now());

    private BuiltInIdentityProvider provider(SigningKeyStore keys, Duration missReload) {
        return new BuiltInIdentityProvider(keys, ISSUER, BuiltInIdentityProvider.DEFAULT_AUDIENCE, LIFETIME, clock,
                missReload, 100);
    }

    private BuiltInIdentityProvider provider() {
        return provider(store, Duration.ZERO);
    }

    private String issue(BuiltInIdentityProvider provider) {
        return provider.issue(alice, Permission.defaults(), clock.instant()).token();
    }

    private static Verification.Verified verified(BuiltInIdentityProvider provider, String token) {
        return assertInstanceOf(Verification.Verified.class, provider.verify(token));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headerOf(String token) {
        try {
            return new ObjectMapper().readValue(Base64.getUrlDecoder().decode(token.split("\\.")[0]), Map.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> publishedKeys(BuiltInIdentityProvider provider) {
        return (List<Map<String, Object>>) provider.jwks().get("keys");
    }

    private Set<String> publishedKids(BuiltInIdentityProvider provider) {
        return publishedKeys(provider).stream().map(k -> (String) k.get("kid")).collect(Collectors.toSet());
    }

    // ---- keys

    @Test
    void firstStartGeneratesAndStoresAKey() {
        BuiltInIdentityProvider provider = provider();

        SigningKey stored = store.all().getFirst();
        assertEquals(1, store.all().size());
        assertEquals("ES256", stored.algorithm());
        assertEquals(clock.instant(), stored.createdAt());
        assertEquals(stored.keyId(), provider.currentKeyId());
        assertEquals(EcKeys.thumbprint(EcKeys.decodePublic(stored.publicKey())), stored.keyId(), "kid = RFC 7638 thumbprint");
        EcKeys.decodePrivate(stored.privateKey()); // PKCS#8
    }

    @Test
    void aSecondInstanceLoadsTheStoredKeyAndVerifiesTheFirstsTokens() {
        BuiltInIdentityProvider first = provider();
        String token = issue(first);

        BuiltInIdentityProvider second = provider();

        assertEquals(1, store.all().size(), "no second key");
        assertEquals(first.currentKeyId(), second.currentKeyId());
        assertEquals(new Subject.Local(alice), verified(second, token).subject());
        verified(first, issue(second));
    }

    @Test
    void rotationKeepsOldTokensValidAndSignsWithTheNewKey() {
        BuiltInIdentityProvider provider = provider();
        String oldKid = provider.currentKeyId();
        String before = issue(provider);

        String newKid = provider.rotate();
        String after = issue(provider);

        assertNotEquals(oldKid, newKid);
        assertEquals(newKid, provider.currentKeyId());
        assertEquals(oldKid, headerOf(before).get("kid"));
        assertEquals(newKid, headerOf(after).get("kid"));
        assertEquals(2, store.all().size());
        verified(provider, before);
        verified(provider(), before); // a fresh instance (no cache) too
        verified(provider(), after);
        assertEquals(Set.of(oldKid, newKid), publishedKids(provider));
    }

    @Test
    void anotherInstancesRotationIsPickedUpOnTheFirstUnknownKid() {
        BuiltInIdentityProvider first = provider();
        BuiltInIdentityProvider second = provider();

        String newKid = first.rotate();
        String token = issue(first);

        assertEquals(newKid, headerOf(token).get("kid"));
        verified(second, token);
        assertTrue(publishedKids(second).contains(newKid));
    }

    @Test
    void unknownKidsReReadTheStoreAtMostOncePerInterval() {
        AtomicInteger reads = new AtomicInteger();
        SigningKeyStore counting = new SigningKeyStore() {
            @Override
            public List<SigningKey> all() {
                reads.incrementAndGet();
                return store.all();
            }

            @Override
            public boolean add(SigningKey key) {
                return store.add(key);
            }
        };
        forge(); // stores the first key
        BuiltInIdentityProvider patient = provider(counting, Duration.ofHours(1));
        int afterStart = reads.get();
        for (int i = 0; i < 5; i++) {
            assertEquals("unknown signing key", reason(patient, forge().unknownKid(alice)));
        }
        assertEquals(afterStart, reads.get(), "no store reads within the interval");

        BuiltInIdentityProvider eager = provider(counting, Duration.ZERO);
        int before = reads.get();
        reason(eager, forge().unknownKid(alice));
        assertEquals(before + 1, reads.get());
    }

    @Test
    void retiredKeysLeaveTheJwksAndStopVerifying() {
        BuiltInIdentityProvider provider = provider();
        String oldKid = provider.currentKeyId();
        SigningKey oldKey = store.all().getFirst();
        clock.advance(Duration.ofDays(30));
        String newKid = provider.rotate();
        Duration delay = KeyRing.retirementDelay(LIFETIME);
        assertEquals(LIFETIME.plusSeconds(30).plus(KeyRing.REFRESH_INTERVAL), delay);

        clock.advance(delay.minusSeconds(1));
        assertEquals(Set.of(oldKid, newKid), publishedKids(provider));
        verified(provider, signWith(oldKey));

        clock.advance(Duration.ofSeconds(2));
        assertEquals(Set.of(newKid), publishedKids(provider));
        assertEquals("unknown signing key", reason(provider(), signWith(oldKey)));
        verified(provider, issue(provider));
    }

    private String signWith(SigningKey key) {
        return new AccessTokenSigner(ISSUER, BuiltInIdentityProvider.DEFAULT_AUDIENCE, Duration.ofMinutes(5))
                .sign(EcKeys.decodePrivate(key.privateKey()), key.keyId(), alice.value(), Set.of(), clock.instant()).token();
    }

    @Test
    void twoInstancesStartingTogetherEndUpTrustingEachOther() {
        BuiltInIdentityProvider first = provider();
        // the second read the store before the first had stored its key, so it makes and stores one of its own
        AtomicInteger reads = new AtomicInteger();
        SigningKeyStore staleOnce = new SigningKeyStore() {
            @Override
            public List<SigningKey> all() {
                return reads.getAndIncrement() == 0 ? List.of() : store.all();
            }

            @Override
            public boolean add(SigningKey key) {
                return store.add(key);
            }
        };
        BuiltInIdentityProvider second = provider(staleOnce, Duration.ZERO);

        assertEquals(2, store.all().size());
        verified(second, issue(first));
        verified(first, issue(second));
        assertEquals(publishedKids(first), publishedKids(second));
    }

    @Test
    void whenTheStoreRefusesOurKeyWeUseTheOneStored() {
        BuiltInIdentityProvider first = provider();
        AtomicInteger reads = new AtomicInteger();
        SigningKeyStore lostRace = new SigningKeyStore() {
            @Override
            public List<SigningKey> all() {
                return reads.getAndIncrement() == 0 ? List.of() : store.all();
            }

            @Override
            public boolean add(SigningKey key) {
                return false; // someone else got there first
            }
        };
        BuiltInIdentityProvider second = provider(lostRace, Duration.ZERO);

        assertEquals(1, store.all().size());
        assertEquals(first.currentKeyId(), second.currentKeyId());
        verified(second, issue(first));
    }

    @Test
    void aFailingStoreDoesNotStopVerification() {
        AtomicInteger reads = new AtomicInteger();
        SigningKeyStore flaky = new SigningKeyStore() {
            @Override
            public List<SigningKey> all() {
                if (reads.incrementAndGet() > 2) {
                    throw new IllegalStateException("store down");
                }
                return store.all();
            }

            @Override
            public boolean add(SigningKey key) {
                return store.add(key);
            }
        };
        BuiltInIdentityProvider provider = provider(flaky, Duration.ZERO);
        String token = issue(provider);

        assertEquals("unknown signing key", reason(provider, forge().unknownKid(alice)));
        assertTrue(reads.get() > 2, "the store was asked");
        verified(provider, token);
        verified(provider, issue(provider));
    }

    @Test
    void aStoreThatKeepsNothingIsAnError() {
        SigningKeyStore blackHole = new SigningKeyStore() {
            @Override
            public List<SigningKey> all() {
                return List.of();
            }

            @Override
            public boolean add(SigningKey key) {
                return true;
            }
        };
        assertThrows(IllegalStateException.class, () -> provider(blackHole, Duration.ZERO));
    }

    @Test
    void unusableStoredKeysAreIgnored() {
        Instant at = clock.instant();
        store.add(new SigningKey("rsa", "RS256", "AAAA", "AAAA", at));
        store.add(new SigningKey("garbage", "ES256", "AAAA", "AAAA", at));
        SigningKey half = new SigningKey("half", "ES256",
                EcKeys.encodePrivate((ECPrivateKey) EcKeys.generate().getPrivate()), "AAAA", at);
        store.add(half);

        BuiltInIdentityProvider provider = provider();

        assertEquals(4, store.all().size(), "a usable key was added");
        assertFalse(Set.of("rsa", "garbage", "half").contains(provider.currentKeyId()));
        assertEquals(Set.of(provider.currentKeyId()), publishedKids(provider));
        verified(provider, issue(provider));
    }

    // ---- tokens

    @Test
    void issuedTokensCarryTheAgreedClaims() {
        BuiltInIdentityProvider provider = new BuiltInIdentityProvider(store, ISSUER, "my-api", Duration.ofMinutes(5), clock);
        Instant now = clock.instant().plusMillis(700);
        AccessToken issued = provider.issue(alice, EnumSet.of(Permission.WRITE_TODOS, Permission.READ_TODOS), now);

        Jws<Claims> jws = Jwts.parser().verifyWith(EcKeys.decodePublic(store.all().getFirst().publicKey()))
                .clock(() -> Date.from(clock.instant())).build().parseSignedClaims(issued.token());
        Claims claims = jws.getPayload();
        assertEquals("ES256", jws.getHeader().getAlgorithm());
        assertEquals(provider.currentKeyId(), jws.getHeader().getKeyId());
        assertEquals("JWT", jws.getHeader().getType());
        assertEquals(ISSUER, claims.getIssuer());
        assertEquals(Set.of("my-api"), claims.getAudience());
        assertEquals(alice.value(), claims.getSubject());
        assertEquals(clock.instant(), claims.getIssuedAt().toInstant());
        assertEquals(clock.instant(), claims.getNotBefore().toInstant());
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), claims.getExpiration().toInstant());
        assertEquals(issued.expiresAt(), claims.getExpiration().toInstant());
        assertEquals(36, claims.getId().length());
        assertEquals(List.of("read:todos", "write:todos"), claims.get("permissions"));
        assertEquals(Duration.ofMinutes(5), provider.tokenLifetime());
        assertEquals("builtin", provider.name());

        Verification.Verified verified = verified(provider, issued.token());
        assertEquals(Optional.of(Set.of(Permission.READ_TODOS, Permission.WRITE_TODOS)), verified.permissions());
        assertEquals(issued.expiresAt(), verified.expiresAt());
    }

    @Test
    void tokensOfAnotherAudienceOrIssuerSettingAreNotAccepted() {
        BuiltInIdentityProvider ours = provider();
        BuiltInIdentityProvider otherAudience = new BuiltInIdentityProvider(store, ISSUER, "other-api", LIFETIME, clock);
        BuiltInIdentityProvider otherIssuer = new BuiltInIdentityProvider(store, "https://other.example", BuiltInIdentityProvider.DEFAULT_AUDIENCE, LIFETIME, clock);

        assertEquals("wrong audience", reason(ours, issue(otherAudience)));
        assertInstanceOf(Verification.NotMine.class, ours.verify(issue(otherIssuer)));
    }

    @Test
    void eachDefectHasItsReason() {
        BuiltInIdentityProvider provider = provider();
        BuiltInTokenForge forge = forge();
        assertEquals("token expired", reason(provider, forge.expired(alice)));
        assertEquals("token not yet valid", reason(provider, forge.notYetValid(alice)));
        assertEquals("token has no expiry", reason(provider, forge.withoutExpiry(alice)));
        assertEquals("wrong audience", reason(provider, forge.wrongAudience(alice)));
        assertEquals("unsigned tokens are not accepted", reason(provider, forge.algNone(alice)));
        assertEquals("signing algorithm not allowed", reason(provider, forge.hs256SignedWithThePublicKey(alice)));
        assertEquals("invalid signature", reason(provider, forge.tamperedPayload(alice)));
        assertEquals("unknown signing key", reason(provider, forge.unknownKid(alice)));
        assertEquals("invalid signature", reason(provider, forge.knownKidWithForeignKey(alice)));
        assertInstanceOf(Verification.NotMine.class, provider.verify(forge.wrongIssuer(alice)));
    }

    private BuiltInTokenForge forge() {
        if (store.all().isEmpty()) {
            provider();
        }
        return new BuiltInTokenForge(store, ISSUER, BuiltInIdentityProvider.DEFAULT_AUDIENCE);
    }

    private static String reason(BuiltInIdentityProvider provider, String token) {
        return assertInstanceOf(Verification.Rejected.class, provider.verify(token)).reason();
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new BuiltInIdentityProvider(store, " "));
        assertThrows(IllegalArgumentException.class,
                () -> new BuiltInIdentityProvider(store, ISSUER, "dnsdig-api", Duration.ZERO, clock));
        BuiltInIdentityProvider defaults = new BuiltInIdentityProvider(store, ISSUER);
        assertEquals(ISSUER, defaults.issuer());
        assertEquals("dnsdig-api", defaults.audience());
        assertEquals(Duration.ofMinutes(15), defaults.tokenLifetime());
    }

    // ---- what it publishes

    @Test
    void jwksHoldsThePublicKeysOnly() throws Exception {
        BuiltInIdentityProvider provider = provider();
        provider.rotate();

        List<Map<String, Object>> keys = publishedKeys(provider);
        assertEquals(2, keys.size());
        for (Map<String, Object> jwk : keys) {
            assertEquals(Set.of("kty", "crv", "x", "y", "kid", "use", "alg"), jwk.keySet(), "no 'd', nothing private");
            assertEquals("EC", jwk.get("kty"));
            assertEquals("P-256", jwk.get("crv"));
            assertEquals("sig", jwk.get("use"));
            assertEquals("ES256", jwk.get("alg"));
            assertTrue(((String) jwk.get("x")).matches("[A-Za-z0-9_-]{43}"), "x is unpadded base64url of 32 bytes");
            assertTrue(((String) jwk.get("y")).matches("[A-Za-z0-9_-]{43}"), "y is unpadded base64url of 32 bytes");
        }
        // what a standard JWKS client makes of it: the very keys in our store
        String json = new ObjectMapper().writeValueAsString(provider.jwks());
        JwkSet set = io.jsonwebtoken.security.Jwks.setParser().build().parse(json);
        Map<String, java.security.PublicKey> parsed = set.getKeys().stream()
                .collect(Collectors.toMap(io.jsonwebtoken.security.Jwk::getId, k -> ((PublicJwk<?>) k).toKey()));
        for (SigningKey stored : store.all()) {
            assertEquals(EcKeys.decodePublic(stored.publicKey()), parsed.get(stored.keyId()));
        }
    }

    @Test
    void discoveryDocumentPointsAtOurEndpoints() {
        BuiltInIdentityProvider provider = provider();

        Map<String, Object> document = provider.openIdConfiguration("https://dnsdig.example/");

        assertEquals(ISSUER, document.get("issuer"));
        assertEquals("https://dnsdig.example/.well-known/jwks.json", document.get("jwks_uri"));
        assertEquals("https://dnsdig.example/v1/auth/login", document.get("token_endpoint"));
        assertEquals(List.of("ES256"), document.get("id_token_signing_alg_values_supported"));
        assertTrue(((List<?>) document.get("scopes_supported")).contains("admin:users"));
        assertEquals(document, provider.discovery("https://dnsdig.example"));
    }
}
