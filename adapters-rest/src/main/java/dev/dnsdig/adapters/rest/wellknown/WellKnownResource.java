package dev.dnsdig.adapters.rest.wellknown;

import dev.dnsdig.application.port.in.DescribeIssuer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /.well-known}: the keys that verify our tokens, and OpenID Connect discovery. */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/.well-known")
@Produces(MediaType.APPLICATION_JSON)
public class WellKnownResource {
    private static final CacheControl FIVE_MINUTES = CacheControl.valueOf("public, max-age=300");

    private final DescribeIssuer issuer;

    @Inject
    public WellKnownResource(DescribeIssuer issuer) {
        this.issuer = issuer;
    }

    @GET
    @Path("jwks.json")
    @Produces({"application/jwk-set+json", MediaType.APPLICATION_JSON})
    public Response jwks() {
        return Response.ok(issuer.jwks()).cacheControl(FIVE_MINUTES).build();
    }

    @GET
    @Path("openid-configuration")
    public Response discovery(@Context UriInfo uri) {
        String base = uri.getBaseUri().toString().replaceAll("/$", "");
        return Response.ok(issuer.discovery(base)).cacheControl(FIVE_MINUTES).build();
    }
}
