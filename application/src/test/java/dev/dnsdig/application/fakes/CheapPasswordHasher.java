package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A fast salted SHA-256 {@link PasswordHasher} for tests, where Argon2id's deliberate cost only slows things down. */
public final class CheapPasswordHasher implements PasswordHasher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String decoy = hash("decoy-" + RANDOM.nextLong());

    @Override
    public String hash(String password) {
        byte[] salt = new byte[8];
        RANDOM.nextBytes(salt);
        String saltHex = HexFormat.of().formatHex(salt);
        return "cheap$" + saltHex + "$" + digest(saltHex, password);
    }

    @Override
    public boolean matches(String password, String hash) {
        String[] parts = hash.split("\\$");
        return parts.length == 3 && parts[0].equals("cheap")
                && MessageDigest.isEqual(parts[2].getBytes(StandardCharsets.UTF_8),
                digest(parts[1], password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String decoyHash() {
        return decoy;
    }

    private static String digest(String salt, String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((salt + ":" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
