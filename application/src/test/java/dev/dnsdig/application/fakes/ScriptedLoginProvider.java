package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.ExternalLoginProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test {@link ExternalLoginProvider} that behaves like an authorization server: it remembers the PKCE challenge
 * and nonce per issued code, and the exchange answers with whatever profile or failure the test scripted.
 */
public final class ScriptedLoginProvider implements ExternalLoginProvider {
    private final String name;
    private final Map<String, AuthorizationRequest> codes = new ConcurrentHashMap<>();
    private final List<AuthorizationRequest> requests = new ArrayList<>();
    private volatile Exchange next;
    private volatile boolean down;

    /** While down, even the authorization URL cannot be had (no metadata). */
    public ScriptedLoginProvider down(boolean isDown) {
        down = isDown;
        return this;
    }

    public ScriptedLoginProvider(String name) {
        this.name = name;
    }

    /** The next successful login is this person. */
    public ScriptedLoginProvider willAuthenticate(Profile profile) {
        next = new Exchange.Authenticated(profile);
        return this;
    }

    /** The next exchange fails like this. */
    public ScriptedLoginProvider willFail(Exchange failure) {
        next = failure;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized URI authorizationUrl(AuthorizationRequest request) {
        if (down) {
            throw new Unavailable("discovery document unreachable");
        }
        requests.add(request);
        return URI.create("https://idp.example/authorize?state=" + URLEncoder.encode(request.state(), StandardCharsets.UTF_8)
                + "&nonce=" + request.nonce() + "&code_challenge=" + request.codeChallenge() + "&code_challenge_method=S256");
    }

    /** What the browser would bring back: a code bound to the last authorization request. */
    public synchronized String codeFor(String state) {
        AuthorizationRequest request = requests.stream().filter(r -> r.state().equals(state)).reduce((a, b) -> b).orElseThrow();
        String code = "code-" + codes.size();
        codes.put(code, request);
        return code;
    }

    public synchronized List<AuthorizationRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public Exchange exchange(String code, String codeVerifier, String expectedNonce) {
        AuthorizationRequest request = codes.remove(code);
        if (request == null) {
            return new Exchange.ProviderError("invalid_grant", "unknown or used code");
        }
        if (!request.codeChallenge().equals(s256(codeVerifier))) {
            return new Exchange.ProviderError("invalid_grant", "PKCE verification failed");
        }
        if (!request.nonce().equals(expectedNonce)) {
            return new Exchange.Rejected("nonce mismatch");
        }
        return next == null ? new Exchange.Unavailable("nothing scripted") : next;
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
