package dev.perptrader.testutil;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log event (root logger, DEBUG and up) while open: messages, arguments and throwables, for
 * asserting what was logged and that no secret was. Close it to detach.
 */
public final class CapturedLogs implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;
    private final Level previous;

    public CapturedLogs() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previous = root.getLevel();
        root.setLevel(Level.DEBUG);
        appender.start();
        root.addAppender(appender);
    }

    /** The events so far (a copy: the appender may still be written by other threads). */
    public List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    /** The formatted messages at {@code level} from loggers whose name ends with {@code loggerSuffix}. */
    public List<String> messages(Level level, String loggerSuffix) {
        return events().stream()
                .filter(e -> e.getLevel() == level && e.getLoggerName().endsWith(loggerSuffix))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** Everything logged, as text: every formatted message and every throwable's class, message and causes. */
    public String allText() {
        StringBuilder out = new StringBuilder();
        for (ILoggingEvent e : events()) {
            out.append(e.getLoggerName())
                    .append(' ')
                    .append(e.getFormattedMessage())
                    .append('\n');
            if (e.getArgumentArray() != null) {
                for (Object arg : e.getArgumentArray()) {
                    out.append("  arg ").append(arg).append('\n');
                }
            }
            List<IThrowableProxy> seen = new ArrayList<>();
            for (IThrowableProxy t = e.getThrowableProxy(); t != null && !seen.contains(t); t = t.getCause()) {
                seen.add(t);
                out.append("  ")
                        .append(t.getClassName())
                        .append(": ")
                        .append(t.getMessage())
                        .append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(previous);
    }
}
