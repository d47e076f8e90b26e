package dev.dnsdig.adapters.auth.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jsonwebtoken.security.Jwks;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Key encodings, JWK coordinates and thumbprints, cross-checked with jjwt. */
class EcKeysTest {

    @Test
    void storedEncodingsRoundTrip() {
        KeyPair pair = EcKeys.generate();
        ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
        ECPrivateKey privateKey = (ECPrivateKey) pair.getPrivate();

        assertEquals(publicKey, EcKeys.decodePublic(EcKeys.encodePublic(publicKey)));
        assertEquals(privateKey.getS(), EcKeys.decodePrivate(EcKeys.encodePrivate(privateKey)).getS());
    }

    @Test
    void thumbprintIsRfc7638() {
        for (int i = 0; i < 5; i++) {
            ECPublicKey key = (ECPublicKey) EcKeys.generate().getPublic();
            String expected = Jwks.builder().key(key).idFromThumbprint().build().getId();
            assertEquals(expected, EcKeys.thumbprint(key));
        }
    }

    @Test
    void coordinatesAreExactly32Bytes() {
        assertEquals(43, EcKeys.coordinate(BigInteger.ONE).length());
        assertEquals(1, Base64.getUrlDecoder().decode(EcKeys.coordinate(BigInteger.ONE))[31]);
        BigInteger high = BigInteger.ONE.shiftLeft(255); // toByteArray() gives 33 bytes with a sign byte
        byte[] decoded = Base64.getUrlDecoder().decode(EcKeys.coordinate(high));
        assertEquals(32, decoded.length);
        assertEquals((byte) 0x80, decoded[0]);
    }

    @Test
    void rejectsWhatIsNotAnEcKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair pair = rsa.generateKeyPair();
        String rsaPublic = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        String rsaPrivate = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
        KeyPairGenerator ec384 = KeyPairGenerator.getInstance("EC");
        ec384.initialize(384);
        String p384 = Base64.getEncoder().encodeToString(ec384.generateKeyPair().getPublic().getEncoded());

        assertThrows(IllegalArgumentException.class, () -> EcKeys.decodePublic(rsaPublic));
        assertThrows(IllegalArgumentException.class, () -> EcKeys.decodePrivate(rsaPrivate));
        assertThrows(IllegalArgumentException.class, () -> EcKeys.decodePublic(p384));
        assertThrows(IllegalArgumentException.class, () -> EcKeys.decodePublic("not base64!"));
        assertThrows(IllegalArgumentException.class, () -> EcKeys.decodePrivate("AAAA"));
    }
}
