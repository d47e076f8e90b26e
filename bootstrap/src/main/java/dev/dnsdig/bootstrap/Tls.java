package dev.dnsdig.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;

/**
 * The HTTPS listener's key material: a PKCS12 keystore from the operator, or a self-signed certificate made at start
 * for development; and the TLS settings the listener's engines get.
 */
final class Tls {
    /**
     * TLS 1.2 and 1.3 only: older versions are broken or deprecated (RFC 8996), and HTTP/2 needs 1.2 at least
     * (RFC 9113 §9.2).
     */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** How long a development certificate is valid: it is made afresh at every start, so a week is plenty. */
    static final Duration DEVELOPMENT_VALIDITY = Duration.ofDays(7);
    private static final String ALIAS = "dnsdig";

    /** The private key and certificate chain the listener presents, with the keystore they were read from. */
    record KeyMaterial(KeyStore keyStore, char[] password, X509Certificate certificate) {
        /** The SHA-256 fingerprint of the certificate, {@code AA:BB:...}, as browsers and {@code openssl} show it. */
        String fingerprint() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
                return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is missing from this JDK", e);
            }
        }

        /** The certificate in PEM, for {@code curl --cacert}. */
        String certificatePem() {
            try {
                return "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                                .encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "KeyMaterial[" + certificate.getSubjectX500Principal() + ", password ***]";
        }
    }

    private Tls() {
    }

    /**
     * Reads a PKCS12 keystore and checks that it holds exactly what a server needs: one private key with its
     * certificate, readable with the password. Every failure is an {@link IllegalArgumentException} whose message
     * says which, for the configuration report.
     */
    static KeyMaterial load(Path file, char[] password) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("not readable by this process");
        }
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException e) {
            // the JDK reports a wrong password as an IOException caused by UnrecoverableKeyException
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("wrong password (DNSDIG_TLS_KEYSTORE_PASSWORD)");
            }
            throw new IllegalArgumentException("not a PKCS12 keystore, or a wrong password (DNSDIG_TLS_KEYSTORE_PASSWORD)");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable PKCS12 keystore (" + e.getClass().getSimpleName() + ")");
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new IllegalArgumentException("must hold exactly one private key with its certificate chain, holds "
                        + keys.size());
            }
            if (!(store.getKey(keys.getFirst(), password) instanceof PrivateKey)
                    || !(store.getCertificate(keys.getFirst()) instanceof X509Certificate certificate)) {
                throw new IllegalArgumentException("its key entry lacks a private key or an X.509 certificate");
            }
            return new KeyMaterial(store, password.clone(), certificate);
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("the private key's password differs from the keystore's");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable PKCS12 keystore (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * A self-signed EC P-256 certificate for {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the listening
     * address (unless it is a wildcard one), valid for {@link #DEVELOPMENT_VALIDITY}: good for trying HTTPS and HTTP/2
     * locally, never for production.
     */
    static KeyMaterial selfSigned(String host, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=localhost, O=DNSDig development certificate");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), // a client clock a little behind still accepts it
                    Date.from(now.plus(DEVELOPMENT_VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(host))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            char[] password = new char[0]; // never written anywhere: the key lives in this process only
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            store.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[] {certificate});
            return new KeyMaterial(store, password, certificate);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a development certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralNames subjectAltNames(String host) throws IOException {
        Set<String> addresses = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        if (!InetAddress.getByName(host).isAnyLocalAddress()) { // an IP literal (Config checked): no lookup
            addresses.add(host);
        }
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        addresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /**
     * Server-side engines with TLS 1.2 and 1.3 only and, for 1.2, only forward-secret AEAD suites: HTTP/2 refuses
     * the others (RFC 9113 appendix A), and Grizzly would end such a connection with INADEQUATE_SECURITY after the
     * handshake instead of never offering them.
     */
    static SSLEngineConfigurator engines(KeyMaterial keys) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(keys).getKeyManagers(), null, null);
            SSLEngineConfigurator engines = new SSLEngineConfigurator(context, false, false, false);
            engines.setEnabledProtocols(PROTOCOLS.toArray(String[]::new));
            engines.setEnabledCipherSuites(cipherSuites(context.getSupportedSSLParameters().getCipherSuites()));
            return engines;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The key and certificate chain as JSSE hands them to a TLS engine (Grizzly's, or Netty's for DoH). */
    static KeyManagerFactory keyManagers(KeyMaterial keys) throws GeneralSecurityException {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys.keyStore(), keys.password());
        return keyManagers;
    }

    /** TLS 1.3's suites (all AEAD) and TLS 1.2's ECDHE suites with AES-GCM or ChaCha20-Poly1305. */
    static String[] cipherSuites(String[] supported) {
        List<String> suites = new ArrayList<>();
        for (String suite : supported) {
            String name = suite.toUpperCase(Locale.ROOT);
            boolean tls13 = name.startsWith("TLS_AES_") || name.startsWith("TLS_CHACHA20_");
            boolean aeadEcdhe = name.startsWith("TLS_ECDHE_") && (name.contains("_GCM_") || name.contains("CHACHA20_POLY1305"));
            if (tls13 || aeadEcdhe) {
                suites.add(suite);
            }
        }
        return suites.toArray(String[]::new);
    }
}
