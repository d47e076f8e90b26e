package dev.dnsdig.adapters.rest.client;

import dev.dnsdig.adapters.rest.auth.AuthenticationFeature;
import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.adapters.rest.client.ApplicationJson.ApplicationBody;
import dev.dnsdig.adapters.rest.client.ApplicationJson.ApplicationList;
import dev.dnsdig.adapters.rest.client.ApplicationJson.CreateRequest;
import dev.dnsdig.adapters.rest.client.ApplicationJson.CreatedBody;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.FieldError;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.ValidationProblem;
import dev.dnsdig.application.port.in.Authenticate.Principal;
import dev.dnsdig.application.port.in.ManageApplications;
import dev.dnsdig.application.port.in.ManageApplications.Created;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/me/applications}: the caller's machine clients. Listing needs {@code read:application}; creating and
 * deleting need {@code write:application}. An application gets at most what the caller holds right now (with a
 * client's own token, at most that client's permissions), so no token can mint a stronger one.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/me/applications")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationResource {
    private static final CacheControl NO_STORE = CacheControl.valueOf("no-store");

    private final ManageApplications applications;

    @Inject
    public ApplicationResource(ManageApplications applications) {
        this.applications = applications;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Secured(Permission.WRITE_APPLICATION)
    public Response create(@NotNull @Valid CreateRequest body, @Context ContainerRequestContext request,
                           @Context UriInfo uri) {
        Principal caller = AuthenticationFeature.principal(request);
        Set<Permission> permissions = permissions(body.permissions());
        Set<Permission> notHeld = EnumSet.noneOf(Permission.class);
        notHeld.addAll(permissions);
        notHeld.removeAll(caller.permissions());
        if (!notHeld.isEmpty()) {
            throw notHeld(notHeld);
        }
        Created created;
        try {
            created = applications.create(caller.userId(), body.name(), permissions);
        } catch (InvalidValueException e) {
            throw new ProblemException(ValidationProblem.of(List.of(new FieldError(e.field(), e.getMessage()))));
        }
        return switch (created) {
            case Created.WithSecret withSecret -> Response.created(uri.getBaseUriBuilder().path("v1/me/applications")
                            .path(withSecret.application().clientId().value()).build())
                    .entity(CreatedBody.of(withSecret.application(), withSecret.clientSecret()))
                    .cacheControl(NO_STORE).header("Pragma", "no-cache").build();
            case Created.NotHeld held -> throw notHeld(held.permissions());
            case Created.OwnerNotFound gone -> throw new ProblemException(
                    Problem.of("user-not-found", "User not found", 404, "Your account no longer exists."));
        };
    }

    @GET
    @Secured(Permission.READ_APPLICATION)
    public ApplicationList list(@Context ContainerRequestContext request) {
        return new ApplicationList(applications.list(caller(request)).stream().map(ApplicationBody::of).toList());
    }

    @GET
    @Path("{id}")
    @Secured(Permission.READ_APPLICATION)
    public ApplicationBody get(@PathParam("id") String id, @Context ContainerRequestContext request) {
        ClientId clientId = clientId(id);
        return applications.list(caller(request)).stream().filter(a -> a.clientId().equals(clientId))
                .findFirst().map(ApplicationBody::of).orElseThrow(ApplicationResource::notFound);
    }

    @DELETE
    @Path("{id}")
    @Secured(Permission.WRITE_APPLICATION)
    public Response delete(@PathParam("id") String id, @Context ContainerRequestContext request) {
        if (!applications.delete(caller(request), clientId(id))) {
            throw notFound();
        }
        return Response.noContent().build();
    }

    private static UserId caller(ContainerRequestContext request) {
        return AuthenticationFeature.principal(request).userId();
    }

    /** Every scope parsed, or one 422 listing each unknown one by its position. */
    private static Set<Permission> permissions(List<String> scopes) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            if (scope == null) {
                errors.add(new FieldError("permissions[" + i + "]", "must be a permission, not null"));
                continue;
            }
            try {
                permissions.add(Permission.parse(scope));
            } catch (InvalidValueException e) {
                errors.add(new FieldError("permissions[" + i + "]", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ValidationProblem.of(errors));
        }
        return permissions;
    }

    private static ProblemException notHeld(Set<Permission> permissions) {
        List<String> scopes = permissions.stream().sorted().map(Permission::scope).toList();
        List<FieldError> errors = scopes.stream()
                .map(scope -> new FieldError("permissions", "you do not hold " + scope)).toList();
        return new ProblemException(Problem.of("validation", "Invalid request", 422,
                "permissions: you do not hold " + String.join(", ", scopes) + "; an application gets at most what you have.")
                .with("errors", errors).with("notHeld", scopes));
    }

    /** An id that cannot be a client id names no application: 404, exactly as for an unknown one. */
    private static ClientId clientId(String id) {
        if (!ClientId.isValid(id)) {
            throw notFound();
        }
        return new ClientId(id);
    }

    private static ProblemException notFound() {
        return new ProblemException(Problem.of("application-not-found", "Application not found", 404,
                "You have no such application."));
    }
}
