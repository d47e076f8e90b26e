package dev.dnsdig.application.service;

import dev.dnsdig.application.port.in.DescribeIssuer;
import dev.dnsdig.application.port.out.KeyPublication;
import java.util.Map;

/** Implements issuer description by asking the issuer adapter what it publishes. */
public final class IssuerService implements DescribeIssuer {
    private final KeyPublication publication;

    public IssuerService(KeyPublication publication) {
        this.publication = publication;
    }

    @Override
    public Map<String, Object> jwks() {
        return publication.jwks();
    }

    @Override
    public Map<String, Object> discovery(String baseUrl) {
        return publication.discovery(baseUrl);
    }

    @Override
    public String rotateSigningKey() {
        return publication.rotate();
    }
}
