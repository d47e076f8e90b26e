package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.application.fakes.InMemoryApplicationRepository;
import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.fakes.OpaqueTokens;
import dev.dnsdig.application.port.in.Authenticate.Principal;
import dev.dnsdig.application.port.in.Authenticate.Result;
import dev.dnsdig.application.port.out.IdentityProvider;
import dev.dnsdig.application.port.out.UserRepository.CreateResult;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link AuthenticationService} for what the single-provider identity contract cannot show: several
 * providers in a row, external subjects, and tokens that never reach a provider.
 */
class AuthenticationServiceTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final ExternalIdentity OIDC_ALICE = new ExternalIdentity("oidc", "alice-sub");

    private MutableClock clock;
    private InMemoryUserRepository users;
    private OpaqueTokens opaque;
    private User alice;

    /** A provider with a fixed answer that records the tokens it was shown. */
    private static final class FixedProvider implements IdentityProvider {
        private final Verification answer;
        final List<String> seen = new ArrayList<>();

        FixedProvider(Verification answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public Verification verify(String token) {
            seen.add(token);
            return answer;
        }
    }

    @BeforeEach
    void wire() {
        clock = new MutableClock(START);
        users = new InMemoryUserRepository();
        opaque = new OpaqueTokens(Duration.ofMinutes(15), clock);
        User user = User.create(UserId.generate(START), new Email("alice@example.com"), new Username("alice"),
                Optional.empty(), Optional.empty(), List.of(OIDC_ALICE), false, START);
        alice = assertInstanceOf(CreateResult.Created.class, users.create(user)).user();
    }

    private Result authenticate(AuthenticationService service, String token) {
        return service.authenticate(Optional.of("Bearer " + token), Optional.empty());
    }

    @Test
    void theFirstProviderThatVerifiesWins() {
        FixedProvider foreign = new FixedProvider(new IdentityProvider.Verification.NotMine());
        AuthenticationService service = new AuthenticationService(List.of(foreign, opaque), users);
        String token = opaque.issue(alice.id(), Permission.defaults(), START).token();

        Principal principal = assertInstanceOf(Result.Authenticated.class, authenticate(service, token)).principal();

        assertEquals(alice.id(), principal.userId());
        assertEquals(List.of(token), foreign.seen, "asked first, said not mine");
    }

    @Test
    void providersAfterTheVerifyingOneAreNotAsked() {
        FixedProvider later = new FixedProvider(new IdentityProvider.Verification.NotMine());
        AuthenticationService service = new AuthenticationService(List.of(opaque, later), users);
        String token = opaque.issue(alice.id(), Permission.defaults(), START).token();

        assertInstanceOf(Result.Authenticated.class, authenticate(service, token));
        assertEquals(List.of(), later.seen);
    }

    @Test
    void aRejectionIsReportedWhenNoProviderVerifies() {
        FixedProvider rejecting = new FixedProvider(new IdentityProvider.Verification.Rejected("signature invalid"));
        FixedProvider foreign = new FixedProvider(new IdentityProvider.Verification.NotMine());
        AuthenticationService service = new AuthenticationService(List.of(rejecting, foreign), users);

        Result.Unauthenticated result = assertInstanceOf(Result.Unauthenticated.class, authenticate(service, "abc.def.ghi"));

        assertEquals(Optional.of("invalid_token"), result.error());
        assertEquals("signature invalid", result.description());
        assertEquals(List.of("abc.def.ghi"), foreign.seen);
    }

    @Test
    void aTokenWhoseProviderCannotCheckItNowIsUnavailableNotRejected() {
        FixedProvider down = new FixedProvider(new IdentityProvider.Verification.Unavailable(
                "the identity provider's signing keys are unavailable", Duration.ofSeconds(4)));
        FixedProvider foreign = new FixedProvider(new IdentityProvider.Verification.NotMine());
        AuthenticationService service = new AuthenticationService(List.of(foreign, down), users);

        Result.Unavailable result = assertInstanceOf(Result.Unavailable.class, authenticate(service, "abc.def.ghi"));

        assertEquals("the identity provider's signing keys are unavailable", result.description());
        assertEquals(Duration.ofSeconds(4), result.retryAfter());
    }

    @Test
    void aRejectionByAProviderThatCouldCheckOutweighsOneThatCouldNot() {
        FixedProvider down = new FixedProvider(new IdentityProvider.Verification.Unavailable("down", Duration.ofSeconds(4)));
        FixedProvider rejecting = new FixedProvider(new IdentityProvider.Verification.Rejected("invalid signature"));
        AuthenticationService service = new AuthenticationService(List.of(down, rejecting), users);

        assertEquals("invalid signature",
                assertInstanceOf(Result.Unauthenticated.class, authenticate(service, "abc.def.ghi")).description());
        // and a provider that verifies wins over both
        String token = opaque.issue(alice.id(), Permission.defaults(), START).token();
        assertInstanceOf(Result.Authenticated.class,
                authenticate(new AuthenticationService(List.of(down, opaque), users), token));
    }

    @Test
    void aTokenNoProviderKnowsIsNotTrusted() {
        AuthenticationService service = new AuthenticationService(
                List.of(new FixedProvider(new IdentityProvider.Verification.NotMine())), users);

        Result.Unauthenticated result = assertInstanceOf(Result.Unauthenticated.class, authenticate(service, "abc"));

        assertEquals("token not issued by a trusted identity provider", result.description());
    }

    @Test
    void withoutProvidersNothingIsTrusted() {
        AuthenticationService service = new AuthenticationService(List.of(), users);

        assertInstanceOf(Result.Unauthenticated.class, authenticate(service, "abc"));
    }

    @Test
    void anExternalSubjectIsFoundByItsIdentity() {
        AuthenticationService service = new AuthenticationService(List.of(opaque), users);
        String token = opaque.mint(new IdentityProvider.Subject.External(OIDC_ALICE), Optional.empty(),
                START.plus(Duration.ofMinutes(5))).token();

        Principal principal = assertInstanceOf(Result.Authenticated.class, authenticate(service, token)).principal();

        assertEquals(alice.id(), principal.userId());
        assertEquals(Permission.defaults(), principal.permissions(), "no scope in the token: the user's own");
    }

    @Test
    void anUnknownExternalSubjectIsInvalid() {
        AuthenticationService service = new AuthenticationService(List.of(opaque), users);
        String token = opaque.mint(new IdentityProvider.Subject.External(new ExternalIdentity("oidc", "stranger")),
                Optional.empty(), START.plus(Duration.ofMinutes(5))).token();

        Result.Unauthenticated result = assertInstanceOf(Result.Unauthenticated.class, authenticate(service, token));

        assertEquals(Optional.of("invalid_token"), result.error());
    }

    @Test
    void malformedTokensNeverReachAProvider() {
        FixedProvider provider = new FixedProvider(new IdentityProvider.Verification.NotMine());
        AuthenticationService service = new AuthenticationService(List.of(provider), users);

        for (String token : List.of("tök", "a\u0000b", "a\tb", "x".repeat(8193))) {
            Result.Unauthenticated result = assertInstanceOf(Result.Unauthenticated.class, authenticate(service, token));
            assertEquals("malformed token", result.description());
        }
        assertEquals(List.of(), provider.seen);

        authenticate(service, "x".repeat(8192));
        assertEquals(1, provider.seen.size(), "8192 characters are allowed");
    }

    @Test
    void noHeaderOrAnotherSchemeNeverReachesAProvider() {
        FixedProvider provider = new FixedProvider(new IdentityProvider.Verification.NotMine());
        AuthenticationService service = new AuthenticationService(List.of(provider), users);

        Result.Unauthenticated none = assertInstanceOf(Result.Unauthenticated.class,
                service.authenticate(Optional.empty(), Optional.empty()));
        Result.Unauthenticated basic = assertInstanceOf(Result.Unauthenticated.class,
                service.authenticate(Optional.of("Basic YWxpY2U6c2VjcmV0"), Optional.empty()));

        assertEquals(Optional.empty(), none.error());
        assertEquals(Optional.of("invalid_request"), basic.error());
        assertEquals(List.of(), provider.seen);
    }

    @Test
    void theTokenIsStrippedOfSurroundingWhitespace() {
        AuthenticationService service = new AuthenticationService(List.of(opaque), users);
        String token = opaque.issue(alice.id(), Permission.defaults(), START).token();

        Result result = service.authenticate(Optional.of("  BEARER   " + token + "  "), Optional.empty());

        assertEquals(alice.id(), assertInstanceOf(Result.Authenticated.class, result).principal().userId());
    }

    // ---- machine clients

    private String clientToken(ClientId client, Set<Permission> permissions) {
        return opaque.mint(new IdentityProvider.Subject.Local(alice.id()), Optional.of(permissions), Optional.of(client),
                START.plus(Duration.ofMinutes(5))).token();
    }

    @Test
    void aClientTokenIsNarrowedToTheApplicationsPermissions() {
        InMemoryApplicationRepository applications = new InMemoryApplicationRepository();
        ClientId client = ClientId.generate(START);
        applications.create(new Application(client, alice.id(), "ci", Set.of(Permission.READ_RESOLVER), "hash", START));
        AuthenticationService service = new AuthenticationService(List.of(opaque), users, applications);

        Principal principal = assertInstanceOf(Result.Authenticated.class,
                authenticate(service, clientToken(client, Permission.defaults()))).principal();

        assertEquals(Set.of(Permission.READ_RESOLVER), principal.permissions());
        assertEquals(Optional.of(client), principal.client());
    }

    @Test
    void aClientTokenOfADeletedOrForeignApplicationIsInvalid() {
        InMemoryApplicationRepository applications = new InMemoryApplicationRepository();
        ClientId foreign = ClientId.generate(START);
        applications.create(new Application(foreign, UserId.generate(START), "theirs", Permission.defaults(), "hash", START));
        AuthenticationService service = new AuthenticationService(List.of(opaque), users, applications);

        for (ClientId client : List.of(foreign, ClientId.generate(START))) {
            Result.Unauthenticated result = assertInstanceOf(Result.Unauthenticated.class,
                    authenticate(service, clientToken(client, Permission.defaults())));
            assertEquals(Optional.of("invalid_token"), result.error());
        }
    }

    @Test
    void withoutApplicationsAClientTokenIsInvalid() {
        AuthenticationService service = new AuthenticationService(List.of(opaque), users);

        assertInstanceOf(Result.Unauthenticated.class,
                authenticate(service, clientToken(ClientId.generate(START), Permission.defaults())));
    }
}
