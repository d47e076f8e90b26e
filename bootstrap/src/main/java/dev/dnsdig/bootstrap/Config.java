package dev.dnsdig.bootstrap;

import dev.dnsdig.adapters.dns.TrustAnchors;
import dev.dnsdig.adapters.rest.observe.MetricsAccess;
import dev.dnsdig.adapters.rest.ratelimit.RateLimits;
import dev.dnsdig.adapters.rest.ratelimit.TrustedProxies;
import dev.dnsdig.application.port.in.LimitRequests.Policy;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.DnsProvider;
import dev.dnsdig.domain.dns.UpstreamServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole configuration, read from environment variables (and an optional {@code .env} file beneath them).
 * Every invalid value is collected, so an operator sees all problems in one start, one line each.
 */
public record Config(String httpHost, int httpPort, List<DnsProvider> providers, Duration dnsTimeout,
                     Duration dnsDeadline, DnsCache dnsCache, Optional<TrustAnchors> dnssec, Duration shutdownGrace, Capacity capacity,
                     Optional<String> mongoUri,
                     Path dataDir, Set<String> adminEmails, String publicUrl, Duration accessTokenLifetime,
                     Duration refreshTokenLifetime, Optional<Oidc> oidc, RateLimits rateLimits,
                     MetricsAccess metrics, Set<String> corsOrigins, Optional<Https> https) {

    /**
     * The TLS listeners (HTTP/2 by ALPN, HTTP/1.1 beside it) on the HTTP host: the API's on {@code port}, the dedicated
     * DNS-over-HTTPS one on {@code dohPort}, at least one of them; with the key and certificate of a PKCS12
     * {@code keystore}, or with none a self-signed development certificate made at start.
     */
    public record Https(OptionalInt port, OptionalInt dohPort, Optional<Path> keystore, String password) {
        /** The operator's key material, read again: {@link Config#from} checked it is readable. */
        Optional<Tls.KeyMaterial> keys() {
            return keystore.map(file -> {
                try {
                    return Tls.load(file, password.toCharArray());
                } catch (IllegalArgumentException e) { // changed since: said as the configuration check says it
                    throw new IllegalStateException(Variable.DNSDIG_TLS_KEYSTORE.name() + "='" + file + "': " + e.getMessage());
                }
            });
        }

        @Override
        public String toString() {
            return "Https[port " + port + ", doh " + dohPort + ", " + keystore.map(Path::toString).orElse("self-signed") + ", password ***]";
        }
    }

    /** The answer cache: at most {@code size} answers (0: no cache), none kept longer than {@code maximumTtl}. */
    public record DnsCache(int size, Duration maximumTtl) {
        public boolean enabled() {
            return size > 0;
        }
    }

    /**
     * What the server takes on at once before it refuses more: {@code maxInFlight} API requests being worked on (more
     * are answered 503 at once) and {@code maxConnections} open connections (more are closed as they arrive).
     */
    public record Capacity(int maxInFlight, int maxConnections) {
    }

    /** An OpenID Connect provider to sign in with (Kinde, Auth0, Keycloak, ...). */
    public record Oidc(String name, String issuer, String clientId, String clientSecret, String redirectUri, String scopes,
                       Optional<String> audience, Duration timeout) {
        @Override
        public String toString() {
            return "Oidc[" + name + ", " + issuer + ", client " + clientId + ", secret ***]";
        }
    }

    /** The same configuration with a different database and data directory (tests, embedding). */
    public Config withStorage(Optional<String> newMongoUri, Path newDataDir) {
        return new Config(httpHost, httpPort, providers, dnsTimeout, dnsDeadline, dnsCache, dnssec, shutdownGrace, capacity, newMongoUri,
                newDataDir, adminEmails, publicUrl, accessTokenLifetime, refreshTokenLifetime, oidc, rateLimits, metrics, corsOrigins,
                https);
    }

    /** The variables the service reads, with their defaults and meaning, in the order the README lists them. */
    public enum Variable {
        DNSDIG_HTTP_HOST("127.0.0.1", "address the HTTP server listens on (0.0.0.0 for all IPv4 interfaces)"),
        DNSDIG_HTTP_PORT("8080", "HTTP port, 1-65535 (0 picks a free port and logs it)"),
        DNSDIG_HTTPS_PORT("", "HTTPS port (HTTP/2 by ALPN, and HTTP/1.1), on the HTTP host, 0-65535 (0: a free port); empty: no HTTPS"),
        DNSDIG_DOH_PORT("", "port of the dedicated DNS-over-HTTPS listener (/dns-query only, HTTP/2 and HTTP/1.1), on the HTTP"
                + " host, 0-65535 (0: a free port); empty: none"),
        DNSDIG_TLS_KEYSTORE("", "PKCS12 file with the HTTPS key and certificate chain; empty: a self-signed development certificate"),
        DNSDIG_TLS_KEYSTORE_PASSWORD("", "the password of DNSDIG_TLS_KEYSTORE (and of its key)"),
        DNSDIG_DNS_PROVIDERS(
                "cloudflare=1.1.1.1,1.0.0.1,[2606:4700:4700::1111],[2606:4700:4700::1001];"
                        + "google=8.8.8.8,8.8.4.4,[2001:4860:4860::8888],[2001:4860:4860::8844];"
                        + "quad9=9.9.9.9,149.112.112.112,[2620:fe::fe],[2620:fe::9]",
                "upstream providers: name=server,server;name=... (IPv6 in brackets, optional :port)"),
        DNSDIG_DNS_TIMEOUT_MS("2000", "how long one upstream server may take to answer, in milliseconds"),
        DNSDIG_DNS_DEADLINE_MS("5000", "how long one API request may spend on DNS in all, in milliseconds"),
        DNSDIG_DNS_CACHE_SIZE("10000", "how many DNS answers are kept in memory at most, 0-10000000 (0: no cache)"),
        DNSDIG_DNS_CACHE_MAX_TTL_S("86400", "the longest a DNS answer is kept, in seconds, whatever its TTL (1-604800)"),
        DNSDIG_DNSSEC_TRUST_ANCHORS("root", "DNSSEC validation of /dns-query and /resolve answers from these anchors: root"
                + " (IANA's root KSKs 20326 and 38696), a file of DS/DNSKEY records, records inline separated by ';',"
                + " or off"),
        DNSDIG_SHUTDOWN_GRACE_MS("10000", "on SIGTERM, how long in-flight requests may take to finish"),
        DNSDIG_MAX_IN_FLIGHT("256/cpu", "API requests worked on at once: N, or N/cpu for N per processor (1-1000000 in"
                + " all); more are answered 503 (overloaded) at once"),
        DNSDIG_MAX_CONNECTIONS("10000", "open client connections, 1-1000000; more are closed as they arrive"),
        DNSDIG_MONGODB_URI("", "MongoDB connection string; empty: the embedded Mongo-wire store in DNSDIG_DATA_DIR"),
        DNSDIG_DATA_DIR("./data", "where the embedded store keeps its file"),
        DNSDIG_ADMIN_EMAILS("", "comma-separated e-mail addresses that get admin:users when they sign up"),
        DNSDIG_PUBLIC_URL("http://127.0.0.1:8080", "the URL clients reach this server at; the issuer of our tokens"),
        DNSDIG_ACCESS_TOKEN_TTL_S("900", "lifetime of access tokens, in seconds"),
        DNSDIG_REFRESH_TOKEN_TTL_DAYS("30", "lifetime of refresh tokens, in days"),
        DNSDIG_OIDC_ISSUER("", "OpenID Connect issuer URL (e.g. https://you.kinde.com); empty: no external login"),
        DNSDIG_OIDC_CLIENT_ID("", "the client id registered at the provider (required with an issuer)"),
        DNSDIG_OIDC_CLIENT_SECRET("", "the client secret registered at the provider (required with an issuer)"),
        DNSDIG_OIDC_REDIRECT_URI("", "callback URL registered at the provider; empty: DNSDIG_PUBLIC_URL/v1/auth/callback/NAME"),
        DNSDIG_OIDC_SCOPES("openid profile email offline_access", "scopes asked for at login"),
        DNSDIG_OIDC_AUDIENCE("", "API audience of provider-issued access tokens we accept; empty: accept none"),
        DNSDIG_OIDC_NAME("oidc", "the provider's name in paths and stored identities"),
        DNSDIG_OIDC_TIMEOUT_MS("3000", "how long one HTTP call to the provider may take, connecting included, in milliseconds"),
        DNSDIG_RATELIMIT_ANONYMOUS("30/60s", "requests per window of one anonymous client address (N/Ds; off: no limit)"),
        DNSDIG_RATELIMIT_USER("600/60s", "requests per window of one signed-in user (N/Ds; off: no limit)"),
        DNSDIG_RATELIMIT_LOGIN("10/60s", "sign-ups and logins per window, per client address and per account (N/Ds; off: no limit)"),
        DNSDIG_TRUSTED_PROXIES("", "comma-separated IPs or CIDR blocks of proxies whose X-Forwarded-For names the client"),
        DNSDIG_METRICS("loopback", "who may read /metrics: loopback (this host, not through a proxy), open (anyone) or off"),
        DNSDIG_CORS_ORIGINS("", "comma-separated origins (https://app.example.com) whose web pages may call the API; empty: none");

        private final String defaultValue;
        private final String meaning;

        Variable(String defaultValue, String meaning) {
            this.defaultValue = defaultValue;
            this.meaning = meaning;
        }

        public String defaultValue() {
            return defaultValue;
        }

        public String meaning() {
            return meaning;
        }
    }

    /** Raised with every problem found; the message has one line per problem. */
    public static final class Invalid extends RuntimeException {
        private final List<String> problems;

        Invalid(List<String> problems) {
            super(String.join(System.lineSeparator(), problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static Config from(Map<String, String> values) {
        Reader reader = new Reader(values);
        String host = reader.read(Variable.DNSDIG_HTTP_HOST, Config::host);
        Integer port = reader.read(Variable.DNSDIG_HTTP_PORT, text -> range(integer(text), 0, 65535));
        Optional<Https> https = https(reader, port);
        List<DnsProvider> providers = reader.read(Variable.DNSDIG_DNS_PROVIDERS, Config::providers);
        Integer timeout = reader.read(Variable.DNSDIG_DNS_TIMEOUT_MS, text -> range(integer(text), 1, 60_000));
        Integer deadline = reader.read(Variable.DNSDIG_DNS_DEADLINE_MS, text -> range(integer(text), 1, 120_000));
        Integer cacheSize = reader.read(Variable.DNSDIG_DNS_CACHE_SIZE, text -> range(integer(text), 0, 10_000_000));
        Integer cacheMaxTtl = reader.read(Variable.DNSDIG_DNS_CACHE_MAX_TTL_S, text -> range(integer(text), 1, 604_800));
        Optional<TrustAnchors> dnssec = reader.read(Variable.DNSDIG_DNSSEC_TRUST_ANCHORS,
                text -> text.equalsIgnoreCase("off") ? Optional.<TrustAnchors>empty() : Optional.of(TrustAnchors.parse(text)));
        Integer grace = reader.read(Variable.DNSDIG_SHUTDOWN_GRACE_MS, text -> range(integer(text), 0, 300_000));
        Integer maxInFlight = reader.read(Variable.DNSDIG_MAX_IN_FLIGHT, text -> range(perProcessor(text), 1, 1_000_000));
        Integer maxConnections = reader.read(Variable.DNSDIG_MAX_CONNECTIONS, text -> range(integer(text), 1, 1_000_000));
        Optional<String> mongoUri = reader.read(Variable.DNSDIG_MONGODB_URI, Config::mongoUri);
        Path dataDir = reader.read(Variable.DNSDIG_DATA_DIR, text -> Path.of(text));
        Set<String> adminEmails = reader.read(Variable.DNSDIG_ADMIN_EMAILS, Config::emails);
        String publicUrl = reader.read(Variable.DNSDIG_PUBLIC_URL, Config::url);
        Integer accessTtl = reader.read(Variable.DNSDIG_ACCESS_TOKEN_TTL_S, text -> range(integer(text), 30, 86_400));
        Integer refreshDays = reader.read(Variable.DNSDIG_REFRESH_TOKEN_TTL_DAYS, text -> range(integer(text), 1, 365));
        // kept exactly as given: iss is compared character by character, and Auth0's ends in '/'
        Optional<String> oidcIssuer = reader.read(Variable.DNSDIG_OIDC_ISSUER, text -> {
            if (text.isEmpty()) {
                return Optional.<String>empty();
            }
            url(text);
            return Optional.of(text);
        });
        String oidcClientId = reader.read(Variable.DNSDIG_OIDC_CLIENT_ID, text -> text);
        String oidcSecret = reader.read(Variable.DNSDIG_OIDC_CLIENT_SECRET, text -> text);
        String oidcRedirect = reader.read(Variable.DNSDIG_OIDC_REDIRECT_URI, text -> text.isEmpty() ? "" : url(text));
        String oidcScopes = reader.read(Variable.DNSDIG_OIDC_SCOPES, text -> {
            if (!(" " + text + " ").contains(" openid ")) {
                throw new IllegalArgumentException("must include 'openid'");
            }
            return text;
        });
        Optional<String> oidcAudience = reader.read(Variable.DNSDIG_OIDC_AUDIENCE, text -> text.isEmpty() ? Optional.<String>empty() : Optional.of(text));
        String oidcName = reader.read(Variable.DNSDIG_OIDC_NAME, text -> {
            if (!text.matches("[a-z0-9][a-z0-9-]{0,31}")) {
                throw new IllegalArgumentException("must be 1-32 lower-case letters, digits or '-'");
            }
            return text;
        });
        Integer oidcTimeout = reader.read(Variable.DNSDIG_OIDC_TIMEOUT_MS, text -> range(integer(text), 100, 30_000));
        Optional<Policy> anonymousLimit = reader.read(Variable.DNSDIG_RATELIMIT_ANONYMOUS, text -> policy("anonymous", text));
        Optional<Policy> userLimit = reader.read(Variable.DNSDIG_RATELIMIT_USER, text -> policy("user", text));
        Optional<Policy> loginLimit = reader.read(Variable.DNSDIG_RATELIMIT_LOGIN, text -> policy("login", text));
        TrustedProxies trustedProxies = reader.read(Variable.DNSDIG_TRUSTED_PROXIES, TrustedProxies::parse);
        MetricsAccess metrics = reader.read(Variable.DNSDIG_METRICS, Config::metricsAccess);
        Set<String> corsOrigins = reader.read(Variable.DNSDIG_CORS_ORIGINS, Config::origins);
        Optional<Oidc> oidc = Optional.empty();
        if (oidcIssuer != null && oidcIssuer.isPresent()) {
            if (oidcClientId != null && oidcClientId.isEmpty()) {
                reader.problems.add("DNSDIG_OIDC_CLIENT_ID: required when DNSDIG_OIDC_ISSUER is set");
            }
            if (oidcSecret != null && oidcSecret.isEmpty()) {
                reader.problems.add("DNSDIG_OIDC_CLIENT_SECRET: required when DNSDIG_OIDC_ISSUER is set");
            }
            if (reader.problems.isEmpty()) {
                String redirect = oidcRedirect.isEmpty() ? publicUrl + "/v1/auth/callback/" + oidcName : oidcRedirect;
                oidc = Optional.of(new Oidc(oidcName, oidcIssuer.get(), oidcClientId, oidcSecret, redirect, oidcScopes, oidcAudience,
                        Duration.ofMillis(oidcTimeout)));
            }
        }
        if (timeout != null && deadline != null && deadline < timeout) {
            reader.problems.add("DNSDIG_DNS_DEADLINE_MS (" + deadline + ") must not be below DNSDIG_DNS_TIMEOUT_MS ("
                    + timeout + ")");
        }
        if (!reader.problems.isEmpty()) {
            throw new Invalid(reader.problems);
        }
        return new Config(host, port, providers, Duration.ofMillis(timeout), Duration.ofMillis(deadline),
                new DnsCache(cacheSize, Duration.ofSeconds(cacheMaxTtl)), dnssec, Duration.ofMillis(grace),
                new Capacity(maxInFlight, maxConnections), mongoUri, dataDir,
                adminEmails, publicUrl, Duration.ofSeconds(accessTtl), Duration.ofDays(refreshDays), oidc, new RateLimits(anonymousLimit, userLimit, loginLimit, trustedProxies),
                metrics, corsOrigins, https);
    }

    /**
     * The TLS listeners when either has a port; the keystore, when one is named, is opened now so that it cannot fail
     * later.
     */
    private static Optional<Https> https(Reader reader, Integer httpPort) {
        Integer port = reader.read(Variable.DNSDIG_HTTPS_PORT, text -> text.isEmpty() ? null : range(integer(text), 0, 65535));
        Integer dohPort = reader.read(Variable.DNSDIG_DOH_PORT, text -> text.isEmpty() ? null : range(integer(text), 0, 65535));
        // as given, not trimmed like the other values: a space may belong to a password
        String password = reader.values.getOrDefault(Variable.DNSDIG_TLS_KEYSTORE_PASSWORD.name(), "");
        Optional<Path> keystore = reader.read(Variable.DNSDIG_TLS_KEYSTORE, text -> {
            if (text.isEmpty()) {
                return Optional.<Path>empty();
            }
            Path file = Path.of(text);
            Tls.load(file, password.toCharArray());
            return Optional.of(file);
        });
        if (port == null && dohPort == null) {
            boolean portInvalid = reader.problems.stream().anyMatch(p -> p.startsWith(Variable.DNSDIG_HTTPS_PORT.name())
                    || p.startsWith(Variable.DNSDIG_DOH_PORT.name()));
            if (keystore != null && keystore.isPresent() && !portInvalid) {
                reader.problems.add("DNSDIG_TLS_KEYSTORE: set, but there is no HTTPS listener without DNSDIG_HTTPS_PORT"
                        + " or DNSDIG_DOH_PORT");
            }
            return Optional.empty();
        }
        if (port != null && port != 0 && port.equals(httpPort)) {
            reader.problems.add("DNSDIG_HTTPS_PORT (" + port + ") must differ from DNSDIG_HTTP_PORT");
        }
        if (dohPort != null && dohPort != 0 && (dohPort.equals(httpPort) || dohPort.equals(port))) {
            reader.problems.add("DNSDIG_DOH_PORT (" + dohPort + ") must differ from DNSDIG_HTTP_PORT and DNSDIG_HTTPS_PORT");
        }
        return keystore == null ? Optional.empty() : Optional.of(new Https(
                port == null ? OptionalInt.empty() : OptionalInt.of(port),
                dohPort == null ? OptionalInt.empty() : OptionalInt.of(dohPort), keystore, password));
    }

    private static final Pattern POLICY = Pattern.compile("([0-9]{1,10})/([0-9]{1,6})([smh])");

    private static final class Reader {
        private final Map<String, String> values;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> values) {
            this.values = values;
        }

        <T> T read(Variable variable, Function<String, T> parse) {
            String text = values.get(variable.name());
            if (text == null || text.isBlank()) {
                text = variable.defaultValue();
            }
            if (text.isEmpty()) {
                return parse.apply(text); // optional variables: empty means "not set"
            }
            try {
                return parse.apply(text.trim());
            } catch (IllegalArgumentException e) {
                problems.add(variable.name() + "='" + text + "': " + e.getMessage());
                return null;
            }
        }
    }

    private static int integer(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }

    private static final Pattern PER_PROCESSOR = Pattern.compile("([0-9]{1,7})/cpu");

    /**
     * {@code N}, or {@code N/cpu}: N for every processor this JVM may use (its container's share, when it has one), for
     * what scales with the CPU the server has.
     */
    static int perProcessor(String text) {
        Matcher m = PER_PROCESSOR.matcher(text);
        if (!m.matches()) {
            try {
                return integer(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be a whole number, or N/cpu for N per processor");
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(m.group(1)) * Runtime.getRuntime().availableProcessors());
    }

    private static int range(int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return value;
    }

    private static String host(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (literal.equals("localhost")) {
            return "127.0.0.1";
        }
        try {
            return new UpstreamServer(literal, 1).address();
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException("must be an IP address literal such as 127.0.0.1, 0.0.0.0 or ::");
        }
    }

    /** {@code 30/60s}: at most 30 requests per 60 seconds ({@code m}, {@code h}: minutes, hours); {@code off}: none. */
    static Optional<Policy> policy(String name, String text) {
        if (text.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        Matcher m = POLICY.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be N/Ds such as 30/60s (N requests per D seconds; m or h for minutes"
                    + " or hours), or off");
        }
        Duration window = Duration.ofSeconds(Long.parseLong(m.group(2)))
                .multipliedBy(m.group(3).equals("h") ? 3600 : m.group(3).equals("m") ? 60 : 1);
        if (window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the window must be between 1 second and 1 day");
        }
        return Optional.of(new Policy(name, range(integer(m.group(1)), 1, 1_000_000_000), window));
    }

    /**
     * Exact origins as a browser sends them in {@code Origin}: lower-case scheme and host, the port only when not the
     * scheme's default, no path. Never {@code *}: every origin allowed is named.
     */
    static Set<String> origins(String text) {
        Set<String> origins = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String origin = part.strip();
            if (origin.isEmpty()) {
                continue;
            }
            try {
                java.net.URI uri = new java.net.URI(origin.replaceAll("/$", ""));
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null
                        || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new java.net.URISyntaxException(origin, "not an origin");
                }
                int port = uri.getPort();
                boolean defaultPort = port == -1 || port == (scheme.equals("https") ? 443 : 80);
                origins.add(scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("'" + origin + "' is not an origin such as https://app.example.com"
                        + " (scheme, host and optional port; '*' is not allowed)");
            }
        }
        return Set.copyOf(origins);
    }

    private static MetricsAccess metricsAccess(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "loopback" -> MetricsAccess.LOOPBACK;
            case "open" -> MetricsAccess.OPEN;
            case "off" -> MetricsAccess.OFF;
            default -> throw new IllegalArgumentException("must be loopback, open or off");
        };
    }

    private static Optional<String> mongoUri(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!text.startsWith("mongodb://") && !text.startsWith("mongodb+srv://")) {
            throw new IllegalArgumentException("must start with mongodb:// or mongodb+srv://");
        }
        return Optional.of(text);
    }

    private static Set<String> emails(String text) {
        Set<String> emails = new java.util.TreeSet<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                emails.add(new dev.dnsdig.domain.user.Email(part.strip()).normalized());
            } catch (InvalidValueException e) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not an e-mail address");
            }
        }
        return Set.copyOf(emails);
    }

    private static String url(String text) {
        try {
            java.net.URI uri = new java.net.URI(text);
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("must be an http(s) URL such as https://dnsdig.example.com");
            }
            return text.replaceAll("/+$", "");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("must be an http(s) URL such as https://dnsdig.example.com");
        }
    }

    /** {@code name=server,server;name=server}: names unique, every server an IP literal with optional port. */
    static List<DnsProvider> providers(String text) {
        List<DnsProvider> providers = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 0) {
                errors.add("'" + entry.trim() + "' lacks 'name=' before its servers");
                continue;
            }
            String name = entry.substring(0, equals).trim();
            if (!names.add(name)) {
                errors.add("provider '" + name + "' is named twice");
                continue;
            }
            Map<String, UpstreamServer> servers = new LinkedHashMap<>();
            for (String spec : entry.substring(equals + 1).split(",")) {
                if (spec.isBlank()) {
                    continue;
                }
                try {
                    UpstreamServer server = UpstreamServer.parse(spec);
                    servers.putIfAbsent(server.toString(), server);
                } catch (InvalidValueException e) {
                    errors.add("provider '" + name + "': " + e.getMessage());
                }
            }
            try {
                providers.add(new DnsProvider(name, List.copyOf(servers.values())));
            } catch (InvalidValueException e) {
                errors.add(e.getMessage());
            }
        }
        if (providers.isEmpty() && errors.isEmpty()) {
            errors.add("no provider given");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return List.copyOf(providers);
    }
}
