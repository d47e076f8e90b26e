package dev.dnsdig.adapters.rest.doh;

import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import dev.dnsdig.adapters.rest.support.BodyLimit;
import dev.dnsdig.adapters.rest.support.Pages;
import dev.dnsdig.application.port.in.AnswerDnsMessage;
import dev.dnsdig.application.port.in.AnswerDnsMessage.Answer;
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
import java.util.Base64;
import java.util.OptionalLong;

/**
 * RFC 8484 DNS-over-HTTPS: {@code GET /dns-query?dns=<base64url>} and {@code POST /dns-query} with an
 * {@code application/dns-message} body; the answer is the DNS message of the first provider that answers. Anonymous,
 * under the anonymous rate limit, like the public DoH services it stands in for.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/dns-query")
@RateLimited
public class DnsQueryResource {
    public static final String DNS_MESSAGE = "application/dns-message";
    /** The largest DNS message there is (a TCP message's two-octet length); RFC 8484 section 6. */
    static final int MAX_MESSAGE = 65_535;

    private final AnswerDnsMessage answers;

    @Inject
    public DnsQueryResource(AnswerDnsMessage answers) {
        this.answers = answers;
    }

    @GET
    @Produces(DNS_MESSAGE)
    public Response get(@QueryParam("dns") String dns) {
        if (dns == null || dns.isEmpty()) {
            throw Pages.invalidParameter("dns", "dns must be the query as a DNS message in base64url (RFC 8484 section 4.1)");
        }
        byte[] message;
        try {
            // RFC 8484 says without padding; a padded one is forgiven
            message = Base64.getUrlDecoder().decode(dns.endsWith("=") ? dns.replaceAll("=+$", "") : dns);
        } catch (IllegalArgumentException e) {
            throw Pages.invalidParameter("dns", "dns is not base64url: " + e.getMessage());
        }
        return answer(message);
    }

    @POST
    @Consumes(DNS_MESSAGE)
    @Produces(DNS_MESSAGE)
    @BodyLimit(MAX_MESSAGE)
    public Response post(byte[] message) {
        return answer(message == null ? new byte[0] : message);
    }

    private Response answer(byte[] message) {
        return switch (answers.answer(message)) {
            case Answer.Malformed malformed -> throw new ProblemException(Problem.of("malformed-dns-message",
                    "Malformed DNS message", 400, malformed.reason()));
            case Answer.Answered answered -> Response.ok(answered.message(), DNS_MESSAGE)
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl(answered.response().freshFor())).build();
            // a DNS answer still: the client's resolver library knows what SERVFAIL means, not our problem document
            case Answer.Unanswered unanswered -> Response.ok(unanswered.message(), DNS_MESSAGE)
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        };
    }

    /**
     * RFC 8484 section 5.1: fresh no longer than the smallest TTL of the answer (for a negative answer, its RFC 2308
     * negative TTL); an answer that must not be kept (SERVFAIL, no SOA, TTL 0) is not stored at all.
     */
    public static String cacheControl(OptionalLong freshFor) {
        return freshFor.isPresent() && freshFor.getAsLong() > 0 ? "max-age=" + freshFor.getAsLong() : "no-store";
    }
}
