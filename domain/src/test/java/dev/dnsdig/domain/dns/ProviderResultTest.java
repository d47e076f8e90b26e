package dev.dnsdig.domain.dns;

import static dev.dnsdig.domain.dns.Fixtures.SERVER;
import static dev.dnsdig.domain.dns.Fixtures.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsdig.domain.dns.ProviderResult.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderResultTest {

    @Test
    void answeredTakesItsElapsedTimeFromTheResponse() {
        DnsResponse response = response(DnsStatus.NOERROR);
        ProviderResult result = new ProviderResult.Answered("cloudflare", response);
        assertEquals("cloudflare", result.provider());
        assertEquals(response.elapsed(), result.elapsed());
        assertEquals(Duration.ofMillis(12), result.elapsed());
        assertEquals(false, ((ProviderResult.Answered) result).cached(), "an answer is fresh from upstream unless said");
        assertEquals(true, new ProviderResult.Answered("cloudflare", response, true).cached());
    }

    @Test
    void failedKeepsTheServersTried() {
        List<UpstreamServer> tried = new ArrayList<>(List.of(SERVER));
        ProviderResult.Failed failed = new ProviderResult.Failed("google", Failure.UNREACHABLE, "port unreachable",
                tried, Duration.ofMillis(3));
        tried.clear();
        assertEquals(List.of(SERVER), failed.servers());
        assertEquals(Duration.ofMillis(3), failed.elapsed());
        assertEquals(Failure.UNREACHABLE, failed.failure());
        assertEquals("port unreachable", failed.error());
    }

    @Test
    void requiredFieldsAreChecked() {
        List<UpstreamServer> none = List.of();
        Duration d = Duration.ZERO;
        assertThrows(NullPointerException.class, () -> new ProviderResult.Answered(null, response(DnsStatus.NOERROR)));
        assertThrows(NullPointerException.class, () -> new ProviderResult.Answered("x", null));
        assertThrows(NullPointerException.class, () -> new ProviderResult.Failed(null, Failure.TIMEOUT, "e", none, d));
        assertThrows(NullPointerException.class, () -> new ProviderResult.Failed("x", null, "e", none, d));
        assertThrows(NullPointerException.class, () -> new ProviderResult.Failed("x", Failure.TIMEOUT, null, none, d));
        assertThrows(NullPointerException.class, () -> new ProviderResult.Failed("x", Failure.TIMEOUT, "e", none, null));
    }
}
