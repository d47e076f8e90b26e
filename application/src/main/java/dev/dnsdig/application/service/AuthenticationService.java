package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.Authenticate;
import dev.dnsdig.application.port.out.IdentityProvider;
import dev.dnsdig.application.port.out.IdentityProvider.Subject;
import dev.dnsdig.application.port.out.IdentityProvider.Verification;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Implements authentication: the bearer token is verified by whichever identity provider claims it, then the
 * user is loaded on every request, so deletion, blocking and permission changes take effect at once.
 */
public final class AuthenticationService implements Authenticate {
    private static final String BEARER = "bearer ";
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final List<IdentityProvider> providers;
    private final UserRepository users;

    public AuthenticationService(List<IdentityProvider> providers, UserRepository users) {
        this.providers = List.copyOf(providers);
        this.users = users;
    }

    @Override
    public Result authenticate(Optional<String> authorizationHeader, Optional<Permission> required) {
        if (authorizationHeader.isEmpty() || authorizationHeader.get().isBlank()) {
            return new Result.Unauthenticated(Optional.empty(), "authentication required: send Authorization: Bearer <token>");
        }
        String header = authorizationHeader.get().strip();
        if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER) || header.length() == BEARER.length()) {
            return new Result.Unauthenticated(Optional.of("invalid_request"), "the Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(BEARER.length()).strip();
        if (token.length() > MAX_TOKEN_LENGTH || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            return invalidToken("malformed token");
        }
        Optional<Verification.Verified> verified = Optional.empty();
        String rejection = "token not issued by a trusted identity provider";
        for (IdentityProvider provider : providers) {
            Verification verification = provider.verify(token);
            if (verification instanceof Verification.Verified ok) {
                verified = Optional.of(ok);
                break;
            }
            if (verification instanceof Verification.Rejected rejected) {
                rejection = rejected.reason();
            }
        }
        if (verified.isEmpty()) {
            return invalidToken(rejection);
        }
        Optional<User> user = switch (verified.get().subject()) {
            case Subject.Local local -> users.findById(local.id());
            case Subject.External external -> users.findByIdentity(external.identity());
        };
        if (user.isEmpty()) {
            return invalidToken("the token's user does not exist (deleted, or never logged in here)");
        }
        if (user.get().blocked()) {
            return new Result.Forbidden("the account is blocked", Optional.empty());
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        permissions.addAll(user.get().permissions());
        verified.get().permissions().ifPresent(permissions::retainAll);
        Principal principal = new Principal(user.get().id(), permissions);
        if (required.isPresent() && !principal.may(required.get())) {
            return new Result.Forbidden("missing permission " + required.get().scope(), required);
        }
        return new Result.Authenticated(principal);
    }

    private static Result invalidToken(String description) {
        return new Result.Unauthenticated(Optional.of("invalid_token"), description);
    }
}
