package dev.dnsdig.adapters.rest.google;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dnsdig.adapters.rest.doh.DohProtocol;
import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import dev.dnsdig.adapters.rest.support.Pages;
import dev.dnsdig.application.port.in.AnswerDnsMessage;
import dev.dnsdig.application.port.in.AnswerDnsMessage.Answer;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.IpAddresses;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.ResourceRecord;
import dev.dnsdig.domain.dns.Validation;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;

/**
 * The JSON API of Google Public DNS ({@code https://dns.google/resolve}), same parameters, field names and data
 * formats, so its clients work unchanged: one answer from the first provider that gives one. {@code ct=} with
 * {@code application/dns-message} gives the wire format instead. Anonymous, under the anonymous rate limit.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/resolve")
@RateLimited
public class GoogleJsonResource {
    private final AnswerDnsMessage answers;

    @Inject
    public GoogleJsonResource(AnswerDnsMessage answers) {
        this.answers = answers;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, DohProtocol.DNS_MESSAGE})
    public Response resolve(@QueryParam("name") String name, @QueryParam("type") String type,
                            @QueryParam("cd") String cd, @QueryParam("do") String dnssecOk, @QueryParam("ct") String ct,
                            @QueryParam("edns_client_subnet") String clientSubnet,
                            @QueryParam("random_padding") String padding) {
        if (name == null || name.isEmpty()) {
            throw Pages.invalidParameter("name", "name is required: the domain name to look up");
        }
        DomainName domain = DomainName.of(name); // 400 naming the broken rule
        int code = type(type);
        boolean checkingDisabled = flag("cd", cd);
        boolean dnssec = flag("do", dnssecOk);
        String subnet = clientSubnet(clientSubnet);
        boolean wire = ct != null && ct.equalsIgnoreCase(DohProtocol.DNS_MESSAGE);
        if (ct != null && !ct.isEmpty() && !wire && !ct.equalsIgnoreCase("application/x-javascript")
                && !ct.equalsIgnoreCase("application/dns-json") && !ct.equalsIgnoreCase(MediaType.APPLICATION_JSON)) {
            throw Pages.invalidParameter("ct", "ct must be application/dns-message, application/x-javascript or "
                    + "application/dns-json");
        }
        Answer answer = answers.answer(domain, code, checkingDisabled, dnssec);
        return switch (answer) {
            case Answer.Malformed malformed -> throw new IllegalStateException("our own query: " + malformed.reason());
            case Answer.Answered answered -> wire
                    ? Response.ok(answered.message(), DohProtocol.DNS_MESSAGE)
                            .header(HttpHeaders.CACHE_CONTROL, DohProtocol.cacheControl(answered.response().freshFor())).build()
                    : Response.ok(GoogleJson.of(domain, code, answered.response(), answered.validation(), subnet),
                            MediaType.APPLICATION_JSON)
                            .header(HttpHeaders.CACHE_CONTROL, DohProtocol.cacheControl(answered.response().freshFor())).build();
            case Answer.Unanswered unanswered -> wire
                    ? Response.ok(unanswered.message(), DohProtocol.DNS_MESSAGE).header(HttpHeaders.CACHE_CONTROL, "no-store").build()
                    : Response.ok(GoogleJson.serverFailure(domain, code, checkingDisabled, unanswered.reason(), subnet),
                            MediaType.APPLICATION_JSON).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        };
    }

    /** A mnemonic in any case or a number 1-65535, as Google takes them; 1 (A) when absent. */
    static int type(String type) {
        if (type == null || type.isEmpty()) {
            return 1;
        }
        String text = type.trim();
        if (!text.isEmpty() && text.length() <= 5 && text.chars().allMatch(Character::isDigit)) {
            int code = Integer.parseInt(text);
            if (code >= 1 && code <= 65_535) {
                return code;
            }
        } else {
            int code = RecordType.codeOf(text);
            if (code > 0) {
                return code;
            }
        }
        throw new InvalidValueException("type", "unknown record type '" + type
                + "': give a type mnemonic such as AAAA or a number from 1 to 65535");
    }

    /** Google's booleans: 1/true or 0/false (any case), absent or empty is false. */
    static boolean flag(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw Pages.invalidParameter(parameter, parameter + " must be 1, true, 0 or false");
        };
    }

    /**
     * Checked like Google checks it, but never sent upstream: telling the upstream resolver where the client is gives
     * away the client's network for a CDN's benefit. The echo's scope /0 says the answer does not depend on it.
     */
    static String clientSubnet(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String[] parts = value.split("/", 2);
        try {
            byte[] address = IpAddresses.parse(parts[0]);
            if (parts.length == 2 && (!parts[1].matches("\\d{1,3}") || Integer.parseInt(parts[1]) > address.length * 8)) {
                throw new InvalidValueException("address", "prefix length out of range");
            }
            return IpAddresses.canonical(address) + "/0";
        } catch (InvalidValueException e) {
            throw Pages.invalidParameter("edns_client_subnet", "edns_client_subnet must be an IP address with an "
                    + "optional prefix length, such as 192.0.2.0/24");
        }
    }

    /** The JSON shape of Google's API, member names and order as Google writes them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GoogleJson(@JsonProperty("Status") int status, @JsonProperty("TC") boolean tc, @JsonProperty("RD") boolean rd,
                      @JsonProperty("RA") boolean ra, @JsonProperty("AD") boolean ad, @JsonProperty("CD") boolean cd,
                      @JsonProperty("Question") List<Question> question, @JsonProperty("Answer") List<Record> answer,
                      @JsonProperty("Authority") List<Record> authority,
                      @JsonProperty("Additional") List<Record> additional,
                      @JsonProperty("edns_client_subnet") String ednsClientSubnet,
                      @JsonProperty("Comment") String comment) {

        record Question(String name, int type) {
        }

        record Record(String name, int type, @JsonProperty("TTL") long ttl, String data) {
            /** Google writes a TXT record as its strings joined, without the quotes of the presentation format. */
            static Record of(ResourceRecord record) {
                String data = record.typed() instanceof RecordData.Txt txt ? txt.text() : record.data();
                return new Record(record.name(), RecordType.codeOf(record.type()), record.ttl(), data);
            }
        }

        static GoogleJson of(DomainName name, int type, DnsResponse response, Validation validation, String subnet) {
            String from = "Response from " + response.server().address() + ".";
            // Google says why in Comment too ("DNSSEC validation failure. Please check ..."): here, the validator's reason
            String comment = validation.bogus() ? "DNSSEC validation failed: " + validation.reason() + " (" + from + ")" : from;
            return new GoogleJson(response.status().code(), response.flags().truncated(),
                    response.flags().recursionDesired(), response.flags().recursionAvailable(),
                    response.flags().authenticData(), response.flags().checkingDisabled(),
                    List.of(new Question(name.fqdn(), type)), records(response.answers()), records(response.authority()),
                    List.of(), subnet, comment);
        }

        static GoogleJson serverFailure(DomainName name, int type, boolean cd, String reason, String subnet) {
            return new GoogleJson(2, false, true, true, false, cd, List.of(new Question(name.fqdn(), type)), null, null,
                    List.of(), subnet, "No provider answered: " + reason);
        }

        /** Google leaves out an empty section. */
        private static List<Record> records(List<ResourceRecord> records) {
            return records.isEmpty() ? null : records.stream().map(Record::of).toList();
        }
    }
}
