package dev.dnsdig.application.port.in;

import java.util.Map;

/** Use case: publish how to verify our tokens (JWKS) and where our endpoints are (discovery); rotate the signing key. */
public interface DescribeIssuer {
    Map<String, Object> jwks();

    Map<String, Object> discovery(String baseUrl);

    /** Rotates the signing key (administrators); returns the new key id. */
    String rotateSigningKey();
}
