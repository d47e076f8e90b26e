package dev.dnsdig.adapters.rest.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.rest.account.AccountJson.UserBody;
import dev.dnsdig.adapters.rest.auth.AuthenticationFeature;
import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.application.port.in.ManageOwnAccount;
import dev.dnsdig.domain.user.UserId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /v1/me}: the caller's own account. */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Secured
public class MeResource {
    private final ManageOwnAccount account;

    @Inject
    public MeResource(ManageOwnAccount account) {
        this.account = account;
    }

    @GET
    public UserBody me(@Context ContainerRequestContext request) {
        return account.me(caller(request)).map(UserBody::of).orElseThrow(UserResource::notFound);
    }

    @PATCH
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public UserBody update(@Context ContainerRequestContext request, JsonNode body) {
        return UserResource.changed(account.updateProfile(caller(request), ProfilePatch.parse(body)));
    }

    @DELETE
    public Response delete(@Context ContainerRequestContext request) {
        account.deleteAccount(caller(request));
        return Response.noContent().build();
    }

    private static UserId caller(ContainerRequestContext request) {
        return AuthenticationFeature.principal(request).userId();
    }
}
