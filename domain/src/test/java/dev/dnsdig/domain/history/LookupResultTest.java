package dev.dnsdig.domain.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.DnsResponse;
import dev.dnsdig.domain.dns.DnsStatus;
import dev.dnsdig.domain.dns.DomainName;
import dev.dnsdig.domain.dns.HeaderFlags;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.ProviderResult;
import dev.dnsdig.domain.dns.RecordType;
import dev.dnsdig.domain.dns.Resolution;
import dev.dnsdig.domain.dns.Transport;
import dev.dnsdig.domain.dns.UpstreamServer;
import dev.dnsdig.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of {@link LookupResult}, {@link Lookup} and {@link LookupId}. */
class LookupResultTest {
    private static final UpstreamServer SERVER = UpstreamServer.parse("192.0.2.53");
    private static final DomainName NAME = DomainName.of("example.com");

    private static ProviderResult answered(String provider, DnsStatus status, boolean cached, long millis) {
        return new ProviderResult.Answered(provider, new DnsResponse(status, new HeaderFlags(false, false, true, true,
                false, false), List.of(), List.of(), SERVER, Transport.UDP, Duration.ofMillis(millis)), cached);
    }

    @Test
    void aResolutionGivesOneResultPerProviderInItsOrder() {
        Resolution resolution = new Resolution(NAME, RecordType.MX, IpFamily.IPV6, List.of(
                answered("google", DnsStatus.NXDOMAIN, true, 12),
                new ProviderResult.Failed("quad9", ProviderResult.Failure.BAD_RESPONSE, "garbage", List.of(SERVER),
                        Duration.ofMillis(30)),
                answered("cloudflare", DnsStatus.NOERROR, false, 5)), Duration.ofMillis(31));

        assertEquals(List.of(
                new LookupResult(NAME, RecordType.MX, IpFamily.IPV6, "google", LookupResult.Outcome.ANSWERED, "NXDOMAIN",
                        true, Duration.ofMillis(12)),
                new LookupResult(NAME, RecordType.MX, IpFamily.IPV6, "quad9", LookupResult.Outcome.FAILED, "bad-response",
                        false, Duration.ofMillis(30)),
                new LookupResult(NAME, RecordType.MX, IpFamily.IPV6, "cloudflare", LookupResult.Outcome.ANSWERED, "NOERROR",
                        false, Duration.ofMillis(5))), LookupResult.of(resolution));
        assertEquals(List.of(), LookupResult.of(new Resolution(NAME, RecordType.A, IpFamily.IPV4, List.of(), Duration.ZERO)),
                "no providers, nothing to remember");
    }

    @Test
    void badValuesAreRefused() {
        Duration ms = Duration.ofMillis(1);
        assertThrows(InvalidValueException.class, () -> new LookupResult(NAME, RecordType.A, IpFamily.IPV4, " ",
                LookupResult.Outcome.ANSWERED, "NOERROR", false, ms));
        assertThrows(InvalidValueException.class, () -> new LookupResult(NAME, RecordType.A, IpFamily.IPV4, "p".repeat(101),
                LookupResult.Outcome.ANSWERED, "NOERROR", false, ms));
        assertThrows(InvalidValueException.class, () -> new LookupResult(NAME, RecordType.A, IpFamily.IPV4, "p",
                LookupResult.Outcome.ANSWERED, "", false, ms));
        assertThrows(InvalidValueException.class, () -> new LookupResult(NAME, RecordType.A, IpFamily.IPV4, "p",
                LookupResult.Outcome.ANSWERED, "NOERROR", false, Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> new LookupResult(NAME, RecordType.A, IpFamily.IPV4, "p",
                null, "NOERROR", false, ms));
    }

    @Test
    void lookupIdsAreUlidsThatSortByTime() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        LookupId first = LookupId.generate(t0);
        LookupId same = LookupId.generate(t0);
        LookupId later = LookupId.generate(t0.plusMillis(1));
        assertTrue(first.compareTo(same) < 0 && same.compareTo(later) < 0, first + " " + same + " " + later);
        assertEquals(first, new LookupId(first.value()));
        assertEquals(first.value(), first.toString());
        assertThrows(InvalidValueException.class, () -> new LookupId("not-an-id"));
    }

    @Test
    void aLookupBelongsToItsUser() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        UserId ann = UserId.generate(t0);
        Lookup lookup = new Lookup(LookupId.generate(t0), ann, t0, new LookupResult(NAME, RecordType.A, IpFamily.IPV4, "p",
                LookupResult.Outcome.ANSWERED, "NOERROR", false, Duration.ZERO));
        assertTrue(lookup.ownedBy(ann));
        assertEquals(false, lookup.ownedBy(UserId.generate(t0)));
        assertThrows(NullPointerException.class, () -> new Lookup(lookup.id(), ann, null, lookup.result()));
    }
}
