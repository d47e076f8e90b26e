package dev.dnsdig.application.port.out;

/** Outgoing port for slow password hashing (Argon2id); the hash string carries its own parameters and salt. */
public interface PasswordHasher {

    String hash(String password);

    boolean matches(String password, String hash);

    /**
     * A valid hash of no one's password: verifying against it when the user does not exist costs the same as a
     * real check, so response times do not tell which e-mail addresses have accounts.
     */
    String decoyHash();
}
