package dev.dnsdig.adapters.rest.history;

import dev.dnsdig.adapters.rest.auth.AuthenticationFeature;
import dev.dnsdig.adapters.rest.auth.Secured;
import dev.dnsdig.adapters.rest.history.LookupJson.LookupBody;
import dev.dnsdig.adapters.rest.history.LookupJson.LookupPage;
import dev.dnsdig.adapters.rest.support.Pages;
import dev.dnsdig.application.port.in.ListLookups;
import dev.dnsdig.application.port.out.Page;
import dev.dnsdig.domain.history.Lookup;
import dev.dnsdig.domain.history.LookupId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;

/** {@code /v1/me/lookups}: the caller's own recorded lookups, newest first, a page at a time. */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/me/lookups")
@Produces(MediaType.APPLICATION_JSON)
public class LookupHistoryResource {
    private final ListLookups lookups;

    @Inject
    public LookupHistoryResource(ListLookups lookups) {
        this.lookups = lookups;
    }

    @GET
    @Secured
    public Response list(@Context ContainerRequestContext request, @QueryParam("limit") @DefaultValue("20") String limitText,
                         @QueryParam("cursor") String cursorText, @Context UriInfo uri) {
        int limit = Pages.limit(limitText, ListLookups.MAX_PAGE);
        // a cursor is the id of the last lookup handed out
        Optional<LookupId> after = Pages.cursor(cursorText, LookupId::isValid).map(LookupId::new);
        Page<Lookup> page = lookups.list(AuthenticationFeature.principal(request).userId(), after, limit);
        String next = page.more() ? Pages.next(uri, page.items().getLast().id().value()) : null;
        Response.ResponseBuilder response = Response.ok(new LookupPage(page.items().stream().map(LookupBody::of).toList(), next));
        if (next != null) {
            response.link(URI.create(next), "next");
        }
        return response.build();
    }
}
