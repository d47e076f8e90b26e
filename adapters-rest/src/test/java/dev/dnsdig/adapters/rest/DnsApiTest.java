package dev.dnsdig.adapters.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.domain.dns.ProviderResult.Failure;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of {@code /dns-query} (RFC 8484) and the Google-compatible {@code /resolve}, over a scripted message
 * exchange whose messages are text: every refusal and status. Real DNS messages against Knot: bootstrap's DnsOverHttpTest.
 */
class DnsApiTest {
    @AutoClose
    private final TestApi api = TestApi.withScriptedDns();

    private static String dns(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        if (type != null) {
            assertEquals("urn:dnsdig:problem:" + type, TestApi.json(response).get("type").asText(), response.body());
        }
    }

    @Test
    void getAndPostAnswerWithTheMessageOfTheFirstProvider() throws Exception {
        HttpResponse<String> get = api.send("GET", "/dns-query?dns=" + dns("Q www.example. 1"), null,
                "Accept", "application/dns-message");
        assertEquals(200, get.statusCode(), get.body());
        assertEquals("application/dns-message", get.headers().firstValue("Content-Type").orElse(""));
        assertEquals("A scripted www.example. 1", get.body());
        // NOERROR without records and without SOA: nothing says how long it holds, so nobody keeps it
        assertEquals("no-store", get.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> padded = api.send("GET", "/dns-query?dns=" + dns("Q www.example. 28") + "%3D", null);
        assertEquals("A scripted www.example. 28", padded.body(), "padding is forgiven");
        HttpResponse<String> post = api.send("POST", "/dns-query", "Q www.example. 16",
                "Content-Type", "application/dns-message", "Accept", "application/dns-message");
        assertEquals(200, post.statusCode(), post.body());
        assertEquals("A scripted www.example. 16", post.body());
        assertEquals(List.of("scripted [127.0.0.1]", "scripted [127.0.0.1]", "scripted [127.0.0.1]"),
                api.messages.asked());
    }

    @Test
    void everyBadRequestIsAProblemAndReachesNoProvider() throws Exception {
        assertProblem(api.send("GET", "/dns-query", null), 400, "invalid-parameter");
        assertProblem(api.send("GET", "/dns-query?dns=", null), 400, "invalid-parameter");
        assertProblem(api.send("GET", "/dns-query?dns=not*base64", null), 400, "invalid-parameter");
        assertProblem(api.send("GET", "/dns-query?dns=" + dns("garbage"), null), 400, "malformed-dns-message");
        assertProblem(api.send("POST", "/dns-query", "", "Content-Type", "application/dns-message"), 400,
                "malformed-dns-message");
        assertProblem(api.send("POST", "/dns-query", "Q www.example. 1", "Content-Type", "application/json"), 415, null);
        assertProblem(api.send("POST", "/dns-query", "x".repeat(65_536), "Content-Type", "application/dns-message"),
                413, "body-too-large");
        assertProblem(api.send("GET", "/dns-query?dns=" + dns("Q www.example. 1"), null, "Accept", "text/html"), 406, null);
        assertEquals(List.of(), api.messages.asked());
    }

    @Test
    void whenNoProviderAnswersTheClientGetsAServerFailureNotAnHttpError() throws Exception {
        api.messages.fail("scripted", Failure.TIMEOUT);
        HttpResponse<String> doh = api.send("GET", "/dns-query?dns=" + dns("Q www.example. 1"), null);
        assertEquals(200, doh.statusCode());
        assertEquals("SERVFAIL www.example.", doh.body());
        assertEquals("no-store", doh.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> json = api.send("GET", "/resolve?name=www.example", null);
        assertEquals(200, json.statusCode());
        JsonNode body = TestApi.json(json);
        assertEquals(2, body.get("Status").asInt());
        assertEquals("No provider answered: scripted: scripted TIMEOUT", body.get("Comment").asText());
        assertEquals("www.example.", body.get("Question").get(0).get("name").asText());
        assertTrue(body.get("Answer") == null, "an empty section is left out, as Google does: " + body);
    }

    @Test
    void theJsonApiTakesGooglesParameters() throws Exception {
        HttpResponse<String> plain = api.send("GET", "/resolve?name=b%C3%BCcher.example&type=aaaa&cd=1&do=true"
                + "&edns_client_subnet=2001:db8::1/56&random_padding=xyz", null);
        assertEquals(200, plain.statusCode(), plain.body());
        assertEquals("application/json", plain.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = TestApi.json(plain);
        assertEquals(0, body.get("Status").asInt());
        assertEquals("xn--bcher-kva.example.", body.get("Question").get(0).get("name").asText());
        assertEquals(28, body.get("Question").get(0).get("type").asInt());
        assertEquals("2001:db8::1/0", body.get("edns_client_subnet").asText());
        assertEquals("Response from 127.0.0.1.", body.get("Comment").asText());
        assertTrue(body.get("Additional").isArray());
        for (String type : new String[] {"65", "TYPE65", "https", "rrsig"}) {
            assertEquals(200, api.send("GET", "/resolve?name=example.com&type=" + type, null).statusCode(), type);
        }
        HttpResponse<String> wire = api.send("GET", "/resolve?name=example.com&ct=application/dns-message", null);
        assertEquals("application/dns-message", wire.headers().firstValue("Content-Type").orElse(""));
        assertEquals("A scripted example.com. 1", wire.body());
    }

    @Test
    void badJsonApiParametersAre400() throws Exception {
        assertProblem(api.send("GET", "/resolve", null), 400, "invalid-parameter");
        assertProblem(api.send("GET", "/resolve?name=bad..name", null), 400, "invalid-name");
        assertProblem(api.send("GET", "/resolve?name=example.com&type=BOGUS", null), 400, "invalid-type");
        assertProblem(api.send("GET", "/resolve?name=example.com&type=0", null), 400, "invalid-type");
        assertProblem(api.send("GET", "/resolve?name=example.com&type=65536", null), 400, "invalid-type");
        assertProblem(api.send("GET", "/resolve?name=example.com&cd=yes", null), 400, "invalid-parameter");
        assertProblem(api.send("GET", "/resolve?name=example.com&do=2", null), 400, "invalid-parameter");
        assertProblem(api.send("GET", "/resolve?name=example.com&edns_client_subnet=300.1.1.1/8", null), 400,
                "invalid-parameter");
        assertProblem(api.send("GET", "/resolve?name=example.com&edns_client_subnet=192.0.2.1/33", null), 400,
                "invalid-parameter");
        assertProblem(api.send("GET", "/resolve?name=example.com&ct=text/html", null), 400, "invalid-parameter");
        assertEquals(List.of(), api.messages.asked());
    }
}
