package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.ExternalLogin;
import dev.dnsdig.application.port.in.LogIn.SessionResult;
import dev.dnsdig.application.port.out.ExternalLoginProvider;
import dev.dnsdig.application.port.out.ExternalLoginProvider.Exchange;
import dev.dnsdig.application.port.out.ExternalLoginProvider.Profile;
import dev.dnsdig.application.port.out.LoginStateStore;
import dev.dnsdig.application.port.out.LoginStateStore.LoginState;
import dev.dnsdig.application.port.out.LoginStateStore.Taken;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.application.port.out.UserRepository.CreateResult;
import dev.dnsdig.application.port.out.UserRepository.UpdateResult;
import dev.dnsdig.application.port.out.UserRepository.Uniqueness;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Implements sign-in with OpenID Connect providers: a single-use state (with nonce and PKCE verifier) per
 * login, then the user found by provider and subject, else linked by a verified e-mail, else created.
 */
public final class ExternalLoginService implements ExternalLogin {
    public static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
    private static final Pattern CALLER_STATE = Pattern.compile("[A-Za-z0-9._~-]{8,512}");
    private static final int ATTEMPTS = 5;

    private final List<String> names;
    private final Map<String, ExternalLoginProvider> providers;
    private final LoginStateStore states;
    private final UserRepository users;
    private final SessionService sessions;
    private final Set<String> adminEmails;
    private final Clock clock;

    public ExternalLoginService(List<ExternalLoginProvider> providers, LoginStateStore states, UserRepository users,
                                SessionService sessions, Set<String> adminEmails, Clock clock) {
        this.names = providers.stream().map(ExternalLoginProvider::name).toList();
        this.providers = providers.stream().collect(Collectors.toUnmodifiableMap(ExternalLoginProvider::name, Function.identity()));
        this.states = states;
        this.users = users;
        this.sessions = sessions;
        this.adminEmails = adminEmails.stream().map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.clock = clock;
    }

    @Override
    public List<String> providers() {
        return names;
    }

    @Override
    public Started begin(String provider, Optional<String> state, Optional<String> store) {
        ExternalLoginProvider login = providers.get(provider);
        if (login == null) {
            return new Started.UnknownProvider();
        }
        if (state.isPresent() && !CALLER_STATE.matcher(state.get()).matches()) {
            return new Started.BadState("state must be 8-512 characters of letters, digits, '.', '_', '~' or '-'");
        }
        String chosen = state.orElseGet(() -> random(32)); // 256 bits when we choose
        String nonce = random(32);
        String verifier = random(32); // RFC 7636: 43 characters of base64url
        java.net.URI url;
        try {
            url = login.authorizationUrl(new ExternalLoginProvider.AuthorizationRequest(chosen, nonce, challenge(verifier)));
        } catch (ExternalLoginProvider.Unavailable e) {
            return new Started.Unavailable(e.getMessage());
        }
        Instant now = clock.instant();
        if (!states.save(new LoginState(chosen, provider, nonce, verifier, store, now, now.plus(STATE_LIFETIME)))) {
            return new Started.BadState("this state is already in use");
        }
        return new Started.Url(url, chosen);
    }

    @Override
    public Completed complete(String provider, Optional<String> code, Optional<String> state, Optional<String> error,
                              Optional<String> errorDescription) {
        ExternalLoginProvider login = providers.get(provider);
        if (login == null) {
            return new Completed.UnknownProvider();
        }
        if (state.isEmpty() || state.get().isBlank()) {
            return new Completed.BadState("state is missing");
        }
        LoginState pending;
        switch (states.take(state.get(), clock.instant())) {
            case Taken.Found found -> pending = found.state();
            case Taken.Expired expired -> {
                return new Completed.BadState("the login took too long: state expired, start again");
            }
            case Taken.Unknown unknown -> {
                return new Completed.BadState("unknown or already used state");
            }
        }
        if (!pending.provider().equals(provider)) {
            return new Completed.BadState("state was issued for another provider");
        }
        if (error.isPresent()) {
            return new Completed.ProviderError(error.get(), errorDescription.orElse(""));
        }
        if (code.isEmpty() || code.get().isBlank()) {
            return new Completed.BadState("code is missing");
        }
        return switch (login.exchange(code.get(), pending.codeVerifier(), pending.nonce())) {
            case Exchange.Authenticated authenticated -> signIn(authenticated.profile(), pending.store());
            case Exchange.ProviderError providerError -> new Completed.ProviderError(providerError.error(), providerError.description());
            case Exchange.Rejected rejected -> new Completed.Rejected(rejected.reason());
            case Exchange.Unavailable unavailable -> new Completed.Unavailable(unavailable.reason());
        };
    }

    private Completed signIn(Profile profile, Optional<String> store) {
        Optional<User> user = users.findByIdentity(profile.identity());
        if (user.isEmpty()) {
            if (profile.email().isEmpty()) {
                return new Completed.ProviderError("missing_email",
                        "the provider gave no e-mail address; request the 'email' scope");
            }
            Email email;
            try {
                email = new Email(profile.email().get());
            } catch (InvalidValueException e) {
                return new Completed.ProviderError("invalid_email", "the provider's e-mail address is not usable");
            }
            Optional<User> sameEmail = users.findByEmail(email);
            if (sameEmail.isPresent()) {
                if (!profile.emailVerified()) {
                    // an unverified address proves nothing: linking would hand the account to whoever typed it
                    return new Completed.EmailNotVerified();
                }
                user = link(sameEmail.get(), profile);
            } else {
                user = create(email, profile);
            }
            if (user.isEmpty()) {
                return new Completed.Unavailable("could not store the account; try again");
            }
        }
        return switch (sessions.sessionFor(user.get())) {
            case SessionResult.Issued issued -> new Completed.LoggedIn(issued.tokens(), store);
            case SessionResult.Blocked blocked -> new Completed.Blocked();
            case SessionResult.Rejected rejected -> new Completed.Rejected(rejected.reason());
        };
    }

    private Optional<User> link(User user, Profile profile) {
        User current = user;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            switch (users.update(current.withIdentity(profile.identity(), clock.instant()))) {
                case UpdateResult.Updated updated -> {
                    return Optional.of(updated.user());
                }
                case UpdateResult.VersionConflict conflict -> {
                    Optional<User> again = users.findById(user.id());
                    if (again.isEmpty()) {
                        return Optional.empty();
                    }
                    current = again.get();
                }
                default -> {
                    // linked concurrently by another login of the same person: take that account
                    return users.findByIdentity(profile.identity());
                }
            }
        }
        return Optional.empty();
    }

    private Optional<User> create(Email email, Profile profile) {
        boolean admin = profile.emailVerified() && adminEmails.contains(email.normalized());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            User user = User.create(UserId.generate(now), email, username(email, profile, attempt),
                    profile.name().filter(n -> !n.isBlank() && n.length() <= User.DISPLAY_NAME_MAX), Optional.empty(),
                    List.of(profile.identity()), admin, now);
            switch (users.create(user)) {
                case CreateResult.Created created -> {
                    return Optional.of(created.user());
                }
                case CreateResult.Conflict conflict when conflict.rule() == Uniqueness.USERNAME -> {
                    // try again with a suffix
                }
                case CreateResult.Conflict conflict -> {
                    // a parallel callback of the same login created it first
                    return users.findByIdentity(profile.identity());
                }
            }
        }
        return Optional.empty();
    }

    /** A username from the e-mail's local part; later attempts add random digits to get past taken ones. */
    static Username username(Email email, Profile profile, int attempt) {
        String base = email.value().substring(0, email.value().indexOf('@')).replaceAll("[^A-Za-z0-9]", "");
        if (base.length() < Username.MIN) {
            base = (base + "user").substring(0, Math.max(Username.MIN, Math.min(base.length() + 4, 8)));
        }
        base = base.substring(0, Math.min(base.length(), 40));
        return new Username(attempt == 0 ? base : base + (1000 + Secrets.randomInt(9_000_000)));
    }

    private static String random(int bytes) {
        return Secrets.random(bytes);
    }

    static String challenge(String verifier) {
        return Secrets.s256(verifier);
    }
}
