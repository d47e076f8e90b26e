package dev.dnsdig.application.port.in;

import java.util.Map;

/** Use case: publish how to verify our tokens (JWKS) and where our endpoints are (discovery). */
public interface DescribeIssuer {
    Map<String, Object> jwks();

    Map<String, Object> discovery(String baseUrl);
}
