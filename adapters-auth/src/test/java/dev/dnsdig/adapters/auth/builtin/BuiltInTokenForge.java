package dev.dnsdig.adapters.auth.builtin;

import dev.dnsdig.adapters.auth.jwt.EcKeys;
import dev.dnsdig.application.contract.identity.TokenForge;
import dev.dnsdig.application.port.out.SigningKeyStore;
import dev.dnsdig.application.port.out.SigningKeyStore.SigningKey;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Forges tokens for the built-in provider with jjwt directly: with the provider's real key, read from its
 * {@link SigningKeyStore}, where a case needs our key, and with a freshly generated foreign key otherwise.
 */
final class BuiltInTokenForge implements TokenForge {
    private final SigningKeyStore store;
    private final String issuer;
    private final String audience;
    private final KeyPair foreign = EcKeys.generate();

    BuiltInTokenForge(SigningKeyStore store, String issuer, String audience) {
        this.store = store;
        this.issuer = issuer;
        this.audience = audience;
    }

    private SigningKey ourKey() {
        return store.all().getLast();
    }

    private ECPrivateKey ourPrivateKey() {
        return EcKeys.decodePrivate(ourKey().privateKey());
    }

    private ECPublicKey ourPublicKey() {
        return EcKeys.decodePublic(ourKey().publicKey());
    }

    /** Valid claims for {@code subject} from {@code from} for five minutes, under our key id. */
    private JwtBuilder claims(UserId subject, Instant from) {
        return claims(subject, from, audience);
    }

    private JwtBuilder claims(UserId subject, Instant from, String aud) {
        return Jwts.builder()
                .header().keyId(ourKey().keyId()).type("JWT").and()
                .issuer(issuer)
                .audience().add(aud).and()
                .subject(subject.value())
                .issuedAt(Date.from(from))
                .notBefore(Date.from(from))
                .expiration(Date.from(from.plus(Duration.ofMinutes(5))))
                .id(UUID.randomUUID().toString())
                .claim("permissions", List.of(Permission.READ_TODOS.scope()));
    }

    private JwtBuilder claims(UserId subject) {
        return claims(subject, Instant.now());
    }

    private String ours(JwtBuilder builder) {
        return builder.signWith(ourPrivateKey(), Jwts.SIG.ES256).compact();
    }

    @Override
    public String valid(UserId subject) {
        return ours(claims(subject).claim("permissions", Permission.defaults().stream().map(Permission::scope).toList()));
    }

    @Override
    public String expired(UserId subject) {
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        return ours(claims(subject, hourAgo).expiration(Date.from(Instant.now().minus(Duration.ofMinutes(10)))));
    }

    @Override
    public String notYetValid(UserId subject) {
        Instant later = Instant.now().plus(Duration.ofMinutes(10));
        return ours(claims(subject, later));
    }

    @Override
    public String withoutExpiry(UserId subject) {
        return ours(claims(subject).expiration(null));
    }

    @Override
    public String wrongIssuer(UserId subject) {
        return claims(subject).header().keyId(EcKeys.thumbprint((ECPublicKey) foreign.getPublic())).and()
                .issuer("https://elsewhere.example").signWith(foreign.getPrivate(), Jwts.SIG.ES256).compact();
    }

    @Override
    public String wrongAudience(UserId subject) {
        // jjwt's audience() adds to a set: start from the other audience, not from ours
        return ours(claims(subject, Instant.now(), "someone-else"));
    }

    @Override
    public String algNone(UserId subject) {
        return claims(subject).compact();
    }

    @Override
    public String hs256SignedWithThePublicKey(UserId subject) {
        return claims(subject).signWith(Keys.hmacShaKeyFor(ourPublicKey().getEncoded()), Jwts.SIG.HS256).compact();
    }

    @Override
    public String tamperedPayload(UserId subject) {
        String token = ours(claims(subject));
        String escalated = claims(subject).claim("permissions", Permission.all().stream().map(Permission::scope).toList())
                .compact();
        String[] original = token.split("\\.", -1);
        String[] changed = escalated.split("\\.", -1);
        return original[0] + "." + changed[1] + "." + original[2];
    }

    @Override
    public String unknownKid(UserId subject) {
        return claims(subject).header().keyId("no-such-key").and().signWith(foreign.getPrivate(), Jwts.SIG.ES256).compact();
    }

    @Override
    public String knownKidWithForeignKey(UserId subject) {
        return claims(subject).signWith(foreign.getPrivate(), Jwts.SIG.ES256).compact();
    }
}
