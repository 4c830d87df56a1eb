package io.github.edgestream.daemon;

import java.util.Locale;

/**
 * Logging goes through SLF4J to slf4j-simple, on standard output (systemd and Greengrass collect it from there).
 * slf4j-simple reads its settings once, when the first logger is made: call {@link #configure} before anything logs.
 */
public final class Logging {

    private Logging() {
    }

    public static void configure(String level) {
        String lower = level.toLowerCase(Locale.ROOT);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.out");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", lower);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        // Chronicle reports routine file mappings at INFO; keep its warnings
        System.setProperty("org.slf4j.simpleLogger.log.net.openhft", lower.equals("trace") || lower.equals("debug")
                ? lower : "warn");
    }
}
