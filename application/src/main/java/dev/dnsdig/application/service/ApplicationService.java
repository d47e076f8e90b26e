package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.IssueClientTokens;
import dev.dnsdig.application.port.in.LogIn.SessionResult;
import dev.dnsdig.application.port.in.ManageApplications;
import dev.dnsdig.application.port.in.Tokens;
import dev.dnsdig.application.port.out.ApplicationRepository;
import dev.dnsdig.application.port.out.TokenIssuer;
import dev.dnsdig.application.port.out.UserRepository;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Implements machine clients: their management by their owner, and the OAuth 2 client credentials grant.
 *
 * <p>A client secret is 256 random bits shown once; only its SHA-256 is stored (a high-entropy secret needs no
 * slow hash) and compared in constant time. A token carries the application's permissions as far as the owner
 * still holds them, acts for the owner, and names the client, so that {@link AuthenticationService} can stop it
 * as soon as the application is deleted.
 */
public final class ApplicationService implements ManageApplications, IssueClientTokens {
    /** One answer for an unknown client, a wrong secret and a vanished owner, on purpose. */
    static final String REJECTED = "invalid client credentials";
    /** Compared against when there is no application, so that an unknown client_id costs the same work. */
    private static final String DECOY_HASH = hash("decoy");
    private static final int MAX_SECRET_LENGTH = 512;

    private final ApplicationRepository applications;
    private final UserRepository users;
    private final TokenIssuer issuer;
    private final Clock clock;

    public ApplicationService(ApplicationRepository applications, UserRepository users, TokenIssuer issuer, Clock clock) {
        this.applications = applications;
        this.users = users;
        this.issuer = issuer;
        this.clock = clock;
    }

    @Override
    public Created create(UserId owner, String name, Set<Permission> permissions) {
        Optional<User> user = users.findById(owner);
        if (user.isEmpty()) {
            return new Created.OwnerNotFound();
        }
        Set<Permission> notHeld = EnumSet.noneOf(Permission.class);
        notHeld.addAll(permissions);
        notHeld.removeAll(user.get().permissions());
        if (!notHeld.isEmpty()) {
            return new Created.NotHeld(notHeld);
        }
        Instant now = clock.instant();
        String secret = newSecret();
        Application application = new Application(ClientId.generate(now), owner, name, permissions, hash(secret), now);
        applications.create(application);
        return new Created.WithSecret(application, secret);
    }

    @Override
    public List<Application> list(UserId owner) {
        return applications.listByOwner(owner);
    }

    @Override
    public boolean delete(UserId owner, ClientId clientId) {
        return applications.delete(clientId, owner);
    }

    @Override
    public SessionResult clientCredentials(String clientId, String clientSecret) {
        Optional<Application> found = clientId != null && ClientId.isValid(clientId)
                ? applications.findById(new ClientId(clientId)) : Optional.empty();
        String presented = clientSecret == null || clientSecret.length() > MAX_SECRET_LENGTH ? "" : clientSecret;
        boolean matches = MessageDigest.isEqual(
                hash(presented).getBytes(StandardCharsets.US_ASCII),
                found.map(Application::secretHash).orElse(DECOY_HASH).getBytes(StandardCharsets.US_ASCII));
        if (found.isEmpty() || !matches || presented.isEmpty()) {
            return new SessionResult.Rejected(REJECTED);
        }
        Application application = found.get();
        Optional<User> owner = users.findById(application.owner());
        if (owner.isEmpty()) {
            // the owner's account is gone; its applications go with it, and must not outlive it meanwhile
            return new SessionResult.Rejected(REJECTED);
        }
        if (owner.get().blocked()) {
            return new SessionResult.Blocked();
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        permissions.addAll(application.permissions());
        permissions.retainAll(owner.get().permissions());
        Instant now = clock.instant();
        TokenIssuer.AccessToken access = issuer.issue(owner.get().id(), permissions, Optional.of(application.clientId()), now);
        return new SessionResult.Issued(new Tokens(access.token(), Duration.between(now, access.expiresAt()),
                Optional.empty(), permissions));
    }

    /** The stored form of a client secret: hex SHA-256. */
    static String hash(String secret) {
        return Secrets.sha256Hex(secret);
    }

    private static String newSecret() {
        return Secrets.random(32);
    }
}
