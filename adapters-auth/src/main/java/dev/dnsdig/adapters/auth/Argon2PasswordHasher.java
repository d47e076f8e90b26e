package dev.dnsdig.adapters.auth;

import dev.dnsdig.application.port.out.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * {@link PasswordHasher} with Argon2id (BouncyCastle) at the OWASP parameters m=19456 KiB, t=2, p=1, a 16-byte
 * random salt and a 32-byte hash, in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded standard base64). Verification reads the
 * parameters from the stored string, so hashes made with other (sane) parameters keep working; the comparison
 * is constant-time. Each hash takes 19 MiB for its duration, so at most {@code maxConcurrent} run at once (the
 * rest wait) and a burst of logins cannot exhaust memory. Passwords are never logged or kept.
 */
public final class Argon2PasswordHasher implements PasswordHasher {
    public static final int MEMORY_KIB = 19_456;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    public static final int SALT_BYTES = 16;
    public static final int HASH_BYTES = 32;

    // limits for parameters read from a stored hash: well above OWASP's, far below what could hurt the server
    private static final int MAX_MEMORY_KIB = 256 * 1024;
    private static final int MAX_ITERATIONS = 16;
    private static final int MAX_PARALLELISM = 16;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration DECOY_DELAY = Duration.ofSeconds(5);

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final Semaphore slots;
    private final FutureTask<String> decoy;

    /** OWASP parameters; at most as many hashes at once as there are processors (at least 2). */
    public Argon2PasswordHasher() {
        this(MEMORY_KIB, ITERATIONS, PARALLELISM, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    Argon2PasswordHasher(int memoryKib, int iterations, int parallelism, int maxConcurrent) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM || memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB
                || iterations < 1 || iterations > MAX_ITERATIONS || maxConcurrent < 1) {
            throw new IllegalArgumentException("Argon2 parameters out of range");
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.slots = new Semaphore(maxConcurrent, true);
        // a hash of a random password nobody knows: checking against it costs what a real check costs. Made in
        // the background once the server has had time to start (made at once, it competed with start-up for the two
        // cores, with the JIT compiling Argon2 on top), or at once by the first login that needs it
        this.decoy = new FutureTask<>(() -> {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            try {
                return hash(B64.encodeToString(secret));
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        });
        Thread.ofVirtual().name("argon2-decoy").start(() -> {
            try {
                Thread.sleep(DECOY_DELAY);
            } catch (InterruptedException e) {
                return;
            }
            decoy.run();
        });
    }

    @Override
    public String hash(String password) {
        if (password == null) {
            throw new IllegalArgumentException("password must not be null");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    @Override
    public boolean matches(String password, String hash) {
        Optional<Phc> phc = Phc.parse(hash);
        if (phc.isEmpty()) {
            return false;
        }
        Phc stored = phc.get();
        byte[] actual = argon2(password == null ? "" : password, stored.salt(), stored.memoryKib(), stored.iterations(),
                stored.parallelism(), stored.hash().length);
        boolean equal = MessageDigest.isEqual(actual, stored.hash());
        Arrays.fill(actual, (byte) 0);
        return equal;
    }

    @Override
    public String decoyHash() {
        decoy.run(); // does nothing once it has run or while it runs elsewhere (then get waits for it)
        try {
            return decoy.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the decoy hash", e);
        }
    }

    private byte[] argon2(String password, byte[] salt, int memory, int passes, int lanes, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(passes)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        slots.acquireUninterruptibly();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(parameters);
            generator.generateBytes(secret, out);
        } finally {
            slots.release();
            Arrays.fill(secret, (byte) 0);
            parameters.clear();
        }
        return out;
    }

    /** A parsed PHC string whose parameters are within bounds. */
    private record Phc(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
        static Optional<Phc> parse(String text) {
            if (text == null) {
                return Optional.empty();
            }
            Matcher m = PHC.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            int memory = Integer.parseInt(m.group(1));
            int passes = Integer.parseInt(m.group(2));
            int lanes = Integer.parseInt(m.group(3));
            if (lanes < 1 || lanes > MAX_PARALLELISM || memory < 8 * lanes || memory > MAX_MEMORY_KIB
                    || passes < 1 || passes > MAX_ITERATIONS) {
                return Optional.empty();
            }
            try {
                byte[] salt = Base64.getDecoder().decode(m.group(4));
                byte[] hash = Base64.getDecoder().decode(m.group(5));
                if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
                    return Optional.empty();
                }
                return Optional.of(new Phc(memory, passes, lanes, salt, hash));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }
}
