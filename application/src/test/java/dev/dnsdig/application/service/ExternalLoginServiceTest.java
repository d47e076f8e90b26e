package dev.dnsdig.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.fakes.CheapPasswordHasher;
import dev.dnsdig.application.fakes.InMemoryLoginStateStore;
import dev.dnsdig.application.fakes.InMemoryRefreshTokenStore;
import dev.dnsdig.application.fakes.InMemoryUserRepository;
import dev.dnsdig.application.fakes.OpaqueTokens;
import dev.dnsdig.application.fakes.ScriptedLoginProvider;
import dev.dnsdig.application.port.in.ExternalLogin.Completed;
import dev.dnsdig.application.port.in.ExternalLogin.Started;
import dev.dnsdig.application.port.in.SignUp;
import dev.dnsdig.application.port.out.ExternalLoginProvider.Exchange;
import dev.dnsdig.application.port.out.ExternalLoginProvider.Profile;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.ExternalIdentity;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.Username;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OpenID Connect login flow's rules, with a scripted provider that checks PKCE and nonce like a real one. */
class ExternalLoginServiceTest {
    private Instant now = Instant.parse("2026-11-21T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryRefreshTokenStore refreshTokens = new InMemoryRefreshTokenStore();
    private final ScriptedLoginProvider kinde = new ScriptedLoginProvider("kinde");
    private final SessionService sessions = new SessionService(users, refreshTokens, new CheapPasswordHasher(),
            new OpaqueTokens(Duration.ofMinutes(15), clock), Duration.ofDays(30), clock);
    private final ExternalLoginService service = new ExternalLoginService(List.of(kinde), new InMemoryLoginStateStore(),
            users, sessions, Set.of("boss@example.com"), clock);
    private final AccountService accounts = new AccountService(users, refreshTokens, new CheapPasswordHasher(), Set.of(), clock);

    private static Profile person(String sub, String email, boolean verified) {
        return new Profile(new ExternalIdentity("kinde", sub), Optional.ofNullable(email), verified, Optional.of("Some One"));
    }

    private String begin(Optional<String> store) {
        return assertInstanceOf(Started.Url.class, service.begin("kinde", Optional.empty(), store)).state();
    }

    private Completed callback(String state) {
        return service.complete("kinde", Optional.of(kinde.codeFor(state)), Optional.of(state), Optional.empty(), Optional.empty());
    }

    @Test
    void aFirstLoginCreatesTheUserAndTheStoreComesBack() {
        kinde.willAuthenticate(person("sub-1", "New.Person@example.com", true));
        String state = begin(Optional.of("{\"returnTo\":\"/dash\"}"));
        assertTrue(state.length() >= 43, "generated states carry at least 256 bits: " + state);
        Completed.LoggedIn done = assertInstanceOf(Completed.LoggedIn.class, callback(state));
        assertEquals(Optional.of("{\"returnTo\":\"/dash\"}"), done.store());
        assertTrue(done.tokens().refreshToken().isPresent());
        User created = users.findByIdentity(new ExternalIdentity("kinde", "sub-1")).orElseThrow();
        assertEquals("NewPerson", created.username().value());
        assertEquals(Optional.of("Some One"), created.displayName());
        assertTrue(created.passwordHash().isEmpty());
        assertEquals(Permission.defaults(), created.permissions());
    }

    @Test
    void theNextLoginFindsTheSameUser() {
        kinde.willAuthenticate(person("sub-2", "same@example.com", true));
        callback(begin(Optional.empty()));
        callback(begin(Optional.empty()));
        assertEquals(1, users.list(dev.dnsdig.application.port.out.UserRepository.UserFilter.none(), Optional.empty(), 10).items().size());
    }

    @Test
    void aVerifiedEmailLinksToTheExistingAccount() {
        User existing = ((SignUp.Result.Created) accounts.signUp(new SignUp.Command(new Email("ada@example.com"),
                new Username("ada"), "Secret123", Optional.empty()))).user();
        kinde.willAuthenticate(person("sub-ada", "ADA@example.com", true));
        assertInstanceOf(Completed.LoggedIn.class, callback(begin(Optional.empty())));
        User linked = users.findById(existing.id()).orElseThrow();
        assertEquals(List.of(new ExternalIdentity("kinde", "sub-ada")), linked.identities());
        assertTrue(linked.passwordHash().isPresent(), "the password login keeps working");
    }

    @Test
    void anUnverifiedEmailNeverLinksToAnExistingAccount() {
        accounts.signUp(new SignUp.Command(new Email("victim@example.com"), new Username("victim"), "Secret123", Optional.empty()));
        kinde.willAuthenticate(person("attacker", "victim@example.com", false));
        assertInstanceOf(Completed.EmailNotVerified.class, callback(begin(Optional.empty())));
        assertTrue(users.findByIdentity(new ExternalIdentity("kinde", "attacker")).isEmpty());
    }

    @Test
    void aReplayedStateIsRefused() {
        kinde.willAuthenticate(person("sub-3", "three@example.com", true));
        String state = begin(Optional.empty());
        assertInstanceOf(Completed.LoggedIn.class, callback(state));
        Completed replay = service.complete("kinde", Optional.of("code-x"), Optional.of(state), Optional.empty(), Optional.empty());
        assertEquals("unknown or already used state", assertInstanceOf(Completed.BadState.class, replay).reason());
    }

    @Test
    void anExpiredStateIsRefused() {
        String state = begin(Optional.empty());
        String code = kinde.codeFor(state);
        now = now.plus(ExternalLoginService.STATE_LIFETIME).plusSeconds(1);
        Completed late = service.complete("kinde", Optional.of(code), Optional.of(state), Optional.empty(), Optional.empty());
        assertTrue(assertInstanceOf(Completed.BadState.class, late).reason().contains("expired"));
    }

    @Test
    void pkceAndNonceTravelWithTheState() {
        String state = begin(Optional.empty());
        var request = kinde.requests().get(0);
        assertEquals(43, request.codeChallenge().length(), "S256 challenge, base64url");
        assertNotEquals(request.state(), request.nonce());
        kinde.willAuthenticate(person("sub-4", "four@example.com", true));
        assertInstanceOf(Completed.LoggedIn.class, callback(state), "the verifier kept with the state matches the challenge");
    }

    @Test
    void callerStatesAreCheckedAndSingleUse() {
        assertInstanceOf(Started.BadState.class, service.begin("kinde", Optional.of("short"), Optional.empty()));
        assertInstanceOf(Started.BadState.class, service.begin("kinde", Optional.of("has spaces in it"), Optional.empty()));
        assertEquals("my-state-123", assertInstanceOf(Started.Url.class,
                service.begin("kinde", Optional.of("my-state-123"), Optional.empty())).state());
        assertInstanceOf(Started.BadState.class, service.begin("kinde", Optional.of("my-state-123"), Optional.empty()));
        assertInstanceOf(Started.UnknownProvider.class, service.begin("other", Optional.empty(), Optional.empty()));
    }

    @Test
    void providerErrorsAndFailuresAreTheirOwnOutcomes() {
        Completed denied = service.complete("kinde", Optional.empty(), Optional.of(begin(Optional.empty())),
                Optional.of("access_denied"), Optional.of("user said no"));
        assertEquals("access_denied", assertInstanceOf(Completed.ProviderError.class, denied).error());
        assertInstanceOf(Completed.BadState.class, service.complete("kinde", Optional.empty(), Optional.of(begin(Optional.empty())),
                Optional.empty(), Optional.empty()), "no code");
        kinde.willFail(new Exchange.Unavailable("connection refused"));
        assertInstanceOf(Completed.Unavailable.class, callback(begin(Optional.empty())));
        kinde.willFail(new Exchange.Rejected("bad signature"));
        assertInstanceOf(Completed.Rejected.class, callback(begin(Optional.empty())));
        assertInstanceOf(Completed.BadState.class, service.complete("kinde", Optional.of("c"), Optional.empty(), Optional.empty(), Optional.empty()));
        assertInstanceOf(Completed.UnknownProvider.class, service.complete("nope", Optional.of("c"), Optional.of("s"), Optional.empty(), Optional.empty()));
    }

    @Test
    void noEmailMeansNoAccount() {
        kinde.willAuthenticate(person("sub-5", null, false));
        assertEquals("missing_email", assertInstanceOf(Completed.ProviderError.class, callback(begin(Optional.empty()))).error());
    }

    @Test
    void aTakenUsernameGetsASuffixAndListedAdminsGetAdministration() {
        accounts.signUp(new SignUp.Command(new Email("boss@other.example"), new Username("boss"), "Secret123", Optional.empty()));
        kinde.willAuthenticate(person("sub-boss", "boss@example.com", true));
        assertInstanceOf(Completed.LoggedIn.class, callback(begin(Optional.empty())));
        User created = users.findByIdentity(new ExternalIdentity("kinde", "sub-boss")).orElseThrow();
        assertTrue(created.username().value().matches("boss\\d+"), created.username().value());
        assertTrue(created.has(Permission.ADMIN_USERS));
    }

    @Test
    void aBlockedAccountGetsNoTokens() {
        kinde.willAuthenticate(person("sub-6", "six@example.com", true));
        callback(begin(Optional.empty()));
        User user = users.findByIdentity(new ExternalIdentity("kinde", "sub-6")).orElseThrow();
        accounts.block(user.id());
        assertInstanceOf(Completed.Blocked.class, callback(begin(Optional.empty())));
    }
}
