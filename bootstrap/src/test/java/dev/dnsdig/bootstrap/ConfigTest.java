package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import dev.dnsdig.adapters.rest.ratelimit.TrustedProxies;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigTest {

    private static Config.Invalid invalid(Map<String, String> values) {
        return assertThrows(Config.Invalid.class, () -> Config.from(values));
    }

    private static void assertOneLineEach(Config.Invalid invalid) {
        for (String problem : invalid.problems()) {
            assertFalse(problem.contains("\n") || problem.contains("\r"), () -> "not one line: " + problem);
        }
        assertEquals(invalid.problems(), invalid.getMessage().lines().toList(),
                "the message lists the problems, one per line");
    }

    // --- defaults ---------------------------------------------------------------------------------------------

    @Test
    void withoutVariablesEverythingHasItsDefault() {
        Config config = Config.from(Map.of());

        assertEquals("127.0.0.1", config.httpHost());
        assertEquals(8080, config.httpPort());
        assertEquals(Duration.ofMillis(2000), config.dnsTimeout());
        assertEquals(Duration.ofMillis(5000), config.dnsDeadline());
        assertEquals(Duration.ofMillis(10_000), config.shutdownGrace());
        assertEquals(new Config.Capacity(256 * Runtime.getRuntime().availableProcessors(), 10_000), config.capacity());
        assertEquals(new Config.DnsCache(10_000, Duration.ofDays(1)), config.dnsCache());
        assertTrue(config.dnsCache().enabled());
        assertEquals(List.of("cloudflare", "google", "quad9"), config.providers().stream().map(DnsProvider::name).toList());
    }

    @Test
    void everyDefaultProviderHasIpv4AndIpv6Servers() {
        for (DnsProvider provider : Config.from(Map.of()).providers()) {
            assertAll(provider.name(),
                    () -> assertEquals(2, provider.servers(IpFamily.IPV4).size(), "IPv4 servers"),
                    () -> assertEquals(2, provider.servers(IpFamily.IPV6).size(), "IPv6 servers"),
                    () -> assertTrue(provider.servers().stream().allMatch(s -> s.port() == 53), "port 53"));
        }
    }

    @Test
    void defaultProvidersAreTheWellKnownPublicResolvers() {
        Map<String, List<String>> servers = new HashMap<>();
        Config.from(Map.of()).providers().forEach(p -> servers.put(p.name(),
                p.servers().stream().map(UpstreamServer::toString).toList()));

        assertEquals(Map.of(
                "cloudflare", List.of("1.1.1.1", "1.0.0.1", "[2606:4700:4700::1111]", "[2606:4700:4700::1001]"),
                "google", List.of("8.8.8.8", "8.8.4.4", "[2001:4860:4860::8888]", "[2001:4860:4860::8844]"),
                "quad9", List.of("9.9.9.9", "149.112.112.112", "[2620:fe::fe]", "[2620:fe::9]")), servers);
    }

    @Test
    void everyDefaultValueIsItselfValid() {
        Map<String, String> explicit = new HashMap<>();
        for (Config.Variable variable : Config.Variable.values()) {
            explicit.put(variable.name(), variable.defaultValue());
        }
        assertEquals(Config.from(Map.of()), Config.from(explicit));
    }

    @Test
    void blankValuesFallBackToTheDefaults() {
        Map<String, String> blank = new HashMap<>();
        Map<String, String> empty = new HashMap<>();
        for (Config.Variable variable : Config.Variable.values()) {
            blank.put(variable.name(), "  \t ");
            empty.put(variable.name(), "");
        }
        Config defaults = Config.from(Map.of());

        assertEquals(defaults, Config.from(blank));
        assertEquals(defaults, Config.from(empty));
    }

    @Test
    void unrelatedVariablesAreIgnored() {
        assertEquals(Config.from(Map.of()), Config.from(Map.of("PATH", "/bin", "DNSDIG_UNKNOWN", "x", "HOME", "/")));
    }

    // --- each variable parsed ---------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1       | 127.0.0.1
            0.0.0.0         | 0.0.0.0
            ' 10.1.2.3 '    | 10.1.2.3
            localhost       | 127.0.0.1
            '::'            | '::'
            '[::1]'         | '::1'
            '::1'           | '::1'
            '[::]'          | '::'
            2001:DB8:0:0::1 | 2001:db8::1
            """)
    void httpHostIsAnIpLiteralInCanonicalForm(String value, String expected) {
        assertEquals(expected, Config.from(Map.of("DNSDIG_HTTP_HOST", value)).httpHost());
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,1", "8081,8081", "' 9090 ',9090", "65535,65535"})
    void httpPortIsAWholeNumberFrom0To65535(String value, int expected) {
        assertEquals(expected, Config.from(Map.of("DNSDIG_HTTP_PORT", value)).httpPort());
    }

    @Test
    void providersSpecIsParsedWithPortsAndBracketedIpv6() {
        Config config = Config.from(Map.of("DNSDIG_DNS_PROVIDERS", "local=127.0.0.1:5301,[::1]:5301;other=10.0.0.1"));

        assertEquals(List.of(
                new DnsProvider("local", List.of(new UpstreamServer("127.0.0.1", 5301), new UpstreamServer("::1", 5301))),
                new DnsProvider("other", List.of(new UpstreamServer("10.0.0.1", 53)))), config.providers());
    }

    @Test
    void providersSpecToleratesSpacesEmptyEntriesAndRepeatedServers() {
        Config config = Config.from(Map.of("DNSDIG_DNS_PROVIDERS",
                " ;a = 127.0.0.1 , ,[::1]:53, 127.0.0.1:53 ;; b=[::1]:5302; "));

        assertEquals(List.of(
                new DnsProvider("a", List.of(new UpstreamServer("127.0.0.1", 53), new UpstreamServer("::1", 53))),
                new DnsProvider("b", List.of(new UpstreamServer("::1", 5302)))), config.providers());
    }

    @Test
    void durationsAreMilliseconds() {
        Config config = Config.from(Map.of(
                "DNSDIG_DNS_TIMEOUT_MS", "750",
                "DNSDIG_DNS_DEADLINE_MS", "1500",
                "DNSDIG_SHUTDOWN_GRACE_MS", "0"));

        assertEquals(Duration.ofMillis(750), config.dnsTimeout());
        assertEquals(Duration.ofMillis(1500), config.dnsDeadline());
        assertEquals(Duration.ZERO, config.shutdownGrace());
    }

    @Test
    void durationsAcceptTheirBounds() {
        Config upper = Config.from(Map.of(
                "DNSDIG_DNS_TIMEOUT_MS", "60000",
                "DNSDIG_DNS_DEADLINE_MS", "120000",
                "DNSDIG_SHUTDOWN_GRACE_MS", "300000"));
        Config lower = Config.from(Map.of("DNSDIG_DNS_TIMEOUT_MS", "1", "DNSDIG_DNS_DEADLINE_MS", "1"));

        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5)),
                List.of(upper.dnsTimeout(), upper.dnsDeadline(), upper.shutdownGrace()));
        assertEquals(List.of(Duration.ofMillis(1), Duration.ofMillis(1)), List.of(lower.dnsTimeout(), lower.dnsDeadline()));
    }

    @Test
    void capacityTakesItsBounds() {
        Config lower = Config.from(Map.of("DNSDIG_MAX_IN_FLIGHT", "1", "DNSDIG_MAX_CONNECTIONS", "1"));
        Config upper = Config.from(Map.of("DNSDIG_MAX_IN_FLIGHT", "1000000", "DNSDIG_MAX_CONNECTIONS", " 1000000 "));

        assertEquals(new Config.Capacity(1, 1), lower.capacity());
        assertEquals(new Config.Capacity(1_000_000, 1_000_000), upper.capacity());
    }

    @Test
    void inFlightMayBeGivenPerProcessor() {
        int processors = Runtime.getRuntime().availableProcessors();

        assertEquals(100 * processors, Config.from(Map.of("DNSDIG_MAX_IN_FLIGHT", "100/cpu")).capacity().maxInFlight());
        // the limit counts in all, after multiplying
        Config.Invalid tooMany = invalid(Map.of("DNSDIG_MAX_IN_FLIGHT", "9999999/cpu"));
        assertTrue(tooMany.problems().get(0).contains("between 1 and 1000000"), tooMany::getMessage);
        assertTrue(invalid(Map.of("DNSDIG_MAX_IN_FLIGHT", "0/cpu")).problems().get(0).contains("between 1 and 1000000"));
    }

    @Test
    void deadlineEqualToTimeoutIsAllowed() {
        Config config = Config.from(Map.of("DNSDIG_DNS_TIMEOUT_MS", "3000", "DNSDIG_DNS_DEADLINE_MS", "3000"));

        assertEquals(config.dnsTimeout(), config.dnsDeadline());
    }

    // --- invalid values -----------------------------------------------------------------------------------------

    @Test
    void everyInvalidValueIsReportedAtOnceOneLineEachNamingItsVariable() {
        Map<String, String> given = Map.of(
                "DNSDIG_HTTP_HOST", "example.com",
                "DNSDIG_HTTP_PORT", "abc",
                "DNSDIG_DNS_PROVIDERS", "local=dns.example.com",
                "DNSDIG_DNS_TIMEOUT_MS", "0",
                "DNSDIG_DNS_DEADLINE_MS", "200000",
                "DNSDIG_SHUTDOWN_GRACE_MS", "-1",
                "DNSDIG_MONGODB_URI", "postgres://db",
                "DNSDIG_ADMIN_EMAILS", "root@example.com,not-an-address",
                "DNSDIG_PUBLIC_URL", "ftp://example.com",
                "DNSDIG_ACCESS_TOKEN_TTL_S", "5");
        given = new HashMap<>(given); // more than Map.of takes
        given.put("DNSDIG_MAX_IN_FLIGHT", "0");
        Config.Invalid invalid = invalid(given);

        List<String> problems = invalid.problems();
        assertEquals(11, problems.size(), () -> String.join("\n", problems));
        List<String> order = Arrays.stream(Config.Variable.values()).map(Enum::name)
                .filter(given::containsKey).toList();
        for (int i = 0; i < order.size(); i++) {
            assertTrue(problems.get(i).startsWith(order.get(i) + "="), problems.get(i));
        }
        assertTrue(problems.get(0).contains("'example.com'") && problems.get(0).contains("IP address"), problems.get(0));
        assertTrue(problems.get(1).contains("'abc'") && problems.get(1).contains("not a whole number"), problems.get(1));
        assertTrue(problems.get(2).contains("dns.example.com"), problems.get(2));
        assertTrue(problems.get(3).contains("between 1 and 60000"), problems.get(3));
        assertTrue(problems.get(4).contains("between 1 and 120000"), problems.get(4));
        assertTrue(problems.get(5).contains("between 0 and 300000"), problems.get(5));
        assertTrue(problems.get(6).contains("between 1 and 1000000"), problems.get(6));
        assertTrue(problems.get(7).contains("mongodb://"), problems.get(7));
        assertTrue(problems.get(8).contains("'not-an-address'"), problems.get(8));
        assertTrue(problems.get(9).contains("http(s) URL"), problems.get(9));
        assertOneLineEach(invalid);
    }

    // --- HTTPS ----------------------------------------------------------------------------------------------------

    /** A PKCS12 keystore with one key entry, written with the given password. */
    private static Path keystore(Path dir, String password) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Tls.KeyMaterial keys = Tls.selfSigned("127.0.0.1", java.time.Instant.now());
        store.setKeyEntry("server", keys.keyStore().getKey("dnsdig", keys.password()), password.toCharArray(),
                new java.security.cert.Certificate[] {keys.certificate()});
        Path file = dir.resolve("server.p12");
        try (var out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    @Test
    void withoutAnHttpsPortThereIsNoHttpsListener() {
        assertEquals(Optional.empty(), Config.from(Map.of()).https());
        assertEquals(Optional.empty(), Config.from(Map.of("DNSDIG_HTTPS_PORT", " ")).https());
    }

    @Test
    void anHttpsPortWithoutKeystoreMeansADevelopmentCertificate() {
        Config.Https https = Config.from(Map.of("DNSDIG_HTTPS_PORT", "8443")).https().orElseThrow();

        assertEquals(java.util.OptionalInt.of(8443), https.port());
        assertEquals(java.util.OptionalInt.empty(), https.dohPort());
        assertEquals(Optional.empty(), https.keystore());
        assertEquals(Optional.empty(), https.keys());
    }

    @Test
    void aDohPortAloneIsATlsListenerOfItsOwn() {
        Config.Https https = Config.from(Map.of("DNSDIG_DOH_PORT", "8453")).https().orElseThrow();

        assertEquals(java.util.OptionalInt.empty(), https.port());
        assertEquals(java.util.OptionalInt.of(8453), https.dohPort());
        assertEquals(List.of("DNSDIG_DOH_PORT (8443) must differ from DNSDIG_HTTP_PORT and DNSDIG_HTTPS_PORT"),
                invalid(Map.of("DNSDIG_HTTPS_PORT", "8443", "DNSDIG_DOH_PORT", "8443")).problems());
        assertEquals(List.of("DNSDIG_DOH_PORT (8080) must differ from DNSDIG_HTTP_PORT and DNSDIG_HTTPS_PORT"),
                invalid(Map.of("DNSDIG_HTTP_PORT", "8080", "DNSDIG_DOH_PORT", "8080")).problems());
        assertTrue(invalid(Map.of("DNSDIG_DOH_PORT", "65536")).problems().get(0).startsWith("DNSDIG_DOH_PORT='65536'"));
    }

    @Test
    void aKeystoreIsOpenedAtStartWithItsPasswordTakenAsGiven(@TempDir Path dir) throws Exception {
        Path file = keystore(dir, " pass word ");

        Config.Https https = Config.from(Map.of("DNSDIG_HTTPS_PORT", "0", "DNSDIG_TLS_KEYSTORE", file.toString(),
                "DNSDIG_TLS_KEYSTORE_PASSWORD", " pass word ")).https().orElseThrow();

        assertEquals(Optional.of(file), https.keystore());
        String subject = https.keys().orElseThrow().certificate().getSubjectX500Principal().getName();
        assertTrue(subject.contains("CN=localhost"), subject);
        assertFalse(https.toString().contains("pass word"), https.toString());
    }

    @Test
    void aKeystoreGoneBetweenCheckAndStartIsNamedWhenTheServerOpensIt(@TempDir Path dir) throws Exception {
        Path file = keystore(dir, "pw");
        Config.Https https = Config.from(Map.of("DNSDIG_HTTPS_PORT", "0", "DNSDIG_TLS_KEYSTORE", file.toString(),
                "DNSDIG_TLS_KEYSTORE_PASSWORD", "pw")).https().orElseThrow();
        Files.delete(file);

        IllegalStateException gone = assertThrows(IllegalStateException.class, https::keys);

        assertEquals("DNSDIG_TLS_KEYSTORE='" + file + "': no such file", gone.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "70000", "-1", "443x"})
    void invalidHttpsPortIsOneProblemNamingTheVariable(String value) {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_HTTPS_PORT", value));

        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith("DNSDIG_HTTPS_PORT='" + value + "': "), invalid::getMessage);
    }

    @Test
    void httpsOnTheHttpPortIsAProblem() {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_HTTP_PORT", "8080", "DNSDIG_HTTPS_PORT", "8080"));

        assertEquals(List.of("DNSDIG_HTTPS_PORT (8080) must differ from DNSDIG_HTTP_PORT"), invalid.problems());
    }

    @Test
    void everyKeystoreProblemIsSaidClearlyWithTheOthers(@TempDir Path dir) throws Exception {
        Path good = keystore(dir, "right");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a keystore");
        Map<String, String> base = Map.of("DNSDIG_HTTPS_PORT", "0", "DNSDIG_TLS_KEYSTORE_PASSWORD", "right");

        assertProblem(base, dir.resolve("missing.p12"), "no such file");
        assertProblem(base, text, "not a PKCS12 keystore");
        assertProblem(Map.of("DNSDIG_HTTPS_PORT", "0", "DNSDIG_TLS_KEYSTORE_PASSWORD", "wrong"), good,
                "wrong password (DNSDIG_TLS_KEYSTORE_PASSWORD)");
        // reported together with the other variables' problems, in the variables' order
        Config.Invalid together = invalid(Map.of("DNSDIG_HTTP_PORT", "x", "DNSDIG_HTTPS_PORT", "y",
                "DNSDIG_TLS_KEYSTORE", dir.resolve("missing.p12").toString(), "DNSDIG_DNS_TIMEOUT_MS", "0"));
        assertEquals(4, together.problems().size(), together::getMessage);
        assertTrue(together.problems().get(1).startsWith("DNSDIG_HTTPS_PORT='y'"), together::getMessage);
        assertTrue(together.problems().get(2).startsWith("DNSDIG_TLS_KEYSTORE='"), together::getMessage);
        assertOneLineEach(together);
    }

    private static void assertProblem(Map<String, String> base, Path keystore, String expected) {
        Map<String, String> values = new HashMap<>(base);
        values.put("DNSDIG_TLS_KEYSTORE", keystore.toString());
        Config.Invalid invalid = invalid(values);
        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith("DNSDIG_TLS_KEYSTORE='" + keystore + "': " + expected),
                invalid::getMessage);
    }

    @Test
    void aKeystoreWithoutAnHttpsPortIsAProblem(@TempDir Path dir) throws Exception {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_TLS_KEYSTORE", keystore(dir, "").toString()));

        assertEquals(List.of("DNSDIG_TLS_KEYSTORE: set, but there is no HTTPS listener without DNSDIG_HTTPS_PORT or"
                        + " DNSDIG_DOH_PORT"),
                invalid.problems());
    }

    @Test
    void dnssecTrustAnchorsAreTheIanaRootByDefaultRecordsOrOff() {
        assertEquals("trust anchors . DS 20326, . DS 38696",
                Config.from(Map.of()).dnssec().map(Object::toString).orElse("off"));
        assertEquals(Optional.empty(), Config.from(Map.of("DNSDIG_DNSSEC_TRUST_ANCHORS", "OFF")).dnssec());
        String ds = "signed.test. IN DS 12345 13 2 DDC6E2B224D0FD821669202258386936FC9CE2899E215EEC6322B95F8DD96D6A";
        assertEquals("trust anchors signed.test. DS 12345",
                Config.from(Map.of("DNSDIG_DNSSEC_TRUST_ANCHORS", ds)).dnssec().orElseThrow().toString());
    }

    @Test
    void badTrustAnchorsAreReportedWithTheOtherProblems() {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_HTTP_PORT", "70000",
                "DNSDIG_DNSSEC_TRUST_ANCHORS", "signed.test. IN A 192.0.2.1"));
        assertEquals(2, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(1).startsWith("DNSDIG_DNSSEC_TRUST_ANCHORS='signed.test. IN A 192.0.2.1'")
                && invalid.problems().get(1).contains("only DS and DNSKEY records"), invalid::getMessage);
        Config.Invalid missing = invalid(Map.of("DNSDIG_DNSSEC_TRUST_ANCHORS", "/nonexistent/anchors.zone"));
        assertTrue(missing.problems().get(0).contains("cannot read the trust anchor file"), missing::getMessage);
        assertOneLineEach(missing);
    }

    @Test
    void portAndTimeoutProblemsAreReportedTogether() {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_HTTP_PORT", "70000", "DNSDIG_DNS_TIMEOUT_MS", "0"));

        assertEquals(2, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith("DNSDIG_HTTP_PORT='70000'"), invalid::getMessage);
        assertTrue(invalid.problems().get(0).contains("between 0 and 65535"), invalid::getMessage);
        assertTrue(invalid.problems().get(1).startsWith("DNSDIG_DNS_TIMEOUT_MS='0'"), invalid::getMessage);
        assertOneLineEach(invalid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "70000", "65536", "-1", "80.5", "0x50", "99999999999", "8080a"})
    void invalidHttpPortIsOneProblemNamingTheVariable(String value) {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_HTTP_PORT", value));

        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith("DNSDIG_HTTP_PORT='" + value + "': "), invalid::getMessage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost.localdomain", "256.0.0.1", "[::1", "::1]", "1.2.3", "127.0.0.1:80",
            "[::1]:8080", "::ffff:127.0.0.1"})
    void invalidHttpHostIsOneProblemNamingTheVariable(String value) {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_HTTP_HOST", value));

        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith("DNSDIG_HTTP_HOST='" + value + "': "), invalid::getMessage);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            DNSDIG_DNS_TIMEOUT_MS    | 0
            DNSDIG_DNS_TIMEOUT_MS    | -5
            DNSDIG_DNS_TIMEOUT_MS    | 60001
            DNSDIG_DNS_TIMEOUT_MS    | 2s
            DNSDIG_DNS_DEADLINE_MS   | 0
            DNSDIG_DNS_DEADLINE_MS   | 120001
            DNSDIG_DNS_DEADLINE_MS   | five
            DNSDIG_SHUTDOWN_GRACE_MS | -1
            DNSDIG_SHUTDOWN_GRACE_MS | 300001
            DNSDIG_SHUTDOWN_GRACE_MS | 1.5
            DNSDIG_MAX_IN_FLIGHT     | 0
            DNSDIG_MAX_IN_FLIGHT     | 1000001
            DNSDIG_MAX_IN_FLIGHT     | many
            DNSDIG_MAX_IN_FLIGHT     | 256/core
            DNSDIG_MAX_IN_FLIGHT     | /cpu
            DNSDIG_MAX_CONNECTIONS   | -1
            DNSDIG_MAX_CONNECTIONS   | 1000001
            DNSDIG_MAX_CONNECTIONS   | 1e4
            """)
    void invalidDurationOrCapacityIsOneProblemNamingTheVariable(String variable, String value) {
        // a deadline that does not parse is not also compared with the timeout
        Config.Invalid invalid = invalid(Map.of(variable, value));

        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith(variable + "='" + value + "': "), invalid::getMessage);
    }

    @Test
    void deadlineBelowTimeoutNamesBothVariables() {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_DNS_TIMEOUT_MS", "3000", "DNSDIG_DNS_DEADLINE_MS", "2999"));

        assertEquals(List.of("DNSDIG_DNS_DEADLINE_MS (2999) must not be below DNSDIG_DNS_TIMEOUT_MS (3000)"),
                invalid.problems());
    }

    @Test
    void defaultDeadlineBelowAConfiguredTimeoutIsAProblemToo() {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_DNS_TIMEOUT_MS", "6000"));

        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith("DNSDIG_DNS_DEADLINE_MS (5000)"), invalid::getMessage);
        assertTrue(invalid.problems().get(0).contains("DNSDIG_DNS_TIMEOUT_MS (6000)"), invalid::getMessage);
    }

    @Test
    void deadlineBelowTimeoutIsReportedAlongsideOtherProblems() {
        Config.Invalid invalid = invalid(Map.of(
                "DNSDIG_HTTP_PORT", "abc",
                "DNSDIG_DNS_TIMEOUT_MS", "4000",
                "DNSDIG_DNS_DEADLINE_MS", "1000"));

        assertEquals(2, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith("DNSDIG_HTTP_PORT="), invalid::getMessage);
        assertTrue(invalid.problems().get(1).startsWith("DNSDIG_DNS_DEADLINE_MS (1000)"), invalid::getMessage);
        assertOneLineEach(invalid);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            local=dns.example.com                     | 'dns.example.com'
            local=localhost                           | 'localhost'
            a=127.0.0.1;a=[::1]                       | provider 'a' is named twice
            127.0.0.1                                 | '127.0.0.1' lacks 'name='
            a=127.0.0.1;[::1]:5301                    | '[::1]:5301' lacks 'name='
            local=                                    | provider 'local' has no servers
            =127.0.0.1                                | provider name ''
            bad name=127.0.0.1                        | provider name 'bad name'
            local=[::1                                | never closes it
            local=[::1]5301                           | expected ':port'
            local=127.0.0.1:0                         | between 1 and 65535
            local=127.0.0.1:65536                     | between 1 and 65535
            local=127.0.0.1:                          | port must be a number
            local=::ffff:127.0.0.1                    | mixed notation
            ;;                                        | no provider given
            """)
    void invalidProvidersAreOneProblemNamingTheVariable(String value, String expectedDetail) {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_DNS_PROVIDERS", value));

        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        String problem = invalid.problems().get(0);
        assertTrue(problem.startsWith("DNSDIG_DNS_PROVIDERS='" + value + "': "), problem);
        assertTrue(problem.contains(expectedDetail), problem);
    }

    @Test
    void everyProviderProblemIsNamedInTheProvidersLine() {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_DNS_PROVIDERS",
                "a=dns.example.com;a=127.0.0.1;10.0.0.1;b=[::1]:5301"));

        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        String problem = invalid.problems().get(0);
        assertAll(problem,
                () -> assertTrue(problem.startsWith("DNSDIG_DNS_PROVIDERS="), "names the variable"),
                () -> assertTrue(problem.contains("dns.example.com"), "the host name"),
                () -> assertTrue(problem.contains("provider 'a' is named twice"), "the duplicate"),
                () -> assertTrue(problem.contains("'10.0.0.1' lacks 'name='"), "the entry without '='"),
                () -> assertFalse(problem.contains("'b'"), "the valid provider"));
        assertOneLineEach(invalid);
    }

    @Test
    void invalidIsARuntimeExceptionWhoseProblemsCannotBeChanged() {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_HTTP_PORT", "abc"));

        assertThrows(UnsupportedOperationException.class, () -> invalid.problems().add("more"));
    }

    // --- the variables themselves -------------------------------------------------------------------------------

    @Test
    void everyVariableHasADefaultAndAMeaning() {
        for (Config.Variable variable : Config.Variable.values()) {
            assertTrue(variable.name().startsWith("DNSDIG_"), variable.name());
            assertFalse(variable.meaning().isBlank(), variable.name());
        }
        // optional variables default to empty, meaning "not set"
        assertEquals(List.of("DNSDIG_HTTPS_PORT", "DNSDIG_DOH_PORT", "DNSDIG_TLS_KEYSTORE", "DNSDIG_TLS_KEYSTORE_PASSWORD",
                "DNSDIG_MONGODB_URI", "DNSDIG_ADMIN_EMAILS", "DNSDIG_OIDC_ISSUER", "DNSDIG_OIDC_CLIENT_ID",
                "DNSDIG_OIDC_CLIENT_SECRET", "DNSDIG_OIDC_REDIRECT_URI", "DNSDIG_OIDC_AUDIENCE", "DNSDIG_TRUSTED_PROXIES",
                "DNSDIG_CORS_ORIGINS"),
                Arrays.stream(Config.Variable.values()).filter(v -> v.defaultValue().isEmpty()).map(Enum::name).toList());
        assertEquals(35, Config.Variable.values().length);
    }

    @Test
    void oidcNeedsClientCredentialsAndDerivesTheCallback() {
        assertTrue(Config.from(Map.of()).oidc().isEmpty());
        Config.Invalid missing = invalid(Map.of("DNSDIG_OIDC_ISSUER", "https://you.kinde.com"));
        assertEquals(2, missing.problems().size(), missing::getMessage);
        Config config = Config.from(Map.of("DNSDIG_OIDC_ISSUER", "https://you.kinde.com/", "DNSDIG_OIDC_CLIENT_ID", "abc",
                "DNSDIG_OIDC_CLIENT_SECRET", "s3cret", "DNSDIG_PUBLIC_URL", "https://dnsdig.example.com", "DNSDIG_OIDC_NAME", "kinde"));
        Config.Oidc oidc = config.oidc().orElseThrow();
        assertEquals("https://you.kinde.com/", oidc.issuer(), "the issuer is kept exactly: Auth0's ends in '/'");
        assertEquals("https://dnsdig.example.com/v1/auth/callback/kinde", oidc.redirectUri());
        assertEquals("openid profile email offline_access", oidc.scopes());
        assertFalse(oidc.toString().contains("s3cret"));
        assertEquals(Duration.ofSeconds(3), oidc.timeout(), "bounded: a login waits a few timeouts at most");
        assertEquals(Duration.ofMillis(500), Config.from(Map.of("DNSDIG_OIDC_ISSUER", "https://you.kinde.com/",
                "DNSDIG_OIDC_CLIENT_ID", "abc", "DNSDIG_OIDC_CLIENT_SECRET", "s3cret", "DNSDIG_OIDC_TIMEOUT_MS", "500"))
                .oidc().orElseThrow().timeout());
        for (String bad : List.of("99", "30001", "soon")) {
            assertEquals(1, invalid(Map.of("DNSDIG_OIDC_TIMEOUT_MS", bad)).problems().size(), bad);
        }
        assertEquals(1, invalid(Map.of("DNSDIG_OIDC_SCOPES", "profile email")).problems().size());
        assertEquals(1, invalid(Map.of("DNSDIG_OIDC_NAME", "Not Valid")).problems().size());
    }

    // --- rate limits --------------------------------------------------------------------------------------------

    @Test
    void rateLimitsDefaultToThirtyAMinuteAnonymouslySixHundredPerUserTenLogins() {
        RateLimits limits = Config.from(Map.of()).rateLimits();
        assertEquals(Optional.of(new Policy("anonymous", 30, Duration.ofSeconds(60))), limits.anonymous());
        assertEquals(Optional.of(new Policy("user", 600, Duration.ofSeconds(60))), limits.user());
        assertEquals(Optional.of(new Policy("login", 10, Duration.ofSeconds(60))), limits.login());
        assertEquals(TrustedProxies.none(), limits.trustedProxies());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            30/60s       | 30 | 60
            ' 1/1s '     | 1  | 1
            1000/1h      | 1000 | 3600
            5/10m        | 5  | 600
            7/86400s     | 7  | 86400
            """)
    void rateLimitsAreRequestsPerWindow(String text, int limit, int seconds) {
        assertEquals(Optional.of(new Policy("user", limit, Duration.ofSeconds(seconds))),
                Config.from(Map.of("DNSDIG_RATELIMIT_USER", text)).rateLimits().user());
    }

    @Test
    void offTurnsALimitOff() {
        RateLimits limits = Config.from(Map.of("DNSDIG_RATELIMIT_ANONYMOUS", "off", "DNSDIG_RATELIMIT_USER", "OFF",
                "DNSDIG_RATELIMIT_LOGIN", "off")).rateLimits();
        assertEquals(RateLimits.off(), limits);
    }

    @Test
    void badRateLimitsAndProxiesAreAllReported() {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_RATELIMIT_ANONYMOUS", "30 per minute",
                "DNSDIG_RATELIMIT_USER", "0/60s", "DNSDIG_RATELIMIT_LOGIN", "10/2d",
                "DNSDIG_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal"));
        assertEquals(4, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith("DNSDIG_RATELIMIT_ANONYMOUS='30 per minute': must be N/Ds"));
        assertTrue(invalid.problems().get(1).startsWith("DNSDIG_RATELIMIT_USER='0/60s': must be between 1 and"));
        assertTrue(invalid.problems().get(2).startsWith("DNSDIG_RATELIMIT_LOGIN='10/2d': must be N/Ds"));
        assertTrue(invalid.problems().get(3).contains("'proxy.internal' is not an IP address or CIDR block"));
        assertEquals("the window must be between 1 second and 1 day",
                invalid(Map.of("DNSDIG_RATELIMIT_USER", "1/86401s")).problems().get(0).replaceFirst(".*: ", ""));
        assertEquals(1, invalid(Map.of("DNSDIG_RATELIMIT_USER", "1/0s")).problems().size());
        assertOneLineEach(invalid);
    }

    @Test
    void trustedProxiesAreAddressesAndBlocks() {
        assertEquals(TrustedProxies.parse("10.0.0.0/8,2001:db8::1"),
                Config.from(Map.of("DNSDIG_TRUSTED_PROXIES", " 10.0.0.0/8 , 2001:DB8:0::1 ")).rateLimits().trustedProxies());
    }

    @Test
    void corsOriginsAreExactOriginsAsBrowsersSendThem() {
        assertEquals(java.util.Set.of(), Config.from(Map.of()).corsOrigins(), "none by default");
        assertEquals(java.util.Set.of("https://app.example.com", "http://localhost:5173", "https://b.example:8443"),
                Config.from(Map.of("DNSDIG_CORS_ORIGINS",
                        " HTTPS://App.Example.com/ ,http://localhost:5173,, https://b.example:8443,https://app.example.com:443"))
                        .corsOrigins());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "app.example.com", "https://app.example.com/path", "ftp://app.example.com",
        "https://*.example.com", "https://user@app.example.com", "https://app.example.com?x=1"})
    void anythingButAnExactOriginIsRefused(String value) {
        Config.Invalid invalid = invalid(Map.of("DNSDIG_CORS_ORIGINS", "https://ok.example," + value));
        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith("DNSDIG_CORS_ORIGINS="), invalid::getMessage);
        assertTrue(invalid.problems().get(0).contains("'*' is not allowed"), invalid::getMessage);
    }

    @Test
    void metricsAreForLoopbackUnlessOpenedOrTurnedOff() {
        assertEquals(dev.dnsdig.adapters.rest.observe.MetricsAccess.LOOPBACK, Config.from(Map.of()).metrics());
        assertEquals(dev.dnsdig.adapters.rest.observe.MetricsAccess.OPEN, Config.from(Map.of("DNSDIG_METRICS", "Open")).metrics());
        assertEquals(dev.dnsdig.adapters.rest.observe.MetricsAccess.OFF, Config.from(Map.of("DNSDIG_METRICS", "off")).metrics());
        Config.Invalid invalid = invalid(Map.of("DNSDIG_METRICS", "public"));
        assertEquals(List.of("DNSDIG_METRICS='public': must be loopback, open or off"), invalid.problems());
    }

    @Test
    void theDnsCacheHasASizeInAnswersZeroForNoneAndAMaximumTtlInSeconds() {
        Config config = Config.from(Map.of("DNSDIG_DNS_CACHE_SIZE", "500", "DNSDIG_DNS_CACHE_MAX_TTL_S", "3600"));
        assertEquals(new Config.DnsCache(500, Duration.ofHours(1)), config.dnsCache());
        assertFalse(Config.from(Map.of("DNSDIG_DNS_CACHE_SIZE", "0")).dnsCache().enabled());
        Config.Invalid invalid = invalid(Map.of("DNSDIG_DNS_CACHE_SIZE", "-1", "DNSDIG_DNS_CACHE_MAX_TTL_S", "0",
                "DNSDIG_HTTP_PORT", "x"));
        assertEquals(List.of("DNSDIG_HTTP_PORT='x': not a whole number",
                "DNSDIG_DNS_CACHE_SIZE='-1': must be between 0 and 10000000",
                "DNSDIG_DNS_CACHE_MAX_TTL_S='0': must be between 1 and 604800"), invalid.problems(), "all at once");
        assertEquals(List.of("DNSDIG_DNS_CACHE_MAX_TTL_S='1d': not a whole number"),
                invalid(Map.of("DNSDIG_DNS_CACHE_MAX_TTL_S", "1d")).problems());
    }
}
