package dev.dnsdig.domain.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** One provider's part of a resolution: it answered (any DNS status), or none of its servers did. */
public sealed interface ProviderResult {
    String provider();

    Duration elapsed();

    /**
     * The provider answered; NXDOMAIN, NODATA and SERVFAIL are answers too (REFUSED is not: see {@link Failure#REFUSED}). {@code cached}: served from our cache,
     * with every TTL counted down by the time it was kept there.
     */
    record Answered(String provider, DnsResponse response, boolean cached) implements ProviderResult {
        public Answered {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(response, "response");
        }

        /** An answer that came from upstream just now. */
        public Answered(String provider, DnsResponse response) {
            this(provider, response, false);
        }

        @Override
        public Duration elapsed() {
            return response.elapsed();
        }
    }

    /** No server of the provider gave an answer; {@code servers} are those that were tried. */
    record Failed(String provider, Failure failure, String error, List<UpstreamServer> servers, Duration elapsed)
            implements ProviderResult {
        public Failed {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(error, "error");
            servers = List.copyOf(servers);
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    /** Why a provider gave no answer. */
    enum Failure {
        /** No answer before the per-query timeout or the request's deadline. */
        TIMEOUT,
        /** The server could not be reached (port closed, network unreachable). */
        UNREACHABLE,
        /** Something answered, but not a usable DNS message. */
        BAD_RESPONSE,
        /**
         * Every server that answered said REFUSED: it will not answer this question to us (not a zone it serves, or
         * not a client it serves), which says nothing about the name, so it is no answer.
         */
        REFUSED
    }
}
