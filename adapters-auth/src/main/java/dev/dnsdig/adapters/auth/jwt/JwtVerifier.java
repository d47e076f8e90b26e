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
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
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
 * Verifies the ES256 access tokens of one issuer; the built-in issuer and the fake share it, so they apply the
 * same rules. In order: a cached earlier verification of the very same token is reused until the token
 * expires; the unverified {@code iss} decides whether the token is ours at all ({@link Verification.NotMine}
 * if not); then jjwt checks the signature with only ES256 allowed and the key found by {@code kid} (unknown kid
 * rejected), then {@code iss} and {@code aud} (required), {@code exp} and {@code nbf} with 30 s of clock skew;
 * and we require {@code exp} ourselves, which jjwt does not. Every failure is a {@link Verification.Rejected}
 * with a short reason that is safe to show a client.
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
    static final String UNKNOWN_KEY = "unknown signing key";
    static final String SIGNATURE = "invalid signature";
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
        Optional<? extends PublicKey> find(String keyId);
    }

    private final String issuer;
    private final KeyLookup keys;
    private final Function<String, Optional<Subject>> subjects;
    private final Clock clock;
    private final JwtParser parser;
    private final VerifiedTokenCache cache;
    private final LongAdder signatureChecks = new LongAdder();

    /**
     * @param subjects turns the {@code sub} claim into whom the token speaks for; empty rejects the token
     * @param cacheSize how many verified tokens to remember (0: none)
     */
    public JwtVerifier(String issuer, String audience, KeyLookup keys, Function<String, Optional<Subject>> subjects,
                       Clock clock, int cacheSize) {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("issuer and audience must not be blank");
        }
        this.issuer = issuer;
        this.keys = keys;
        this.subjects = subjects;
        this.clock = clock;
        this.cache = new VerifiedTokenCache(cacheSize);
        this.parser = Jwts.parser()
                .keyLocator(new KeyIdLocator())
                .sig().clear().add(Jwts.SIG.ES256).and()
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
        Optional<Verification> early = precheck(token);
        if (early.isPresent()) {
            return early.get();
        }
        Claims claims;
        try {
            claims = parser.parseSignedClaims(token).getPayload();
        } catch (RuntimeException e) {
            return new Verification.Rejected(reason(e));
        }
        Verification verification = accept(claims);
        if (verification instanceof Verification.Verified verified) {
            cache.put(token, verified, now);
        }
        return verification;
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
        if (!alg.textValue().equals(EcKeys.ES256)) {
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

    /** The claims checks jjwt leaves to us, and the mapping to the port's answer. */
    private Verification accept(Claims claims) {
        Date expiration = claims.getExpiration();
        if (expiration == null) {
            return new Verification.Rejected(NO_EXPIRY);
        }
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
    }

    /** Known scopes only: an unknown one grants nothing, and dropping it can only narrow the token. */
    private static Set<Permission> permissions(Collection<?> scopes) {
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
