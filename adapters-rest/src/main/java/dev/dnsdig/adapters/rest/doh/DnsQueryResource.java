package dev.dnsdig.adapters.rest.doh;

import static dev.dnsdig.adapters.rest.doh.DohProtocol.DNS_MESSAGE;

import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import dev.dnsdig.adapters.rest.support.BodyLimit;
import dev.dnsdig.application.port.in.AnswerDnsMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * RFC 8484 DNS-over-HTTPS on the API's listeners: {@code GET /dns-query?dns=<base64url>} and {@code POST /dns-query}
 * with an {@code application/dns-message} body; the answer is the DNS message of the first provider that answers.
 * Anonymous, under the anonymous rate limit, like the public DoH services it stands in for. The dedicated listener
 * ({@link DohListener}) serves the same with far less per request.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path(DohProtocol.PATH)
@RateLimited
public class DnsQueryResource {
    private final AnswerDnsMessage answers;

    @Inject
    public DnsQueryResource(AnswerDnsMessage answers) {
        this.answers = answers;
    }

    @GET
    @Produces(DNS_MESSAGE)
    public Response get(@QueryParam("dns") String dns) {
        return answer(DohProtocol.decode(dns));
    }

    @POST
    @Consumes(DNS_MESSAGE)
    @Produces(DNS_MESSAGE)
    @BodyLimit(DohProtocol.MAX_MESSAGE)
    public Response post(byte[] message) {
        return answer(message == null ? new byte[0] : message);
    }

    private Response answer(byte[] message) {
        DohProtocol.Reply reply = DohProtocol.reply(answers.answer(message));
        return Response.ok(reply.message(), DNS_MESSAGE).header(HttpHeaders.CACHE_CONTROL, reply.cacheControl()).build();
    }
}
