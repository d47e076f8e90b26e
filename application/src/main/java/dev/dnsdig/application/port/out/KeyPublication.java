package dev.dnsdig.application.port.out;

import java.util.Map;

/** Outgoing port through which the built-in issuer publishes its public keys and discovery metadata, and rotates keys. */
public interface KeyPublication {

    /** The JSON Web Key Set (RFC 7517) of every key whose tokens may still be valid. */
    Map<String, Object> jwks();

    /** OpenID Connect discovery metadata, with endpoints under {@code baseUrl}. */
    Map<String, Object> discovery(String baseUrl);

    /** Starts signing with a new key; tokens signed with the previous one stay valid until they expire. Returns its id. */
    String rotate();
}
