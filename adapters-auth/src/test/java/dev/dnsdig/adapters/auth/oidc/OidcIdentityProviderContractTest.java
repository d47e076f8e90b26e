package dev.dnsdig.adapters.auth.oidc;

import static dev.dnsdig.adapters.auth.oidc.MockProvider.AUDIENCE;
import static dev.dnsdig.adapters.auth.oidc.MockProvider.CLIENT_ID;
import static dev.dnsdig.adapters.auth.oidc.MockProvider.CLIENT_SECRET;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.SignedJWT;
import dev.dnsdig.adapters.auth.jwt.AccessTokenSigner;
import dev.dnsdig.application.contract.identity.IdentityProviderContract;
import dev.dnsdig.application.contract.identity.TokenForge;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.TokenIssuer;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.net.URI;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The OpenID Connect adapter's bearer-token side passes the identity-provider contract against mock-oauth2-server:
 * access tokens the provider mints for our API audience speak for {@code External(oidc, sub)}, and the test user
 * carries that identity. The forge has the mock mint its valid tokens, and signs the broken ones itself with the
 * mock's own key (or a foreign one). As the adapter issues no tokens, the session cases run our own login and
 * refresh tokens with a test issuer that has the mock mint the access tokens.
 */
class OidcIdentityProviderContractTest extends IdentityProviderContract {
    private static final String NAME = "oidc";
    private static MockProvider mock;
    /** RSA key generation costs a few hundred milliseconds here: one foreign key for all cases. */
    private static final KeyPair FOREIGN = Jwts.SIG.RS256.keyPair().build();
    private OidcProvider current;

    @BeforeAll
    static void startProvider() {
        mock = new MockProvider("contract");
    }

    @AfterAll
    static void stopProvider() {
        mock.close();
    }

    @AfterEach
    void closeAdapter() {
        if (current != null) {
            current.close();
        }
    }

    /** The provider's subject for a test user: deliberately not the user id, so only the identity can find her. */
    private static String sub(UserId user) {
        return "mock|" + user.value();
    }

    @Override
    protected AdapterUnderTest newAdapter() {
        OidcSettings settings = new OidcSettings(mock.issuer(), CLIENT_ID, CLIENT_SECRET,
                URI.create("http://127.0.0.1/callback")).withAudience(AUDIENCE);
        OidcProvider provider = new OidcProvider(settings);
        current = provider;
        return new AdapterUnderTest(provider, new MintingIssuer(), new Forge(),
                id -> new Subject.External(new ExternalIdentity(NAME, sub(id))));
    }

    /** Has the provider mint access tokens for a user, limited by a permissions claim. */
    private static final class MintingIssuer implements TokenIssuer {
        @Override
        public AccessToken issue(UserId subject, Set<Permission> permissions, Optional<ClientId> client, Instant now) {
            if (client.isPresent()) {
                throw new UnsupportedOperationException("a provider's token never names one of our machine clients");
            }
            String token = mock.accessToken(sub(subject),
                    Map.of("permissions", AccessTokenSigner.scopes(permissions)));
            try {
                return new AccessToken(token, SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant());
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Broken tokens signed with jjwt: with the mock's own RSA key where a case needs ours. */
    private static final class Forge implements TokenForge {
        private final KeyPair foreign = FOREIGN;

        private String keyId() {
            return mock.keys.signingKey(mock.issuerId).getKeyID();
        }

        private RSAPrivateKey ourPrivateKey() {
            try {
                return mock.keys.signingKey(mock.issuerId).toRSAKey().toRSAPrivateKey();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        private RSAPublicKey ourPublicKey() {
            try {
                return mock.keys.signingKey(mock.issuerId).toRSAKey().toRSAPublicKey();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        private JwtBuilder claims(UserId subject, Instant from, String audience) {
            return Jwts.builder()
                    .header().keyId(keyId()).type("JWT").and()
                    .issuer(mock.issuer())
                    .audience().add(audience).and()
                    .subject(sub(subject))
                    .issuedAt(Date.from(from))
                    .notBefore(Date.from(from))
                    .expiration(Date.from(from.plus(Duration.ofMinutes(5))))
                    .id(UUID.randomUUID().toString())
                    .claim("permissions", List.of(Permission.READ_TODOS.scope()));
        }

        private JwtBuilder claims(UserId subject) {
            return claims(subject, Instant.now(), AUDIENCE);
        }

        private String ours(JwtBuilder builder) {
            return builder.signWith(ourPrivateKey(), Jwts.SIG.RS256).compact();
        }

        @Override
        public String valid(UserId subject) {
            // minted by the provider itself, the way it mints every token
            return mock.accessToken(sub(subject), Map.of("permissions", AccessTokenSigner.scopes(Permission.defaults())));
        }

        @Override
        public String expired(UserId subject) {
            Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
            return ours(claims(subject, hourAgo, AUDIENCE).expiration(Date.from(Instant.now().minus(Duration.ofMinutes(10)))));
        }

        @Override
        public String notYetValid(UserId subject) {
            return ours(claims(subject, Instant.now().plus(Duration.ofMinutes(10)), AUDIENCE));
        }

        @Override
        public String withoutExpiry(UserId subject) {
            return ours(claims(subject).expiration(null));
        }

        @Override
        public String wrongIssuer(UserId subject) {
            return claims(subject).header().keyId("elsewhere-key").and().issuer("https://elsewhere.example")
                    .signWith(foreign.getPrivate(), Jwts.SIG.RS256).compact();
        }

        @Override
        public String wrongAudience(UserId subject) {
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
            String escalated = claims(subject).claim("permissions", AccessTokenSigner.scopes(Permission.all())).compact();
            String[] original = token.split("\\.", -1);
            String[] changed = escalated.split("\\.", -1);
            return original[0] + "." + changed[1] + "." + original[2];
        }

        @Override
        public String unknownKid(UserId subject) {
            return claims(subject).header().keyId("no-such-key").and().signWith(foreign.getPrivate(), Jwts.SIG.RS256).compact();
        }

        @Override
        public String knownKidWithForeignKey(UserId subject) {
            return claims(subject).signWith(foreign.getPrivate(), Jwts.SIG.RS256).compact();
        }
    }
}
