package dev.perptrader.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * For commands that run the trader many times over ({@code bench}, {@code simulate}): the trader
 * logs every order at INFO, so only errors are shown while they run, unless LOG_LEVEL asks
 * otherwise.
 */
final class QuietLogs {
    static final String LOG_LEVEL_ENV = "LOG_LEVEL";

    private QuietLogs() {}

    /** Sets the root and alert loggers to ERROR; returns what puts them back. */
    static Runnable quiet() {
        String asked = System.getenv(LOG_LEVEL_ENV);
        if ((asked != null && !asked.isBlank()) || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext logs)) {
            return () -> {};
        }
        List<Logger> loggers = List.of(logs.getLogger(Logger.ROOT_LOGGER_NAME), logs.getLogger("alerts"));
        List<Level> before = loggers.stream().map(Logger::getLevel).toList();
        loggers.forEach(l -> l.setLevel(Level.ERROR));
        return () -> {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).setLevel(before.get(i));
            }
        };
    }
}
