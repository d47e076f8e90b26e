package dev.dnsdig.application.contract.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.CheapPasswordHasher;
import dev.dnsdig.application.fakes.InMemoryRefreshTokenStore;
import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.port.in.Authenticate.Principal;
import dev.dnsdig.application.port.in.Authenticate.Result;
import dev.dnsdig.application.port.in.LogIn.SessionResult;
import dev.dnsdig.application.port.in.Tokens;
import dev.dnsdig.application.port.out.IdentityProvider;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.application.port.out.TokenIssuer;
import dev.dnsdig.application.port.out.UserRepository.CreateResult;
import dev.dnsdig.application.port.out.UserRepository.UpdateResult;
import dev.dnsdig.application.service.AuthenticationService;
import dev.dnsdig.application.service.SessionService;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of every identity-provider adapter: subclass once per adapter and supply it (as
 * {@link IdentityProvider} and {@link TokenIssuer}) with a {@link TokenForge} that mints broken tokens for it.
 * The adapter is wired into the real {@link AuthenticationService} and {@link SessionService} over in-memory
 * stores, and each case asserts the exact {@link Result} and RFC 6750 error code a client would get, plus the
 * adapter's own answer ({@link Verification}) where it is specific: another issuer's token is
 * {@link Verification.NotMine}, every forgery of ours is {@link Verification.Rejected} with a short reason that
 * is safe to show.
 *
 * <p>The adapter runs on the system clock; forged times are minutes away from now, well beyond any clock skew.
 *
 * <p>Whom a token speaks for: by default a token for a test user names the user's id ({@link Subject.Local}),
 * as our own tokens do. An adapter for an external provider says instead, through
 * {@link AdapterUnderTest#subjects()}, which {@link Subject.External} identity a token for a test user carries;
 * the test user is then created with that identity, so authentication finds the user by it. Such an adapter is
 * not a {@link TokenIssuer}: it brings a test issuer that has the provider mint access tokens for a user, and the
 * session cases run our own login and refresh tokens around those access tokens.
 */
public abstract class IdentityProviderContract {
    protected static final String PASSWORD = "Correct-Horse-42";
    private static final Duration REFRESH_LIFETIME = Duration.ofDays(30);

    /**
     * The adapter under test, its forge, and whom a token for a test user speaks for. Most adapters are both
     * provider and issuer.
     *
     * @param subjects the subject a valid token for the user with this id verifies to; for our own tokens
     *                 {@code Subject.Local(id)}, for an external provider {@code Subject.External(identity)}
     */
    public record AdapterUnderTest(IdentityProvider provider, TokenIssuer issuer, TokenForge forge,
                                   Function<UserId, Subject> subjects) {
        /** Tokens that speak for our own users by id. */
        public AdapterUnderTest(IdentityProvider provider, TokenIssuer issuer, TokenForge forge) {
            this(provider, issuer, forge, Subject.Local::new);
        }
    }

    /** A fresh adapter for each test. */
    protected abstract AdapterUnderTest newAdapter();

    protected IdentityProvider provider;
    protected TokenIssuer issuer;
    protected TokenForge forge;
    /** Whom a valid token for a test user speaks for; see {@link AdapterUnderTest#subjects()}. */
    protected Function<UserId, Subject> subjects;
    protected InMemoryUserRepository users;
    protected InMemoryRefreshTokenStore refreshTokens;
    protected AuthenticationService authentication;
    protected SessionService sessions;
    /** A user with the default permissions (everything but administration) and password {@link #PASSWORD}. */
    protected User alice;

    @BeforeEach
    void wire() {
        AdapterUnderTest adapter = newAdapter();
        provider = adapter.provider();
        issuer = adapter.issuer();
        forge = adapter.forge();
        subjects = adapter.subjects();
        users = new InMemoryUserRepository();
        refreshTokens = new InMemoryRefreshTokenStore();
        CheapPasswordHasher hasher = new CheapPasswordHasher();
        authentication = new AuthenticationService(List.of(provider), users);
        sessions = new SessionService(users, refreshTokens, hasher, issuer, REFRESH_LIFETIME, Clock.systemUTC());
        Instant now = Instant.now();
        UserId id = UserId.generate(now);
        List<ExternalIdentity> identities = switch (subjects.apply(id)) {
            case Subject.Local local -> {
                assertEquals(id, local.id(), "a local subject names the user's own id");
                yield List.of();
            }
            case Subject.External external -> List.of(external.identity());
        };
        User user = User.create(id, new Email("alice@example.com"), new Username("alice"),
                Optional.empty(), Optional.of(hasher.hash(PASSWORD)), identities, false, now);
        alice = assertInstanceOf(CreateResult.Created.class, users.create(user)).user();
    }

    // ---- helpers

    protected Result authenticate(String token, Optional<Permission> required) {
        return authentication.authenticate(Optional.of("Bearer " + token), required);
    }

    protected Tokens logIn() {
        SessionResult result = sessions.logIn(alice.email(), PASSWORD);
        return assertInstanceOf(SessionResult.Issued.class, result).tokens();
    }

    protected String issuedToken(Set<Permission> permissions) {
        return issuer.issue(alice.id(), permissions, Instant.now()).token();
    }

    protected static void assertAuthenticatedAs(User user, Set<Permission> permissions, Result result) {
        Principal principal = assertInstanceOf(Result.Authenticated.class, result).principal();
        assertEquals(user.id(), principal.userId());
        assertEquals(permissions, principal.permissions());
    }

    /** 401 with {@code invalid_token}; and the adapter itself rejects the token (or says it is not its own). */
    protected void assertInvalidToken(String token, Class<? extends Verification> adapterAnswer) {
        Verification verification = provider.verify(token);
        assertInstanceOf(adapterAnswer, verification);
        if (verification instanceof Verification.Rejected rejected) {
            assertSafe(rejected.reason(), token);
        }
        Result result = authenticate(token, Optional.empty());
        Result.Unauthenticated unauthenticated = assertInstanceOf(Result.Unauthenticated.class, result);
        assertEquals(Optional.of("invalid_token"), unauthenticated.error());
        assertSafe(unauthenticated.description(), token);
    }

    protected void assertRejected(String token) {
        assertInvalidToken(token, Verification.Rejected.class);
    }

    /** Short, plain words: no exception or class names, no library internals, nothing of the token. */
    protected static void assertSafe(String reason, String token) {
        assertFalse(reason == null || reason.isBlank(), "a reason is given");
        assertTrue(reason.length() <= 120, () -> "short reason: " + reason);
        for (String leak : List.of("Exception", "exception", "io.jsonwebtoken", "java.", "eyJ")) {
            assertFalse(reason.contains(leak), () -> "reason leaks '" + leak + "': " + reason);
        }
        for (String part : token.split("\\.")) {
            if (part.length() >= 8) {
                assertFalse(reason.contains(part), () -> "reason echoes the token: " + reason);
            }
        }
    }

    private User save(User changed) {
        return assertInstanceOf(UpdateResult.Updated.class, users.update(changed)).user();
    }

    // ---- the header

    @Test
    void noAuthorizationHeader() {
        for (Optional<String> header : List.of(Optional.<String>empty(), Optional.of(""), Optional.of("   "))) {
            Result result = authentication.authenticate(header, Optional.empty());
            Result.Unauthenticated unauthenticated = assertInstanceOf(Result.Unauthenticated.class, result);
            assertEquals(Optional.empty(), unauthenticated.error(), "no credentials: no error code (RFC 6750 3.1)");
        }
    }

    @Test
    void malformedAuthorizationHeader() {
        for (String header : List.of("Basic x", "Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer   ", "Token abc",
                "Bearerabc")) {
            Result result = authentication.authenticate(Optional.of(header), Optional.empty());
            Result.Unauthenticated unauthenticated = assertInstanceOf(Result.Unauthenticated.class, result, header);
            assertEquals(Optional.of("invalid_request"), unauthenticated.error(), header);
        }
        for (String header : List.of("Bearer garbage", "Bearer a.b.c", "Bearer ...", "Bearer two words",
                "Bearer " + "x".repeat(10_000), "Bearer e30.e30.e30", "Bearer !!!.???.***")) {
            Result result = authentication.authenticate(Optional.of(header), Optional.empty());
            Result.Unauthenticated unauthenticated = assertInstanceOf(Result.Unauthenticated.class, result,
                    header.length() > 40 ? header.substring(0, 40) : header);
            assertEquals(Optional.of("invalid_token"), unauthenticated.error());
        }
        for (String garbage : List.of("garbage", "a.b.c", "e30.e30.e30", "...", "x.y", "a.b.c.d.e")) {
            assertFalse(provider.verify(garbage) instanceof Verification.Verified, garbage);
        }
    }

    // ---- valid tokens

    @Test
    void validTokenAuthenticates() {
        Tokens tokens = logIn();
        assertTrue(tokens.expiresIn().compareTo(Duration.ZERO) > 0 && tokens.expiresIn().compareTo(Duration.ofDays(1)) <= 0,
                "a short positive lifetime: " + tokens.expiresIn());

        Result result = authenticate(tokens.accessToken(), Optional.of(Permission.READ_TODOS));
        assertAuthenticatedAs(alice, Permission.defaults(), result);
        // the scheme is case-insensitive (RFC 7235), and a repeated token keeps working
        assertAuthenticatedAs(alice, Permission.defaults(),
                authentication.authenticate(Optional.of("bearer " + tokens.accessToken()), Optional.empty()));

        Verification.Verified verified = assertInstanceOf(Verification.Verified.class, provider.verify(tokens.accessToken()));
        Instant now = Instant.now();
        assertTrue(verified.expiresAt().isAfter(now) && verified.expiresAt().isBefore(now.plus(Duration.ofDays(1))),
                "expires soon, not now: " + verified.expiresAt());
    }

    @Test
    void forgedValidTokenAuthenticates() {
        // the forge's baseline: the rejections below are for the one defect, not for how the forge signs
        assertAuthenticatedAs(alice, Permission.defaults(), authenticate(forge.valid(alice.id()), Optional.empty()));
    }

    @Test
    void validTokenSpeaksForItsUser() {
        Verification.Verified forged = assertInstanceOf(Verification.Verified.class, provider.verify(forge.valid(alice.id())));
        assertEquals(subjects.apply(alice.id()), forged.subject());
        Verification.Verified issued = assertInstanceOf(Verification.Verified.class,
                provider.verify(issuedToken(Permission.defaults())));
        assertEquals(subjects.apply(alice.id()), issued.subject());
    }

    @Test
    void tokenPermissionsNarrowTheUsersPermissions() {
        // the token says read:todos and admin:users; alice has no admin:users, so only read:todos remains
        String token = issuedToken(EnumSet.of(Permission.READ_TODOS, Permission.ADMIN_USERS));

        assertAuthenticatedAs(alice, Set.of(Permission.READ_TODOS), authenticate(token, Optional.of(Permission.READ_TODOS)));
        Result.Forbidden forbidden = assertInstanceOf(Result.Forbidden.class,
                authenticate(token, Optional.of(Permission.WRITE_TODOS)));
        assertEquals(Optional.of(Permission.WRITE_TODOS), forbidden.missing());
        assertEquals(Optional.of(Permission.ADMIN_USERS), assertInstanceOf(Result.Forbidden.class,
                authenticate(token, Optional.of(Permission.ADMIN_USERS))).missing());
    }

    @Test
    void permissionChangesApplyToTokensAlreadyIssued() {
        String token = issuedToken(Permission.all());
        save(alice.withPermissions(EnumSet.of(Permission.READ_RESOLVER), Instant.now()));

        assertAuthenticatedAs(alice, Set.of(Permission.READ_RESOLVER), authenticate(token, Optional.empty()));
    }

    @Test
    void missingPermission() {
        String token = logIn().accessToken();

        Result.Forbidden forbidden = assertInstanceOf(Result.Forbidden.class,
                authenticate(token, Optional.of(Permission.ADMIN_USERS)));
        assertEquals(Optional.of(Permission.ADMIN_USERS), forbidden.missing());
        assertTrue(forbidden.description().contains("admin:users"), forbidden.description());
    }

    // ---- the user behind a valid token

    @Test
    void tokenOfADeletedUser() {
        String token = logIn().accessToken();
        assertTrue(users.delete(alice.id()));

        Result.Unauthenticated unauthenticated = assertInstanceOf(Result.Unauthenticated.class,
                authenticate(token, Optional.empty()));
        assertEquals(Optional.of("invalid_token"), unauthenticated.error());
    }

    @Test
    void tokenOfABlockedUser() {
        String token = logIn().accessToken();
        save(alice.withBlockedAt(Optional.of(Instant.now()), Instant.now()));

        Result.Forbidden forbidden = assertInstanceOf(Result.Forbidden.class, authenticate(token, Optional.empty()));
        assertEquals(Optional.empty(), forbidden.missing());
        assertInstanceOf(SessionResult.Blocked.class, sessions.logIn(alice.email(), PASSWORD));
    }

    // ---- forgeries and defects

    @Test
    void expiredToken() {
        assertRejected(forge.expired(alice.id()));
    }

    @Test
    void notYetValidToken() {
        assertRejected(forge.notYetValid(alice.id()));
    }

    @Test
    void tokenWithoutExp() {
        assertRejected(forge.withoutExpiry(alice.id()));
    }

    @Test
    void wrongIssuer() {
        assertInvalidToken(forge.wrongIssuer(alice.id()), Verification.NotMine.class);
    }

    @Test
    void wrongAudience() {
        assertRejected(forge.wrongAudience(alice.id()));
    }

    @Test
    void algNone() {
        assertRejected(forge.algNone(alice.id()));
    }

    @Test
    void hs256SignedWithThePublicKey() {
        assertRejected(forge.hs256SignedWithThePublicKey(alice.id()));
    }

    @Test
    void tamperedPayload() {
        assertRejected(forge.tamperedPayload(alice.id()));
    }

    @Test
    void unknownKid() {
        assertRejected(forge.unknownKid(alice.id()));
    }

    @Test
    void knownKidWithForeignKey() {
        assertRejected(forge.knownKidWithForeignKey(alice.id()));
    }

    @Test
    void aRejectedTokenStaysRejected() {
        // a rejection must not be remembered as, or turn into, an acceptance (caches, retries)
        String forged = forge.knownKidWithForeignKey(alice.id());
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Verification.Rejected.class, provider.verify(forged));
        }
        String valid = logIn().accessToken();
        assertInstanceOf(Verification.Verified.class, provider.verify(valid));
        assertInstanceOf(Verification.Rejected.class, provider.verify(forged));
    }

    // ---- sessions: the issuer inside the real login and refresh flow

    @Test
    void refreshTokenReuseRevokesTheFamily() {
        Tokens first = logIn();
        Tokens second = assertInstanceOf(SessionResult.Issued.class, sessions.refresh(first.refreshToken().orElseThrow())).tokens();
        assertNotEquals(first.refreshToken(), second.refreshToken());
        assertAuthenticatedAs(alice, Permission.defaults(), authenticate(second.accessToken(), Optional.empty()));

        // the first refresh token again: theft is assumed, the whole family ends
        assertInstanceOf(SessionResult.Rejected.class, sessions.refresh(first.refreshToken().orElseThrow()));
        assertInstanceOf(SessionResult.Rejected.class, sessions.refresh(second.refreshToken().orElseThrow()));
    }

    @Test
    void wrongPasswordIssuesNothing() {
        SessionResult wrong = sessions.logIn(alice.email(), "Wrong-Horse-42");
        SessionResult unknown = sessions.logIn(new Email("nobody@example.com"), PASSWORD);

        assertEquals(assertInstanceOf(SessionResult.Rejected.class, wrong),
                assertInstanceOf(SessionResult.Rejected.class, unknown), "the same answer, whoever asks");
    }
}
