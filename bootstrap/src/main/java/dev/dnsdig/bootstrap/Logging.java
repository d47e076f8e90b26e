package dev.dnsdig.bootstrap;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** One JSON object per log record on stderr; Grizzly's and Jersey's chatter kept to warnings. */
final class Logging {
    // held on purpose: java.util.logging keeps loggers weakly, and a collected logger forgets its level
    private static final java.util.List<Logger> CONFIGURED = new java.util.ArrayList<>();

    private Logging() {
    }

    private static void quiet(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        CONFIGURED.add(logger);
    }

    /** Writes out every log line handed over so far. */
    static void flush() {
        for (java.util.logging.Handler handler : Logger.getLogger("").getHandlers()) {
            handler.flush();
        }
    }

    static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return; // the operator brought their own configuration
        }
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        // stderr like JUL's ConsoleHandler, but never on the request's time
        AsyncLogHandler handler = new AsyncLogHandler(System.err, AsyncLogHandler.CAPACITY);
        handler.setFormatter(new JsonLogFormatter());
        Runtime.getRuntime().addShutdownHook(new Thread(handler::close, "dnsdig-log-close"));
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        quiet("org.glassfish", Level.WARNING);
        // a client that closes its HTTP/2 connection without a GOAWAY (curl, h2load, kdig do) is routine, not a
        // warning with a stack trace
        quiet("org.glassfish.grizzly.http2.Http2Session", Level.SEVERE);
        quiet("org.xbill", Level.WARNING);
        quiet("org.mongodb.driver", Level.WARNING);
        // the embedded store warns about every non-unique index it accepts but does not build: expected here
        quiet("de.bwaldvogel", Level.SEVERE);
        quiet("org.h2", Level.WARNING);
    }
}
