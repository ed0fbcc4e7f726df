package dev.perptrader.cli;

import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Lets a command that a signal (SIGTERM, Ctrl-C) stopped cleanly exit with its own code instead
 * of the JVM's 128 + signal. Once a signal starts the JVM's shutdown, {@code System.exit} would
 * block forever and the JVM would end with 143 (or 130) when the hooks return; so the hook
 * holds the shutdown open while the command finishes, and {@link #exit} then halts the JVM with
 * the command's code, after flushing the logs.
 */
final class GracefulExit {
    private static final AtomicBoolean SIGNALLED = new AtomicBoolean();
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private GracefulExit() {}

    /**
     * Called first by a shutdown hook: from now on {@link #exit} halts instead of exiting.
     */
    static void signalled() {
        SIGNALLED.set(true);
    }

    /**
     * Keeps the shutdown hook (and so the JVM) alive until {@link #exit} halts it, at most
     * {@code max}: if the command is stuck longer, the JVM ends as the signal says.
     */
    static void holdShutdown(Duration max) {
        try {
            NEVER.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the JVM with {@code code}. */
    static void exit(int code) {
        if (SIGNALLED.get()) {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logs) {
                logs.stop(); // flushes and closes every appender
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }
}
