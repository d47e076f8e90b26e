package dev.dnsdig.adapters.rest.openapi;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The OAuth 2 authorization-code flow that gets a person a bearer token this API accepts, offered in the OpenAPI
 * document (an {@code oauth2} security scheme) and by Swagger UI at {@code /docs}.
 *
 * @param authorizationUrl where the browser signs in
 * @param tokenUrl where the code is exchanged (by the browser, so it must allow cross-origin requests)
 * @param audience sent as the {@code audience} parameter of the authorization request, which providers such as
 *                 Auth0 and Kinde need to issue an access token for this API rather than for their own userinfo
 */
public record AuthorizationCodeFlow(URI authorizationUrl, URI tokenUrl, String audience) {
    /** The configuration property holding the server's {@link Source}; without one no flow is offered. */
    static final String PROPERTY = "dev.dnsdig.openapi.authorizationCodeFlow";

    public AuthorizationCodeFlow {
        Objects.requireNonNull(authorizationUrl, "authorizationUrl");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(audience, "audience");
    }

    /** The server's flow, asked for whenever the document or the page is: empty while there is none to offer. */
    @FunctionalInterface
    public interface Source {
        Optional<AuthorizationCodeFlow> current();
    }

    /** Offers the flow {@code source} gives in the API's document and at {@code /docs}. */
    public static ResourceConfig offer(ResourceConfig config, Source source) {
        return config.property(PROPERTY, source);
    }

    /** The flow the API's configuration offers now, if any. */
    static Optional<AuthorizationCodeFlow> of(jakarta.ws.rs.core.Configuration configuration) {
        return configuration.getProperty(PROPERTY) instanceof Source source ? source.current() : Optional.empty();
    }
}
