package dev.dnsdig.adapters.rest.todo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.rest.auth.AuthenticationFeature;
import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.support.BodyLimit;
import dev.dnsdig.adapters.rest.support.Pages;
import dev.dnsdig.adapters.rest.todo.TodoJson.TodoBody;
import dev.dnsdig.adapters.rest.todo.TodoJson.TodoPage;
import dev.dnsdig.application.port.in.ManageTodos;
import dev.dnsdig.application.port.in.ManageTodos.Change;
import dev.dnsdig.application.port.in.ManageTodos.Created;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.application.port.out.TodoRepository.Cursor;
import dev.dnsdig.domain.IdempotencyKey;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.todo.Todo;
import dev.dnsdig.domain.todo.TodoChange;
import dev.dnsdig.domain.todo.TodoContent;
import dev.dnsdig.domain.todo.TodoId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /v1/todos}: the caller's own todos. Another user's todo answers exactly like one that does not exist.
 * Writes need {@code write:todos}, reads {@code read:todos}; bodies are capped at 64 KiB.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/todos")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(TodoResource.MAX_BODY)
public class TodoResource {
    static final int MAX_BODY = 64 * 1024;
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final ManageTodos todos;

    @Inject
    public TodoResource(ManageTodos todos) {
        this.todos = todos;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Secured(Permission.WRITE_TODOS)
    public Response create(@Context ContainerRequestContext request, @HeaderParam(IDEMPOTENCY_KEY) String keyText,
                           JsonNode body, @Context UriInfo uri) {
        Optional<IdempotencyKey> key = Optional.ofNullable(keyText).map(TodoResource::key);
        Created created = todos.create(caller(request), TodoJson.content(body), key);
        return switch (created) {
            case Created.New fresh -> createdResponse(fresh.todo(), uri).build();
            case Created.Replayed replayed -> createdResponse(replayed.todo(), uri).header("Idempotent-Replayed", "true").build();
            case Created.KeyReused reused -> throw new ProblemException(Problem.of("idempotency-key-reused",
                    "Idempotency key reused", 422, "This Idempotency-Key was used for a request with a different body; "
                            + "use a new key for a new todo.").with("header", IDEMPOTENCY_KEY));
        };
    }

    @GET
    @Secured(Permission.READ_TODOS)
    public Response list(@Context ContainerRequestContext request, @QueryParam("limit") @DefaultValue("20") String limitText,
                         @QueryParam("cursor") String cursorText, @QueryParam("completed") String completed,
                         @Context UriInfo uri) {
        int limit = Pages.limit(limitText, ManageTodos.MAX_PAGE);
        Optional<Cursor> after = Pages.cursor(cursorText, TodoResource::isCursor).map(TodoResource::cursor);
        Page<Todo> page = todos.list(caller(request), Pages.bool("completed", completed), after, limit);
        String next = page.more() ? Pages.next(uri, position(Cursor.after(page.items().get(page.items().size() - 1)))) : null;
        Response.ResponseBuilder response = Response.ok(new TodoPage(page.items().stream().map(TodoBody::of).toList(), next));
        if (next != null) {
            response.link(URI.create(next), "next");
        }
        return response.build();
    }

    @GET
    @Path("{id}")
    @Secured(Permission.READ_TODOS)
    public Response get(@Context ContainerRequestContext request, @PathParam("id") String id,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Todo todo = todos.get(caller(request), todoId(id)).orElseThrow(() -> notFound(id));
        if (ETags.noneMatchHits(ifNoneMatch, todo)) {
            return Response.notModified(ETags.of(todo)).build();
        }
        return ok(todo);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Secured(Permission.WRITE_TODOS)
    public Response replace(@Context ContainerRequestContext request, @PathParam("id") String id,
                            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, JsonNode body) {
        TodoId todoId = todoId(id);
        TodoContent content = TodoJson.content(body);
        return changed(id, attempt(() -> todos.replace(caller(request), todoId, content, ETags.ifMatch(ifMatch))));
    }

    @PATCH
    @Path("{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    @Secured(Permission.WRITE_TODOS)
    public Response patch(@Context ContainerRequestContext request, @PathParam("id") String id,
                          @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, JsonNode body) {
        TodoId todoId = todoId(id);
        TodoChange change = TodoJson.change(body);
        return changed(id, attempt(() -> todos.patch(caller(request), todoId, change, ETags.ifMatch(ifMatch))));
    }

    @DELETE
    @Path("{id}")
    @Secured(Permission.WRITE_TODOS)
    public Response delete(@Context ContainerRequestContext request, @PathParam("id") String id,
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        TodoId todoId = todoId(id);
        Change result = attempt(() -> todos.delete(caller(request), todoId, ETags.ifMatch(ifMatch)));
        return switch (result) {
            case Change.Changed deleted -> Response.noContent().build();
            case Change.NotFound notFound -> throw notFound(id);
            case Change.Stale stale -> throw stale(stale.current());
        };
    }

    /** A todo others keep changing is a 409 to retry, not a failure of the server. */
    private static Change attempt(Supplier<Change> change) {
        try {
            return change.get();
        } catch (ManageTodos.TooManyConflicts e) {
            throw new ProblemException(Problem.of("edit-conflict", "Edit conflict", 409,
                    "The todo was changed by other requests on every attempt; nothing was changed. Retry.")
                    .header("Retry-After", "1"));
        }
    }

    private static Response.ResponseBuilder createdResponse(Todo todo, UriInfo uri) {
        return Response.created(uri.getBaseUriBuilder().path("v1/todos").path(todo.id().value()).build())
                .tag(ETags.of(todo)).entity(TodoBody.of(todo));
    }

    private static Response ok(Todo todo) {
        return Response.ok(TodoBody.of(todo)).tag(ETags.of(todo)).build();
    }

    private static Response changed(String id, Change result) {
        return switch (result) {
            case Change.Changed changed -> ok(changed.todo());
            case Change.NotFound notFound -> throw notFound(id);
            case Change.Stale stale -> throw stale(stale.current());
        };
    }

    private static ProblemException stale(Todo current) {
        return new ProblemException(Problem.of("precondition-failed", "Precondition failed", 412,
                "The todo has changed since the ETag in If-Match was read; nothing was changed. GET it again and retry.")
                .header(HttpHeaders.ETAG, ETags.of(current).toString()));
    }

    /** Not an id, not there, or someone else's: all the same to the caller. */
    private static ProblemException notFound(String id) {
        return new ProblemException(Problem.of("todo-not-found", "Todo not found", 404, "There is no todo " + id + "."));
    }

    private static TodoId todoId(String id) {
        if (!TodoId.isValid(id)) {
            throw notFound(id);
        }
        return new TodoId(id);
    }

    private static IdempotencyKey key(String text) {
        try {
            return new IdempotencyKey(text);
        } catch (InvalidValueException e) {
            throw Pages.invalidHeader(IDEMPOTENCY_KEY, e.getMessage());
        }
    }

    /** A cursor is the last todo handed out: its creation time (ms) and id. */
    private static String position(Cursor cursor) {
        return cursor.createdAt().toEpochMilli() + "~" + cursor.id().value();
    }

    private static boolean isCursor(String position) {
        int tilde = position.indexOf('~');
        return tilde > 0 && position.substring(0, tilde).chars().allMatch(Character::isDigit) && tilde <= 15
                && TodoId.isValid(position.substring(tilde + 1));
    }

    private static Cursor cursor(String position) {
        int tilde = position.indexOf('~');
        return new Cursor(Instant.ofEpochMilli(Long.parseLong(position.substring(0, tilde))),
                new TodoId(position.substring(tilde + 1)));
    }

    private static UserId caller(ContainerRequestContext request) {
        return AuthenticationFeature.principal(request).userId();
    }
}
