package dev.dnsdig.adapters.auth.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared verifier: its cache, and the token shapes the adapters' own tests do not reach. */
class JwtVerifierTest {
    private static final String ISSUER = "https://issuer.test";
    private static final String AUDIENCE = "dnsdig-api";
    private static final String KID = "k1";

    private final KeyPair keys = EcKeys.generate();
    private final MutableClock clock = MutableClock.atNow();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicBoolean keyWithdrawn = new AtomicBoolean();
    private final UserId alice = UserId.generate(Instant.now());

    private JwtVerifier verifier(int cacheSize) {
        return new JwtVerifier(ISSUER, AUDIENCE, kid -> {
            lookups.incrementAndGet();
            return KID.equals(kid) && !keyWithdrawn.get() ? Optional.of(keys.getPublic()) : Optional.empty();
        }, sub -> UserId.isValid(sub) ? Optional.of(new Subject.Local(new UserId(sub))) : Optional.empty(), clock, cacheSize);
    }

    private String token(Duration lifetime) {
        return new AccessTokenSigner(ISSUER, AUDIENCE, lifetime)
                .sign((ECPrivateKey) keys.getPrivate(), KID, alice.value(), Set.of(Permission.READ_TODOS), clock.instant())
                .token();
    }

    private String token() {
        return token(Duration.ofMinutes(15));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A hand-made JWS: any header and payload text, a real ES256 signature. */
    private static String signed(String header, String payload, PrivateKey key) {
        String input = b64(header) + "." + b64(payload);
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private String payload() {
        long now = clock.instant().getEpochSecond();
        return "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + alice.value() + "\",\"iat\":" + now
                + ",\"nbf\":" + now + ",\"exp\":" + (now + 600) + "}";
    }

    private static String reason(Verification verification) {
        return assertInstanceOf(Verification.Rejected.class, verification).reason();
    }

    @Test
    void aRepeatedTokenIsCheckedOnce() {
        JwtVerifier verifier = verifier(100);
        String token = token();

        Verification first = verifier.verify(token);
        Verification second = verifier.verify(token);
        Verification third = verifier.verify(new String(token.toCharArray())); // equal text, another object

        assertInstanceOf(Verification.Verified.class, first);
        assertSame(first, second);
        assertSame(first, third);
        assertEquals(1, verifier.signatureChecks());
        assertEquals(1, lookups.get());
        verifier.verify(token());
        assertEquals(2, verifier.signatureChecks());
    }

    @Test
    void aCachedTokenNeedsNoKeyUntilTheCacheIsCleared() {
        JwtVerifier verifier = verifier(100);
        String token = token();
        assertInstanceOf(Verification.Verified.class, verifier.verify(token));

        keyWithdrawn.set(true);
        assertInstanceOf(Verification.Verified.class, verifier.verify(token));
        verifier.clearCache();
        assertEquals("unknown signing key", reason(verifier.verify(token)));
    }

    @Test
    void theCacheHoldsATokenOnlyUntilItExpires() {
        JwtVerifier verifier = verifier(100);
        String token = token(Duration.ofSeconds(60));
        assertInstanceOf(Verification.Verified.class, verifier.verify(token));

        clock.advance(Duration.ofSeconds(70)); // past exp, within the 30 s skew: checked again, still accepted
        assertInstanceOf(Verification.Verified.class, verifier.verify(token));
        assertEquals(2, verifier.signatureChecks());
        assertEquals(0, verifier.cachedTokens(), "an expired token is not cached again");

        clock.advance(Duration.ofSeconds(30));
        assertEquals("token expired", reason(verifier.verify(token)));
    }

    @Test
    void rejectionsAreNotCached() {
        JwtVerifier verifier = verifier(100);
        String forged = signed("{\"alg\":\"ES256\",\"kid\":\"k1\"}", payload(), EcKeys.generate().getPrivate());

        assertEquals("invalid signature", reason(verifier.verify(forged)));
        assertEquals("invalid signature", reason(verifier.verify(forged)));
        assertEquals(2, verifier.signatureChecks());
        assertEquals(0, verifier.cachedTokens());
    }

    @Test
    void theCacheIsBounded() {
        JwtVerifier verifier = verifier(4);
        for (int i = 0; i < 10; i++) {
            assertInstanceOf(Verification.Verified.class, verifier.verify(token()));
            assertTrue(verifier.cachedTokens() <= 4, "at most 4 cached: " + verifier.cachedTokens());
        }
        JwtVerifier uncached = verifier(0);
        String token = token();
        uncached.verify(token);
        uncached.verify(token);
        assertEquals(2, uncached.signatureChecks());
        assertThrows(IllegalArgumentException.class, () -> verifier(-1));
    }

    @Test
    void expiredEntriesLeaveTheCacheFirst() {
        VerifiedTokenCache cache = new VerifiedTokenCache(2);
        Instant now = clock.instant();
        Verification.Verified shortLived = new Verification.Verified(new Subject.Local(alice), Optional.empty(), now.plusSeconds(1));
        Verification.Verified longLived = new Verification.Verified(new Subject.Local(alice), Optional.empty(), now.plusSeconds(600));
        cache.put("a", shortLived, now);
        cache.put("b", longLived, now);
        cache.put("c", longLived, now.plusSeconds(5)); // full: "a" has expired by now and goes

        assertEquals(null, cache.get("a", now));
        assertSame(longLived, cache.get("b", now.plusSeconds(5)));
        assertSame(longLived, cache.get("c", now.plusSeconds(5)));
        cache.put("d", shortLived, now.plusSeconds(5)); // already expired: not stored
        assertEquals(null, cache.get("d", now));
    }

    @Test
    void malformedTokensAreRejectedBeforeAnyKeyIsLooked() {
        JwtVerifier verifier = verifier(100);
        String header = b64("{\"alg\":\"ES256\",\"kid\":\"k1\"}");
        String payload = b64(payload());
        for (String token : new String[] {null, "", "x".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1), "abc", "a.b", ".a.b",
                "a.b.c.d.e", header + "." + payload + ".sig.extra", "%%%." + payload + ".sig", header + ".%%%.sig",
                header + "." + b64("[1,2]") + ".sig", header + "." + b64("\"text\"") + ".sig",
                header + "." + b64("{\"iss\":\"" + ISSUER + "\"} trailing") + ".sig",
                header + "." + b64("{\"iss\":\"" + ISSUER + "\",\"iss\":\"" + ISSUER + "\"}") + ".sig",
                header + "." + b64("{\"iss\":") + ".sig",
                b64("[]") + "." + payload + ".sig"}) {
            assertEquals("malformed token", reason(verifier.verify(token)), String.valueOf(token));
        }
        assertEquals(0, lookups.get());
    }

    @Test
    void headerDefectsAreNamed() {
        JwtVerifier verifier = verifier(100);
        PrivateKey key = keys.getPrivate();
        assertInstanceOf(Verification.Verified.class, verifier.verify(signed("{\"alg\":\"ES256\",\"kid\":\"k1\"}", payload(), key)));
        assertEquals("unknown signing key", reason(verifier.verify(signed("{\"alg\":\"ES256\"}", payload(), key))));
        assertEquals("unknown signing key", reason(verifier.verify(signed("{\"alg\":\"ES256\",\"kid\":7}", payload(), key))));
        assertEquals("unsigned tokens are not accepted", reason(verifier.verify(signed("{\"kid\":\"k1\"}", payload(), key))));
        assertEquals("unsigned tokens are not accepted",
                reason(verifier.verify(signed("{\"alg\":\"NONE\",\"kid\":\"k1\"}", payload(), key))));
        assertEquals("signing algorithm not allowed",
                reason(verifier.verify(signed("{\"alg\":\"RS256\",\"kid\":\"k1\"}", payload(), key))));
        assertEquals("signing algorithm not allowed",
                reason(verifier.verify(signed("{\"alg\":\"ES384\",\"kid\":\"k1\"}", payload(), key))));
        // a critical header we do not understand, and compression (zip bombs): refused although properly signed
        assertEquals("invalid token", reason(verifier.verify(
                signed("{\"alg\":\"ES256\",\"kid\":\"k1\",\"crit\":[\"x-magic\"],\"x-magic\":1}", payload(), key))));
        assertEquals("invalid token", reason(verifier.verify(
                signed("{\"alg\":\"ES256\",\"kid\":\"k1\",\"zip\":\"DEF\"}", payload(), key))));
    }

    @Test
    void theIssuerMustBeGiven() {
        assertThrows(IllegalArgumentException.class,
                () -> new JwtVerifier(" ", AUDIENCE, kid -> Optional.empty(), sub -> Optional.empty(), Clock.systemUTC(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new JwtVerifier(ISSUER, null, kid -> Optional.empty(), sub -> Optional.empty(), Clock.systemUTC(), 1));
        assertEquals(ISSUER, verifier(1).issuer());
    }

    @Test
    void signerChecksItsSettings() {
        assertThrows(IllegalArgumentException.class, () -> new AccessTokenSigner("", AUDIENCE, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new AccessTokenSigner(ISSUER, AUDIENCE, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new AccessTokenSigner(ISSUER, AUDIENCE, Duration.ofDays(2)));
        assertEquals(Duration.ofMinutes(1), new AccessTokenSigner(ISSUER, AUDIENCE, Duration.ofMinutes(1)).lifetime());
    }
}
