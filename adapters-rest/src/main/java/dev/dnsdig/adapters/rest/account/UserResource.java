package dev.dnsdig.adapters.rest.account;

import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import dev.dnsdig.adapters.rest.account.AccountJson.SignUpRequest;
import dev.dnsdig.adapters.rest.account.AccountJson.UserBody;
import dev.dnsdig.adapters.rest.account.AccountJson.UserPage;
import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.support.Pages;
import dev.dnsdig.application.port.in.AdministerUsers;
import dev.dnsdig.application.port.in.ProfileResult;
import dev.dnsdig.application.port.in.SignUp;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.UserRepository.Uniqueness;
import dev.dnsdig.application.port.out.UserRepository.UserFilter;
import dev.dnsdig.domain.user.Email;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import dev.dnsdig.domain.user.UserId;
import dev.dnsdig.domain.user.Username;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.Optional;

/** {@code /v1/users}: sign-up for everyone; the rest for administrators ({@code admin:users}). */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {
    private final SignUp signUp;
    private final AdministerUsers admin;

    @Inject
    public UserResource(SignUp signUp, AdministerUsers admin) {
        this.signUp = signUp;
        this.admin = admin;
    }

    @POST
    @RateLimited(RateLimited.Kind.LOGIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signUp(@NotNull @Valid SignUpRequest body, @Context UriInfo uri) {
        SignUp.Command command = AccountJson.domain(() -> new SignUp.Command(new Email(body.email()),
                new Username(body.username()), body.password(), Optional.ofNullable(body.displayName())));
        return switch (signUp.signUp(command)) {
            case SignUp.Result.Created created -> Response.created(uri.getBaseUriBuilder().path("v1/users")
                    .path(created.user().id().value()).build()).entity(UserBody.of(created.user())).build();
            case SignUp.Result.Taken taken -> throw taken(taken.rule());
        };
    }

    @GET
    @Secured(Permission.ADMIN_USERS)
    public UserPage list(@QueryParam("limit") @DefaultValue("20") String limitText, @QueryParam("cursor") String cursor,
                         @QueryParam("email") String email, @QueryParam("blocked") String blocked, @Context UriInfo uri) {
        int limit = Pages.limit(limitText, AdministerUsers.MAX_PAGE);
        Optional<UserId> after = Pages.cursor(cursor, UserId::isValid).map(UserId::new);
        Optional<Boolean> blockedFilter = Pages.bool("blocked", blocked);
        Page<User> page = admin.list(new UserFilter(Optional.ofNullable(email).filter(e -> !e.isBlank()), blockedFilter),
                after, limit);
        String next = page.more() ? Pages.next(uri, page.items().get(page.items().size() - 1).id().value()) : null;
        return new UserPage(page.items().stream().map(UserBody::of).toList(), next);
    }

    @GET
    @Path("{id}")
    @Secured(Permission.ADMIN_USERS)
    public UserBody get(@PathParam("id") String id) {
        return admin.get(userId(id)).map(UserBody::of).orElseThrow(UserResource::notFound);
    }

    @PATCH
    @Path("{id}")
    @Secured(Permission.ADMIN_USERS)
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public UserBody update(@PathParam("id") String id, JsonNode body) {
        return changed(admin.update(userId(id), ProfilePatch.parse(body)));
    }

    @DELETE
    @Path("{id}")
    @Secured(Permission.ADMIN_USERS)
    public Response delete(@PathParam("id") String id) {
        if (!admin.delete(userId(id))) {
            throw notFound();
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}/block")
    @Secured(Permission.ADMIN_USERS)
    public UserBody block(@PathParam("id") String id) {
        return changed(admin.block(userId(id)));
    }

    @DELETE
    @Path("{id}/block")
    @Secured(Permission.ADMIN_USERS)
    public UserBody unblock(@PathParam("id") String id) {
        return changed(admin.unblock(userId(id)));
    }

    @PUT
    @Path("{id}/permissions/{permission}")
    @Secured(Permission.ADMIN_USERS)
    public UserBody grant(@PathParam("id") String id, @PathParam("permission") String permission) {
        return changed(admin.grant(userId(id), permission(permission)));
    }

    @DELETE
    @Path("{id}/permissions/{permission}")
    @Secured(Permission.ADMIN_USERS)
    public UserBody revoke(@PathParam("id") String id, @PathParam("permission") String permission) {
        return changed(admin.revoke(userId(id), permission(permission)));
    }

    static UserBody changed(ProfileResult result) {
        return switch (result) {
            case ProfileResult.Changed changed -> UserBody.of(changed.user());
            case ProfileResult.NotFound notFound -> throw notFound();
            case ProfileResult.Taken taken -> throw taken(taken.rule());
        };
    }

    /** An id that cannot be an id names no user: 404, exactly as for an unknown one. */
    static UserId userId(String id) {
        if (!UserId.isValid(id)) {
            throw notFound();
        }
        return new UserId(id);
    }

    private static Permission permission(String scope) {
        try {
            return Permission.parse(scope);
        } catch (dev.dnsdig.domain.InvalidValueException e) {
            throw new ProblemException(Problem.of("unknown-permission", "Unknown permission", 404, e.getMessage()));
        }
    }

    static ProblemException notFound() {
        return new ProblemException(Problem.of("user-not-found", "User not found", 404, "There is no such user."));
    }

    static ProblemException taken(Uniqueness rule) {
        String field = switch (rule) {
            case EMAIL -> "email";
            case USERNAME -> "username";
            case IDENTITY -> "identity";
        };
        return new ProblemException(Problem.of(field + "-taken", "Already taken", 409,
                "Another account already uses this " + field + ".").with("field", field));
    }
}
