package dev.dnsdig.adapters.auth.jwt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SignatureAlgorithm;
import io.jsonwebtoken.security.SignatureException;
import java.io.IOException;
import java.security.Key;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Verifies the signed JWTs of one issuer; the built-in issuer, the fake and the OpenID Connect adapter share it,
 * so they apply the same rules. In order: a cached earlier verification of the very same token is reused until
 * the token expires; the unverified {@code iss} decides whether the token is ours at all
 * ({@link Verification.NotMine} if not); then jjwt checks the signature with only the allowed algorithms (ES256
 * for our own tokens; ES256 and RS256 for an OpenID provider) and the key found by {@code kid} (unknown kid
 * rejected), then {@code iss} and {@code aud} (required), {@code exp} and {@code nbf} with 30 s of clock skew;
 * and we require {@code exp} ourselves, which jjwt does not. Then a {@link ClaimsReader} turns the checked claims
 * into the answer (our own tokens: {@link #ourClaims}). Every failure is a {@link Verification.Rejected} with a
 * short reason that is safe to show a client.
 *
 * <p>{@link #check} runs the same checks without the cache and the reader, for tokens that need more checks of
 * their own (an OpenID Connect id_token: nonce, azp, iat).
 */
public final class JwtVerifier {
    /** The claim listing the scope strings a token is limited to. */
    public static final String PERMISSIONS_CLAIM = "permissions";
    /** RFC 8693 4.3: the machine client a token was issued to. */
    public static final String CLIENT_CLAIM = "client_id";
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** Longer tokens are refused before any decoding. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    static final String MALFORMED = "malformed token";
    static final String NO_ISSUER = "token has no issuer";
    static final String UNSIGNED = "unsigned tokens are not accepted";
    static final String ALGORITHM = "signing algorithm not allowed";
    public static final String UNKNOWN_KEY = "unknown signing key";
    static final String KEYS_UNAVAILABLE = "the identity provider's signing keys are unavailable";
    public static final String SIGNATURE = "invalid signature";
    static final String EXPIRED = "token expired";
    static final String PREMATURE = "token not yet valid";
    static final String NO_EXPIRY = "token has no expiry";
    static final String AUDIENCE = "wrong audience";
    static final String ISSUER = "wrong issuer";
    static final String SUBJECT = "invalid subject";
    static final String PERMISSIONS = "invalid permissions claim";
    static final String CLIENT = "invalid client_id claim";
    static final String INVALID = "invalid token";

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    /** Finds a trusted public key by key id. */
    @FunctionalInterface
    public interface KeyLookup {
        /**
         * @throws KeysUnavailableException when the keys cannot be known right now (e.g. a provider's JWKS is
         *         unreachable), as opposed to empty: the key does not exist
         */
        Optional<? extends PublicKey> find(String keyId);
    }

    /** Turns the claims of a token that passed every check (signature, iss, aud, exp, nbf) into the answer. */
    @FunctionalInterface
    public interface ClaimsReader {
        Verification read(Claims claims);
    }

    /** The outcome of {@link #check}: the checked claims, or why not. */
    public sealed interface Check {
        /** Signed by a trusted key with an allowed algorithm, our iss and aud, in its validity window, with exp. */
        record Passed(Claims claims) implements Check {
        }

        /** {@link Verification.Rejected} (a defect) or {@link Verification.NotMine} (another issuer). */
        record Failed(Verification verification) implements Check {
        }

        /** The signing keys could not be loaded: no verdict on the token is possible before {@code retryAfter}. */
        record KeysUnavailable(Duration retryAfter) implements Check {
        }
    }

    /** Thrown by a {@link KeyLookup} that cannot tell right now whether a key exists; it tries again after {@code retryAfter}. */
    public static final class KeysUnavailableException extends RuntimeException {
        private final Duration retryAfter;

        public KeysUnavailableException(Duration retryAfter) {
            super(KEYS_UNAVAILABLE, null, false, false);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    private final String issuer;
    private final KeyLookup keys;
    private final Set<String> algorithms;
    private final ClaimsReader reader;
    private final Clock clock;
    private final JwtParser parser;
    private final VerifiedTokenCache cache;
    private final LongAdder signatureChecks = new LongAdder();

    /**
     * Our own access tokens: ES256 only, read by {@link #ourClaims}.
     *
     * @param subjects turns the {@code sub} claim into whom the token speaks for; empty rejects the token
     * @param cacheSize how many verified tokens to remember (0: none)
     */
    public JwtVerifier(String issuer, String audience, KeyLookup keys, Function<String, Optional<Subject>> subjects,
                       Clock clock, int cacheSize) {
        this(issuer, audience, Set.of(EcKeys.ES256), keys, ourClaims(subjects), clock, cacheSize);
    }

    /**
     * Any issuer's tokens.
     *
     * @param algorithms the JOSE names of the allowed asymmetric signature algorithms, e.g. {@code ES256}, {@code RS256}
     * @param reader turns the checked claims into the answer
     * @param cacheSize how many verified tokens to remember (0: none)
     */
    public JwtVerifier(String issuer, String audience, Set<String> algorithms, KeyLookup keys, ClaimsReader reader,
                       Clock clock, int cacheSize) {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("issuer and audience must not be blank");
        }
        if (algorithms == null || algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one signing algorithm must be allowed");
        }
        this.issuer = issuer;
        this.keys = keys;
        this.algorithms = Set.copyOf(algorithms);
        this.reader = reader;
        this.clock = clock;
        this.cache = new VerifiedTokenCache(cacheSize);
        JwtParserBuilder builder = Jwts.parser().keyLocator(new KeyIdLocator());
        var allowed = builder.sig().clear();
        for (String algorithm : this.algorithms) {
            // only public-key signatures: an HMAC "signature" would make the public key a shared secret
            if (!(Jwts.SIG.get().get(algorithm) instanceof SignatureAlgorithm signature)) {
                throw new IllegalArgumentException("not an asymmetric JWS algorithm: " + algorithm);
            }
            allowed.add(signature);
        }
        this.parser = allowed.and()
                .zip().clear().and()
                .requireIssuer(issuer)
                .requireAudience(audience)
                .clockSkewSeconds(CLOCK_SKEW.toSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    public String issuer() {
        return issuer;
    }

    public Verification verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return new Verification.Rejected(MALFORMED);
        }
        Instant now = clock.instant();
        Verification.Verified cached = cache.get(token, now);
        if (cached != null) {
            return cached;
        }
        Verification verification = switch (check(token)) {
            case Check.Passed passed -> reader.read(passed.claims());
            case Check.Failed failed -> failed.verification();
            case Check.KeysUnavailable unavailable -> new Verification.Unavailable(KEYS_UNAVAILABLE, unavailable.retryAfter());
        };
        if (verification instanceof Verification.Verified verified) {
            cache.put(token, verified, now);
        }
        return verification;
    }

    /**
     * Every check of {@link #verify} up to the claims reader, without the cache: shape, issuer (another one is
     * {@link Verification.NotMine}), algorithm, key, signature, iss, aud, exp (required) and nbf.
     */
    public Check check(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return new Check.Failed(new Verification.Rejected(MALFORMED));
        }
        Optional<Verification> early = precheck(token);
        if (early.isPresent()) {
            return new Check.Failed(early.get());
        }
        Claims claims;
        try {
            claims = parser.parseSignedClaims(token).getPayload();
        } catch (KeysUnavailableException e) {
            return new Check.KeysUnavailable(e.retryAfter());
        } catch (RuntimeException e) {
            return new Check.Failed(new Verification.Rejected(reason(e)));
        }
        if (claims.getExpiration() == null) {
            return new Check.Failed(new Verification.Rejected(NO_EXPIRY));
        }
        return new Check.Passed(claims);
    }

    /** The checks that need no key: shape, whose token it is (unverified iss), algorithm, key id present. */
    private Optional<Verification> precheck(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            return Optional.of(new Verification.Rejected(MALFORMED));
        }
        Optional<JsonNode> header = jsonObject(token.substring(0, first));
        Optional<JsonNode> payload = jsonObject(token.substring(first + 1, second));
        if (header.isEmpty() || payload.isEmpty()) {
            return Optional.of(new Verification.Rejected(MALFORMED));
        }
        JsonNode iss = payload.get().get("iss");
        if (iss == null || !iss.isTextual()) {
            return Optional.of(new Verification.Rejected(NO_ISSUER));
        }
        if (!iss.textValue().equals(issuer)) {
            return Optional.of(new Verification.NotMine());
        }
        JsonNode alg = header.get().get("alg");
        if (alg == null || !alg.isTextual() || alg.textValue().equalsIgnoreCase("none")) {
            return Optional.of(new Verification.Rejected(UNSIGNED));
        }
        if (!algorithms.contains(alg.textValue())) {
            return Optional.of(new Verification.Rejected(ALGORITHM));
        }
        JsonNode kid = header.get().get("kid");
        if (kid == null || !kid.isTextual()) {
            return Optional.of(new Verification.Rejected(UNKNOWN_KEY));
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> jsonObject(String base64url) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(base64url);
            try (JsonParser json = JSON.createParser(bytes)) {
                JsonNode node = JSON.readTree(json);
                if (node == null || !node.isObject() || json.nextToken() != null) {
                    return Optional.empty();
                }
                return Optional.of(node);
            }
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * How our own tokens (built-in issuer and fake) read: {@code sub} through {@code subjects}, the optional
     * {@value #PERMISSIONS_CLAIM} list that limits the token, the optional {@value #CLIENT_CLAIM} of a machine client.
     */
    public static ClaimsReader ourClaims(Function<String, Optional<Subject>> subjects) {
        return claims -> {
            Date expiration = claims.getExpiration();
            String sub = claims.getSubject();
            Optional<Subject> subject = sub == null || sub.isBlank() ? Optional.empty() : subjects.apply(sub);
            if (subject.isEmpty()) {
                return new Verification.Rejected(SUBJECT);
            }
            Object scopes = claims.get(PERMISSIONS_CLAIM);
            Optional<Set<Permission>> permissions;
            if (scopes == null) {
                permissions = Optional.empty();
            } else if (scopes instanceof Collection<?> list && list.stream().allMatch(String.class::isInstance)) {
                permissions = Optional.of(permissions(list));
            } else {
                return new Verification.Rejected(PERMISSIONS);
            }
            Object client = claims.get(CLIENT_CLAIM);
            if (client != null && !(client instanceof String id && ClientId.isValid(id))) {
                return new Verification.Rejected(CLIENT);
            }
            return new Verification.Verified(subject.get(), permissions, expiration.toInstant(),
                    Optional.ofNullable((String) client).map(ClientId::new));
        };
    }

    /** Known scopes only: an unknown one grants nothing, and dropping it can only narrow the token. */
    public static Set<Permission> permissions(Collection<?> scopes) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (Permission permission : Permission.values()) {
            if (scopes.contains(permission.scope())) {
                permissions.add(permission);
            }
        }
        return permissions;
    }

    private static String reason(RuntimeException e) {
        return switch (e) {
            case ExpiredJwtException expired -> EXPIRED;
            case PrematureJwtException premature -> PREMATURE;
            case IncorrectClaimException incorrect -> claimReason(incorrect.getClaimName());
            case MissingClaimException missing -> claimReason(missing.getClaimName());
            case UnknownKeyException unknown -> UNKNOWN_KEY;
            case SignatureException signature -> SIGNATURE;
            case io.jsonwebtoken.MalformedJwtException malformed -> MALFORMED;
            case JwtException other -> INVALID;
            default -> INVALID; // whatever else the parser throws on hostile input is still just a bad token
        };
    }

    private static String claimReason(String claim) {
        return switch (claim) {
            case "aud" -> AUDIENCE;
            case "iss" -> ISSUER;
            default -> INVALID;
        };
    }

    /** Verifications that did not come from the cache, i.e. signature checks: for tests of the cache. */
    long signatureChecks() {
        return signatureChecks.sum();
    }

    int cachedTokens() {
        return cache.size();
    }

    /** Forgets the cached verifications (e.g. after a key is withdrawn). */
    public void clearCache() {
        cache.clear();
    }

    private final class KeyIdLocator extends LocatorAdapter<Key> {
        @Override
        protected Key locate(JwsHeader header) {
            String keyId = header.getKeyId();
            PublicKey key = keyId == null ? null : keys.find(keyId).orElse(null);
            if (key == null) {
                throw new UnknownKeyException();
            }
            signatureChecks.increment();
            return key;
        }
    }

    /** The token names a key we do not have (or none). */
    private static final class UnknownKeyException extends JwtException {
        UnknownKeyException() {
            super(UNKNOWN_KEY);
        }
    }
}
