package dev.dnsdig.adapters.auth.jwt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * EC P-256 keys for ES256: generation, the stored encodings (PKCS#8 / X.509 in base64), their JWK form and the
 * RFC 7638 thumbprint used as key id.
 */
public final class EcKeys {
    /** The JOSE name of the one signing algorithm the built-in issuer uses. */
    public static final String ES256 = "ES256";
    private static final int COORDINATE_BYTES = 32;

    private EcKeys() {
    }

    /** A fresh P-256 key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation is part of every JDK", e);
        }
    }

    /** Base64 of the PKCS#8 encoding, the form the key store keeps. */
    public static String encodePrivate(ECPrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Base64 of the X.509 (SubjectPublicKeyInfo) encoding, the form the key store keeps. */
    public static String encodePublic(ECPublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** @throws IllegalArgumentException when the text is not a base64 PKCS#8 EC private key */
    public static ECPrivateKey decodePrivate(String base64Pkcs8) {
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64Pkcs8)));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not a PKCS#8 EC private key", e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a base64 X.509 EC public key on P-256 */
    public static ECPublicKey decodePublic(String base64X509) {
        try {
            ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64X509)));
            if (key.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("not a P-256 key");
            }
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an X.509 EC public key", e);
        }
    }

    /** The public JWK (RFC 7517/7518): kty, crv, x, y, kid, use, alg; never a private part. */
    public static Map<String, Object> publicJwk(ECPublicKey key, String keyId) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("x", coordinate(key.getW().getAffineX()));
        jwk.put("y", coordinate(key.getW().getAffineY()));
        jwk.put("kid", keyId);
        jwk.put("use", "sig");
        jwk.put("alg", ES256);
        return jwk;
    }

    /** The RFC 7638 JWK thumbprint (SHA-256, base64url): a key id that every party can recompute from the key. */
    public static String thumbprint(ECPublicKey key) {
        // the required members in lexicographic order, no whitespace (RFC 7638 section 3.2)
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + coordinate(key.getW().getAffineX())
                + "\",\"y\":\"" + coordinate(key.getW().getAffineY()) + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A curve coordinate as base64url of exactly 32 big-endian bytes (RFC 7518 section 6.2.1.2). */
    static String coordinate(BigInteger value) {
        byte[] raw = value.toByteArray(); // may carry a leading sign byte, or be shorter than 32 bytes
        byte[] fixed = new byte[COORDINATE_BYTES];
        int length = Math.min(raw.length, COORDINATE_BYTES);
        System.arraycopy(raw, raw.length - length, fixed, COORDINATE_BYTES - length, length);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
        Arrays.fill(raw, (byte) 0);
        return encoded;
    }
}
