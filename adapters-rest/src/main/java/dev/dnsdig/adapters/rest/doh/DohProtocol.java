package dev.dnsdig.adapters.rest.doh;

import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.support.Pages;
import dev.dnsdig.application.port.in.AnswerDnsMessage.Answer;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * RFC 8484's rules, the same on both listeners that serve {@code /dns-query}: the API's (Jersey) and the dedicated
 * DNS-over-HTTPS one ({@link DohListener}).
 */
public final class DohProtocol {
    public static final String DNS_MESSAGE = "application/dns-message";
    public static final String PATH = "/dns-query";
    /** The largest DNS message there is (a TCP message's two-octet length); RFC 8484 section 6. */
    public static final int MAX_MESSAGE = 65_535;

    private DohProtocol() {
    }

    /** The query of a GET: the {@code dns} parameter, base64url (RFC 8484 section 4.1); a 400 problem otherwise. */
    public static byte[] decode(String dns) {
        if (dns == null || dns.isEmpty()) {
            throw Pages.invalidParameter("dns", "dns must be the query as a DNS message in base64url (RFC 8484 section 4.1)");
        }
        try {
            // RFC 8484 says without padding; a padded one is forgiven
            return Base64.getUrlDecoder().decode(dns.endsWith("=") ? dns.replaceAll("=+$", "") : dns);
        } catch (IllegalArgumentException e) {
            throw Pages.invalidParameter("dns", "dns is not base64url: " + e.getMessage());
        }
    }

    /** What goes back: the answer's DNS message and its {@code Cache-Control}; a 400 problem for a malformed query. */
    public static Reply reply(Answer answer) {
        return switch (answer) {
            case Answer.Malformed malformed -> throw new ProblemException(Problem.of("malformed-dns-message",
                    "Malformed DNS message", 400, malformed.reason()));
            case Answer.Answered answered -> new Reply(answered.message(), cacheControl(answered.response().freshFor()));
            // a DNS answer still: the client's resolver library knows what SERVFAIL means, not our problem document
            case Answer.Unanswered unanswered -> new Reply(unanswered.message(), "no-store");
        };
    }

    /** A DNS message to send with status 200 and how long it may be kept. */
    public record Reply(byte[] message, String cacheControl) {
    }

    /**
     * RFC 8484 section 5.1: fresh no longer than the smallest TTL of the answer (for a negative answer, its RFC 2308
     * negative TTL); an answer that must not be kept (SERVFAIL, no SOA, TTL 0) is not stored at all.
     */
    public static String cacheControl(OptionalLong freshFor) {
        return freshFor.isPresent() && freshFor.getAsLong() > 0 ? "max-age=" + freshFor.getAsLong() : "no-store";
    }
}
