package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.MutableClock;
import dev.dnsdig.application.fakes.CheapPasswordHasher;
import dev.dnsdig.application.fakes.InMemoryApplicationRepository;
import dev.dnsdig.application.fakes.InMemoryRefreshTokenStore;
import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.fakes.OpaqueTokens;
import dev.dnsdig.application.port.in.Authenticate.Result;
import dev.dnsdig.application.port.in.LogIn.SessionResult;
import dev.dnsdig.application.port.in.ManageApplications.Created;
import dev.dnsdig.application.port.in.Tokens;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.application.port.out.UserRepository.CreateResult;
import dev.dnsdig.application.port.out.UserRepository.UpdateResult;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests of {@link ApplicationService}: managing machine clients and the client credentials grant. */
class ApplicationServiceTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration ACCESS_LIFETIME = Duration.ofMinutes(15);
    private static final Set<Permission> RESOLVER = Set.of(Permission.READ_RESOLVER);

    private MutableClock clock;
    private InMemoryUserRepository users;
    private InMemoryApplicationRepository applications;
    private OpaqueTokens issuer;
    private ApplicationService service;
    private AuthenticationService authentication;
    private User alice;
    private User bob;

    @BeforeEach
    void wire() {
        clock = new MutableClock(START);
        users = new InMemoryUserRepository();
        applications = new InMemoryApplicationRepository();
        issuer = new OpaqueTokens(ACCESS_LIFETIME, clock);
        service = new ApplicationService(applications, users, issuer, clock);
        authentication = new AuthenticationService(List.of(issuer), users, applications);
        alice = create("alice");
        bob = create("bob");
    }

    // ---- helpers

    private User create(String name) {
        User user = User.create(UserId.generate(clock.instant()), new Email(name + "@example.com"), new Username(name),
                Optional.empty(), Optional.empty(), List.of(), false, clock.instant());
        return assertInstanceOf(CreateResult.Created.class, users.create(user)).user();
    }

    private Created.WithSecret created(User owner, Set<Permission> permissions) {
        return assertInstanceOf(Created.WithSecret.class, service.create(owner.id(), "script", permissions));
    }

    private static Tokens issued(SessionResult result) {
        return assertInstanceOf(SessionResult.Issued.class, result).tokens();
    }

    private Tokens grant(Created.WithSecret app) {
        return issued(service.clientCredentials(app.application().clientId().value(), app.clientSecret()));
    }

    private void change(User user, java.util.function.UnaryOperator<User> modification) {
        User current = users.findById(user.id()).orElseThrow();
        assertInstanceOf(UpdateResult.Updated.class, users.update(modification.apply(current)));
    }

    private Result authenticate(Tokens tokens, Permission required) {
        return authentication.authenticate(Optional.of("Bearer " + tokens.accessToken()), Optional.of(required));
    }

    // ---- creation

    @Test
    void creationStoresTheApplicationWithOnlyAHashOfTheSecret() {
        clock.advance(Duration.ofSeconds(7));
        Created.WithSecret created = assertInstanceOf(Created.WithSecret.class, service.create(alice.id(), "Nightly backup",
                Set.of(Permission.READ_RESOLVER, Permission.READ_TODOS)));

        Application stored = applications.findById(created.application().clientId()).orElseThrow();
        assertEquals(created.application(), stored);
        assertEquals(alice.id(), stored.owner());
        assertEquals("Nightly backup", stored.name());
        assertEquals(Set.of(Permission.READ_RESOLVER, Permission.READ_TODOS), stored.permissions());
        assertEquals(clock.instant(), stored.createdAt());
        assertEquals(ApplicationService.hash(created.clientSecret()), stored.secretHash());
        assertFalse(stored.secretHash().contains(created.clientSecret()));
        assertEquals(64, stored.secretHash().length(), "hex SHA-256");
        assertEquals(43, created.clientSecret().length(), "256 bits in base64url");
        assertFalse(created.toString().contains(created.clientSecret()), "never logged");
    }

    @Test
    void everyApplicationHasItsOwnIdAndSecret() {
        Created.WithSecret first = created(alice, RESOLVER);
        clock.advance(Duration.ofMillis(1)); // within one millisecond the order is the ids' random part
        Created.WithSecret second = created(alice, RESOLVER);

        assertNotEquals(first.application().clientId(), second.application().clientId());
        assertNotEquals(first.clientSecret(), second.clientSecret());
        assertEquals(List.of(first.application(), second.application()), service.list(alice.id()));
    }

    @Test
    void permissionsTheOwnerLacksAreNamedAndNothingIsCreated() {
        change(alice, user -> user.withPermissions(EnumSet.of(Permission.READ_RESOLVER), clock.instant()));

        Created result = service.create(alice.id(), "greedy",
                Set.of(Permission.READ_RESOLVER, Permission.WRITE_TODOS, Permission.ADMIN_USERS));

        assertEquals(new Created.NotHeld(Set.of(Permission.WRITE_TODOS, Permission.ADMIN_USERS)), result);
        assertEquals(List.of(), service.list(alice.id()));
    }

    @Test
    void anUnknownOwnerCreatesNothing() {
        UserId ghost = UserId.generate(START);

        assertEquals(new Created.OwnerNotFound(), service.create(ghost, "ghost", RESOLVER));
        assertEquals(List.of(), applications.listByOwner(ghost));
    }

    @Test
    void anInvalidNameIsRefusedByTheDomainBeforeAnythingIsStored() {
        assertThrows(InvalidValueException.class, () -> service.create(alice.id(), " ", RESOLVER));
        assertThrows(InvalidValueException.class, () -> service.create(alice.id(), "x".repeat(Application.NAME_MAX + 1), RESOLVER));
        assertEquals(List.of(), service.list(alice.id()));
    }

    // ---- listing and deletion

    @Test
    void eachOwnerSeesAndDeletesOnlyTheirOwn() {
        Created.WithSecret alices = created(alice, RESOLVER);
        Created.WithSecret bobs = created(bob, RESOLVER);

        assertEquals(List.of(alices.application()), service.list(alice.id()));
        assertFalse(service.delete(alice.id(), bobs.application().clientId()), "someone else's");
        assertEquals(List.of(bobs.application()), service.list(bob.id()));

        assertTrue(service.delete(alice.id(), alices.application().clientId()));
        assertEquals(List.of(), service.list(alice.id()));
        assertFalse(service.delete(alice.id(), alices.application().clientId()), "already gone");
    }

    // ---- client credentials

    @Test
    void theGrantIssuesATokenForTheOwnerNamingTheClientWithoutARefreshToken() {
        Created.WithSecret app = created(alice, Set.of(Permission.READ_RESOLVER, Permission.READ_TODOS));

        Tokens tokens = grant(app);

        assertEquals(Optional.empty(), tokens.refreshToken());
        assertEquals(ACCESS_LIFETIME, tokens.expiresIn());
        assertEquals(Set.of(Permission.READ_RESOLVER, Permission.READ_TODOS), tokens.permissions());
        Verification.Verified verified = assertInstanceOf(Verification.Verified.class, issuer.verify(tokens.accessToken()));
        assertEquals(new Subject.Local(alice.id()), verified.subject());
        assertEquals(Optional.of(app.application().clientId()), verified.client());
        assertEquals(Optional.of(Set.of(Permission.READ_RESOLVER, Permission.READ_TODOS)), verified.permissions());
    }

    @Test
    void theTokenCarriesOnlyWhatTheOwnerStillHolds() {
        Created.WithSecret app = created(alice, Set.of(Permission.READ_RESOLVER, Permission.READ_TODOS));
        change(alice, user -> user.withPermissions(EnumSet.of(Permission.READ_TODOS, Permission.WRITE_TODOS), clock.instant()));

        Tokens tokens = grant(app);

        assertEquals(Set.of(Permission.READ_TODOS), tokens.permissions());
        assertEquals(Optional.of(Set.of(Permission.READ_TODOS)),
                assertInstanceOf(Verification.Verified.class, issuer.verify(tokens.accessToken())).permissions());
    }

    @Test
    void wrongSecretsAndUnknownClientsGetOneAnswer() {
        Created.WithSecret app = created(alice, RESOLVER);
        Created.WithSecret other = created(bob, RESOLVER);
        String id = app.application().clientId().value();
        SessionResult.Rejected expected = new SessionResult.Rejected(ApplicationService.REJECTED);

        assertEquals(expected, service.clientCredentials(id, app.clientSecret() + "x"));
        assertEquals(expected, service.clientCredentials(id, other.clientSecret()), "another application's secret");
        assertEquals(expected, service.clientCredentials(id, app.application().secretHash()), "the hash is not the secret");
        assertEquals(expected, service.clientCredentials(id, ""));
        assertEquals(expected, service.clientCredentials(id, null));
        assertEquals(expected, service.clientCredentials(ClientId.generate(START).value(), app.clientSecret()));
        assertEquals(expected, service.clientCredentials("not-a-client-id", app.clientSecret()));
        assertEquals(expected, service.clientCredentials(null, app.clientSecret()));
        assertEquals(expected, service.clientCredentials(id, "y".repeat(100_000)));
        assertEquals(expected, service.clientCredentials(id.toLowerCase(java.util.Locale.ROOT), app.clientSecret()));
        grant(app); // and the right pair still works
    }

    @Test
    void aBlockedOwnersApplicationGetsNoTokenAndItsTokensStop() {
        Created.WithSecret app = created(alice, RESOLVER);
        Tokens before = grant(app);
        change(alice, user -> user.withBlockedAt(Optional.of(clock.instant()), clock.instant()));

        assertEquals(new SessionResult.Blocked(), service.clientCredentials(app.application().clientId().value(), app.clientSecret()));
        assertInstanceOf(Result.Forbidden.class, authenticate(before, Permission.READ_RESOLVER));

        change(alice, user -> user.withBlockedAt(Optional.empty(), clock.instant()));
        assertInstanceOf(Result.Authenticated.class, authenticate(grant(app), Permission.READ_RESOLVER));
    }

    @Test
    void aDeletedApplicationGetsNoTokenAndItsTokensFailAtTheNextRequest() {
        Created.WithSecret app = created(alice, RESOLVER);
        Tokens tokens = grant(app);
        Result.Authenticated authenticated = assertInstanceOf(Result.Authenticated.class, authenticate(tokens, Permission.READ_RESOLVER));
        assertEquals(Optional.of(app.application().clientId()), authenticated.principal().client());

        assertTrue(service.delete(alice.id(), app.application().clientId()));

        assertInstanceOf(Result.Unauthenticated.class, authenticate(tokens, Permission.READ_RESOLVER));
        assertInstanceOf(SessionResult.Rejected.class, service.clientCredentials(app.application().clientId().value(), app.clientSecret()));
    }

    @Test
    void aClientTokenMayOnlyDoWhatTheApplicationMay() {
        Tokens tokens = grant(created(alice, Set.of(Permission.READ_TODOS)));

        Result.Forbidden forbidden = assertInstanceOf(Result.Forbidden.class, authenticate(tokens, Permission.READ_RESOLVER));
        assertEquals(Optional.of(Permission.READ_RESOLVER), forbidden.missing());
        assertInstanceOf(Result.Authenticated.class, authenticate(tokens, Permission.READ_TODOS));
    }

    @Test
    void anApplicationWhoseOwnerIsGoneGetsNoToken() {
        Created.WithSecret app = created(alice, RESOLVER);
        users.delete(alice.id()); // the account alone, as if the clean-up had not run yet

        assertEquals(new SessionResult.Rejected(ApplicationService.REJECTED),
                service.clientCredentials(app.application().clientId().value(), app.clientSecret()));
    }

    @Test
    void deletingTheAccountDeletesItsApplicationsOnly() {
        AccountService accounts = new AccountService(users, new InMemoryRefreshTokenStore(),
                new CheapPasswordHasher(), Set.of(), clock, applications);
        Created.WithSecret app = created(alice, RESOLVER);
        Tokens tokens = grant(app);
        Created.WithSecret bobs = created(bob, RESOLVER);

        assertTrue(accounts.deleteAccount(alice.id()));

        assertEquals(List.of(), applications.listByOwner(alice.id()));
        assertEquals(List.of(bobs.application()), applications.listByOwner(bob.id()));
        assertInstanceOf(Result.Unauthenticated.class, authenticate(tokens, Permission.READ_RESOLVER));
        assertInstanceOf(SessionResult.Rejected.class, service.clientCredentials(app.application().clientId().value(), app.clientSecret()));
    }

    @Test
    void anAccountServiceToldOfNoOwnedDataDeletesOnlyTheAccount() {
        AccountService accounts = new AccountService(users, new InMemoryRefreshTokenStore(), new CheapPasswordHasher(),
                Set.of(), clock);
        Created.WithSecret app = created(alice, RESOLVER);

        assertTrue(accounts.deleteAccount(alice.id()));

        assertTrue(users.findById(alice.id()).isEmpty());
        assertEquals(List.of(app.application()), applications.listByOwner(alice.id()), "it knows no applications");
    }
}
