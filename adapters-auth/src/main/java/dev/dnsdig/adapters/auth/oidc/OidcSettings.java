package dev.dnsdig.adapters.auth.oidc;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach one OpenID Connect provider and who we are there. The issuer and every endpoint must be
 * {@code https}, except on a loopback host ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) for tests and
 * development.
 *
 * @param issuer the provider's issuer identifier, exactly as its discovery document and tokens spell it
 * @param clientId our client id at the provider; an id_token must name it in {@code aud}
 * @param clientSecret our client secret (client_secret_basic, or client_secret_post if the provider allows only that)
 * @param redirectUri where the provider sends the browser back with the code
 * @param scopes space-separated; must include {@code openid}
 * @param audience the API audience of access tokens the provider issues for us; empty: its access tokens are not
 *                 accepted as bearer tokens here (only the login flow is used)
 * @param name the provider's name in paths and in stored identities
 */
public record OidcSettings(String issuer, String clientId, String clientSecret, URI redirectUri, String scopes,
                           Optional<String> audience, String name) {
    public static final String DEFAULT_SCOPES = "openid profile email offline_access";
    public static final String DEFAULT_NAME = "oidc";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    // RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    public OidcSettings {
        Objects.requireNonNull(audience, "audience");
        requireEndpoint("issuer", issuer);
        if (issuer.contains("?") || issuer.contains("#")) {
            throw new IllegalArgumentException("issuer must not have a query or fragment");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        if (clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalArgumentException("clientSecret must not be blank");
        }
        if (redirectUri == null || !redirectUri.isAbsolute() || redirectUri.getHost() == null
                || redirectUri.getFragment() != null) {
            throw new IllegalArgumentException("redirectUri must be an absolute URL without fragment");
        }
        if (scopes == null || scopes.isBlank()) {
            throw new IllegalArgumentException("scopes must not be blank");
        }
        scopes = String.join(" ", scopes.strip().split(" +"));
        if (!Arrays.stream(scopes.split(" ")).allMatch(s -> SCOPE_TOKEN.matcher(s).matches())) {
            throw new IllegalArgumentException("scopes must be space-separated scope tokens");
        }
        if (Arrays.stream(scopes.split(" ")).noneMatch("openid"::equals)) {
            throw new IllegalArgumentException("scopes must include openid");
        }
        if (audience.isPresent() && audience.get().isBlank()) {
            throw new IllegalArgumentException("audience must not be blank when given");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-32 lower-case letters, digits or '-'");
        }
    }

    /** With the default scopes and name, and no API audience. */
    public OidcSettings(String issuer, String clientId, String clientSecret, URI redirectUri) {
        this(issuer, clientId, clientSecret, redirectUri, DEFAULT_SCOPES, Optional.empty(), DEFAULT_NAME);
    }

    /** The same settings accepting the provider's access tokens for {@code audience}. */
    public OidcSettings withAudience(String audience) {
        return new OidcSettings(issuer, clientId, clientSecret, redirectUri, scopes, Optional.of(audience), name);
    }

    /** The same settings under another name. */
    public OidcSettings withName(String name) {
        return new OidcSettings(issuer, clientId, clientSecret, redirectUri, scopes, this.audience, name);
    }

    /** The same settings asking for other scopes. */
    public OidcSettings withScopes(String scopes) {
        return new OidcSettings(issuer, clientId, clientSecret, redirectUri, scopes, audience, name);
    }

    /** Where discovery lives: the issuer with any trailing slash removed, plus the well-known path (OIDC Discovery 4). */
    URI discoveryUri() {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    @Override
    public String toString() {
        // never the secret, in logs or error messages
        return "OidcSettings[name=" + name + ", issuer=" + issuer + ", clientId=" + clientId + ", redirectUri="
                + redirectUri + ", scopes=" + scopes + ", audience=" + audience + "]";
    }

    /**
     * @throws IllegalArgumentException unless {@code value} is an absolute https URL, or http on a loopback host
     */
    static URI requireEndpoint(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URL");
        }
        if (!secureOrLoopback(uri)) {
            throw new IllegalArgumentException(what + " must be an https URL (http only on a loopback host)");
        }
        return uri;
    }

    static boolean secureOrLoopback(URI uri) {
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        return scheme.equals("https") || (scheme.equals("http") && loopback);
    }
}
