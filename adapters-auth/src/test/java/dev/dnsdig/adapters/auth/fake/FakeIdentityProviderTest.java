package dev.dnsdig.adapters.auth.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fake's builder makes exactly the token asked for, and verification names the defect. */
class FakeIdentityProviderTest {
    private final FakeIdentityProvider fake = new FakeIdentityProvider();
    private final UserId alice = UserId.generate(Instant.now());

    private String reason(String token) {
        return assertInstanceOf(Verification.Rejected.class, fake.verify(token)).reason();
    }

    private Verification.Verified verified(String token) {
        return assertInstanceOf(Verification.Verified.class, fake.verify(token));
    }

    private static Map<String, Object> part(String token, int index) {
        String json = new String(Base64.getUrlDecoder().decode(token.split("\\.", -1)[index]), StandardCharsets.UTF_8);
        return Jwts.parser().unsecured().build().parseUnsecuredClaims(
                Jwts.builder().claims(parseJson(json)).compact()).getPayload();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseJson(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void issuedTokensVerify() {
        Instant now = Instant.now();
        var issued = fake.issue(alice, EnumSet.of(Permission.READ_TODOS), now);

        Verification.Verified verified = verified(issued.token());
        assertEquals(new Subject.Local(alice), verified.subject());
        assertEquals(Optional.of(Set.of(Permission.READ_TODOS)), verified.permissions());
        assertEquals(issued.expiresAt(), verified.expiresAt());
        assertEquals(now.truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofMinutes(15)), issued.expiresAt());
        assertEquals("fake", fake.name());
    }

    @Test
    void theDefaultBuilderTokenIsValidWithAllPermissions() {
        Verification.Verified verified = verified(fake.token(alice).build());
        assertEquals(Optional.of(Permission.all()), verified.permissions());
    }

    @Test
    void eachDefectHasItsReason() {
        assertEquals("token expired", reason(fake.token(alice).expired().build()));
        assertEquals("token not yet valid", reason(fake.token(alice).notYetValid().build()));
        assertEquals("token has no expiry", reason(fake.token(alice).withoutExpiry().build()));
        assertEquals("wrong audience", reason(fake.token(alice).audience("someone-else").build()));
        assertEquals("unsigned tokens are not accepted", reason(fake.token(alice).algNone().build()));
        assertEquals("signing algorithm not allowed", reason(fake.token(alice).hs256WithPublicKey().build()));
        assertEquals("invalid signature", reason(fake.token(alice).tamperedPayload().build()));
        assertEquals("unknown signing key", reason(fake.token(alice).unknownKid().build()));
        assertEquals("invalid signature", reason(fake.token(alice).signedWithForeignKey().build()));
        assertEquals("invalid subject", reason(fake.token(alice).subject("not-a-user-id").build()));
        assertEquals("invalid subject", reason(fake.token(alice).without("sub").build()));
        assertEquals("invalid permissions claim", reason(fake.token(alice).claim("permissions", "read:todos").build()));
        assertEquals("invalid permissions claim", reason(fake.token(alice).claim("permissions", List.of(1, 2)).build()));
        assertEquals("token has no issuer", reason(fake.token(alice).without("iss").build()));
        assertEquals("token has no issuer", reason(fake.token(alice).issuer(null).claim("iss", 42).build()));
        assertEquals("wrong audience", reason(fake.token(alice).without("aud").build()));
        assertEquals("unknown signing key", reason(fake.token(alice).keyId("someone-elses").build()));
    }

    @Test
    void anotherIssuersTokenIsNotMine() {
        assertInstanceOf(Verification.NotMine.class, fake.verify(fake.token(alice).issuer("https://elsewhere.example").build()));
        // even when it is otherwise broken: another provider may judge it
        assertInstanceOf(Verification.NotMine.class,
                fake.verify(fake.token(alice).issuer("https://elsewhere.example").algNone().build()));
    }

    @Test
    void aTokenMayNameMoreAudiencesIfOursIsAmongThem() {
        verified(fake.token(alice).claim("aud", List.of("other-api", fake.audience())).build());
        assertEquals("wrong audience", reason(fake.token(alice).claim("aud", List.of("other-api")).build()));
    }

    @Test
    void withinTheClockSkewIsStillValid() {
        Instant now = Instant.now();
        verified(fake.token(alice).expiresAt(now.minusSeconds(10)).build());
        verified(fake.token(alice).notBefore(now.plusSeconds(10)).build());
        assertEquals("token expired", reason(fake.token(alice).expiresAt(now.minusSeconds(45)).build()));
        assertEquals("token not yet valid", reason(fake.token(alice).notBefore(now.plusSeconds(45)).build()));
    }

    @Test
    void permissionsClaimIsOptionalAndUnknownScopesGrantNothing() {
        assertEquals(Optional.empty(), verified(fake.token(alice).withoutPermissions().build()).permissions());
        assertEquals(Optional.of(Set.of(Permission.READ_TODOS)),
                verified(fake.token(alice).claim("permissions", List.of("read:todos", "root:everything")).build())
                        .permissions());
        assertEquals(Optional.of(Set.of()), verified(fake.token(alice).permissions(Set.of()).build()).permissions());
    }

    @Test
    void customClaimsAndSubjectsAreMinted() {
        UserId bob = UserId.generate(Instant.now());
        String token = fake.token(alice).subject(bob.value()).claim("tenant", "acme").build();

        assertEquals(new Subject.Local(bob), verified(token).subject());
        assertEquals("acme", part(token, 1).get("tenant"));
        assertEquals(FakeIdentityProvider.KEY_ID, part(token, 0).get("kid"));
    }

    @Test
    void theBrokenTokensAreBrokenTheWayTheySay() {
        Map<String, Object> none = part(fake.token(alice).algNone().build(), 0);
        assertEquals("none", none.get("alg"));
        assertTrue(fake.token(alice).algNone().build().endsWith("."), "empty signature");
        assertEquals("HS256", part(fake.token(alice).hs256WithPublicKey().build(), 0).get("alg"));
        assertEquals(FakeIdentityProvider.KEY_ID, part(fake.token(alice).signedWithForeignKey().build(), 0).get("kid"));
        String tampered = fake.token(alice).permissions(Set.of()).tamperedPayload().build();
        assertEquals(Permission.all().size(), ((List<?>) part(tampered, 1).get("permissions")).size());
    }

    @Test
    void publishesItsKey() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) fake.jwks().get("keys");
        assertEquals(1, keys.size());
        assertEquals(fake.keyId(), keys.getFirst().get("kid"));
        assertEquals(fake.issuer(), fake.discovery("http://localhost:1/").get("issuer"));
        assertEquals("http://localhost:1/.well-known/jwks.json", fake.discovery("http://localhost:1/").get("jwks_uri"));
    }

    @Test
    void rotationSignsWithANewKeyWhileOldTokensKeepVerifying() {
        String before = fake.issue(alice, Set.of(Permission.READ_RESOLVER), Instant.now()).token();
        String kid = fake.rotate();
        assertEquals(kid, fake.keyId());
        String after = fake.issue(alice, Set.of(Permission.READ_RESOLVER), Instant.now()).token();
        assertEquals(kid, part(after, 0).get("kid"));
        assertEquals(FakeIdentityProvider.KEY_ID, part(before, 0).get("kid"));
        assertInstanceOf(Verification.Verified.class, fake.verify(before));
        assertInstanceOf(Verification.Verified.class, fake.verify(after));
        assertEquals(2, ((List<?>) fake.jwks().get("keys")).size());
    }
}
