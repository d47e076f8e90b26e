package dev.dnsdig.adapters.auth.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * mock-oauth2-server on 127.0.0.1 at an ephemeral port, with a key provider the test holds (so a forge can sign
 * with the provider's own key), and the helpers the tests share.
 *
 * <p>Things to know about the mock: it signs RS256 with keys from a file in its jar, the same in every instance,
 * and names the key after the issuer id ({@code kid} = issuer path); its issuer comes from the request's Host
 * header, so it is {@code http://127.0.0.1:port/id} when asked at that address; a callback's claims override the
 * standard ones (iss, aud, iat, exp...) of both id_token and access token; error bodies are lower-cased.
 */
final class MockProvider implements AutoCloseable {
    static final String CLIENT_ID = "dnsdig-web";
    static final String CLIENT_SECRET = "top-secret";
    static final String AUDIENCE = "dnsdig-api";

    final MockOAuth2Server server;
    final KeyProvider keys;
    final String issuerId;
    private boolean running;

    MockProvider(String issuerId) {
        this(issuerId, new KeyProvider());
    }

    MockProvider(String issuerId, KeyProvider keys) {
        this.issuerId = issuerId;
        this.keys = keys;
        this.server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)));
        try {
            // an address with its name given: no reverse lookup, and the mock's own URLs say 127.0.0.1
            server.start(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        running = true;
    }

    String issuer() {
        return issuer(issuerId);
    }

    String issuer(String id) {
        return server.issuerUrl(id).toString();
    }

    int port() {
        return server.baseUrl().port();
    }

    /** An access token minted by the provider (signed with its key for this issuer), as for our API. */
    String accessToken(String subject, Map<String, Object> claims) {
        return accessToken(issuerId, subject, List.of(AUDIENCE), claims);
    }

    String accessToken(String issuerId, String subject, List<String> audience, Map<String, Object> claims) {
        return server.issueToken(issuerId, CLIENT_ID,
                new DefaultOAuth2TokenCallback(issuerId, subject, JOSEObjectType.JWT.getType(), audience, claims, 900L))
                .serialize();
    }

    /** Every request the mock saw since the last call (waits briefly for the last one). */
    List<RecordedRequest> requests() {
        List<RecordedRequest> seen = new ArrayList<>();
        while (true) {
            try {
                seen.add(server.takeRequest(50, TimeUnit.MILLISECONDS));
            } catch (RuntimeException none) {
                return seen;
            }
        }
    }

    static long count(List<RecordedRequest> requests, String pathSuffix) {
        return requests.stream().filter(r -> r.getPath() != null && r.getPath().split("\\?")[0].endsWith(pathSuffix)).count();
    }

    void shutdown() {
        if (running) {
            running = false;
            server.shutdown();
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    /** A provider that rotates its signing key on demand; its JWKS publishes only the current key. */
    static final class RotatingKeys extends KeyProvider {
        private volatile JWK current;

        RotatingKeys(String firstKeyId) {
            super(List.of(), "RS256");
            rotate(firstKeyId);
        }

        void rotate(String keyId) {
            try {
                current = new RSAKeyGenerator(2048).keyID(keyId).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public JWK signingKey(String issuerId) {
            return current;
        }
    }
}
