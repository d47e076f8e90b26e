package dev.dnsdig.bootstrap;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code java -jar dnsdig.jar [--help | --version]} starts the server. */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 64;
    static final int EXIT_CONFIG = 2;
    static final int EXIT_START = 1;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Logging.configure();
        int code = run(args, System.getenv(), Path.of(".env"), System.out, System.err);
        if (code != EXIT_OK) {
            System.exit(code);
        }
    }

    /** Starts the server and blocks until SIGTERM or SIGINT; returns the exit code when it cannot start. */
    static int run(String[] args, Map<String, String> environment, Path envFile, PrintStream out, PrintStream err)
            throws InterruptedException {
        if (args.length > 0) {
            switch (args[0]) {
                case "--help", "-h" -> {
                    out.print(usage());
                    return EXIT_OK;
                }
                case "--version" -> {
                    out.println("dnsdig " + version());
                    return EXIT_OK;
                }
                case "--aot-training" -> {
                    try {
                        return AotTraining.run();
                    } catch (java.io.IOException | RuntimeException e) {
                        err.println("dnsdig: AOT training failed: " + e.getMessage());
                        return EXIT_START;
                    }
                }
                default -> {
                    err.println("dnsdig: unknown argument '" + args[0] + "'");
                    err.print(usage());
                    return EXIT_USAGE;
                }
            }
        }
        Config config;
        try {
            config = Config.from(EnvFile.merged(envFile, environment));
        } catch (Config.Invalid e) {
            err.println("dnsdig: invalid configuration:");
            e.problems().forEach(problem -> err.println("  " + problem));
            return EXIT_CONFIG;
        }
        DnsDigServer server;
        try {
            server = DnsDigServer.start(config);
        } catch (RuntimeException e) {
            err.println("dnsdig: cannot start: " + e.getMessage());
            return EXIT_START;
        }
        out.println("dnsdig " + version() + " listening on " + server.baseUri()
                + server.httpsBaseUri().map(https -> " and " + https).orElse("")
                + server.dohBaseUri().map(doh -> " and DNS-over-HTTPS on " + doh + "/dns-query").orElse("") + " (providers: "
                + config.providers().stream().map(p -> p.name()).toList() + "; DNSSEC: "
                + config.dnssec().map(Object::toString).orElse("off") + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("dnsdig: stopping, draining in-flight requests");
            server.close();
            Logging.flush(); // halt runs no other shutdown hook: the queued log lines go out first
            out.println("dnsdig: stopped");
            stopped.countDown();
            // SIGTERM is how operators stop us: a clean drain is a successful exit, not 143
            Runtime.getRuntime().halt(EXIT_OK);
        }, "shutdown"));
        stopped.await();
        return EXIT_OK;
    }

    static String usage() {
        StringBuilder text = new StringBuilder("""
                Usage: java -jar dnsdig.jar [--help | --version | --aot-training]

                Starts the DNSDig HTTP server. Configuration comes from environment variables,
                or from a .env file in the working directory (the environment wins):

                """);
        for (Config.Variable variable : Config.Variable.values()) {
            text.append("  ").append(variable.name()).append("\n      ").append(variable.meaning())
                    .append("\n      default: ").append(variable.defaultValue()).append('\n');
        }
        return text.toString();
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
