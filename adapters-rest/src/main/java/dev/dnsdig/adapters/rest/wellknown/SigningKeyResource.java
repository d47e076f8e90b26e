package dev.dnsdig.adapters.rest.wellknown;

import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.application.port.in.DescribeIssuer;
import dev.dnsdig.domain.user.Permission;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code POST /v1/admin/signing-keys/rotate}: administrators start signing with a new key. */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/admin/signing-keys")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyResource {
    private final DescribeIssuer issuer;

    @Inject
    public SigningKeyResource(DescribeIssuer issuer) {
        this.issuer = issuer;
    }

    @POST
    @Path("rotate")
    @Secured(Permission.ADMIN_USERS)
    public Map<String, String> rotate() {
        return Map.of("keyId", issuer.rotateSigningKey());
    }
}
