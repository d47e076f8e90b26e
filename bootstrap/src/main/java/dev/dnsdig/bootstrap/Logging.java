package dev.dnsdig.bootstrap;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** One-line log records on stderr; Grizzly's and Jersey's chatter kept to warnings. */
final class Logging {
    private Logging() {
    }

    static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return; // the operator brought their own configuration
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        Logger.getLogger("org.glassfish").setLevel(Level.WARNING);
        Logger.getLogger("org.xbill").setLevel(Level.WARNING);
        Logger.getLogger("org.mongodb.driver").setLevel(Level.WARNING);
        Logger.getLogger("de.bwaldvogel").setLevel(Level.WARNING);
        Logger.getLogger("org.h2").setLevel(Level.WARNING);
    }
}
