package dev.perptrader.crash;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every process a test starts, killed when the test ends, however it ends: {@code kill -9} of
 * each and of anything it started, then a wait until each is gone. The same happens if the test
 * JVM exits first (a Failsafe timeout, Ctrl-C), so no bot, recover or venue process outlives the
 * test to be adopted by init.
 */
final class Processes implements AfterEachCallback {
    /** How long a process may take to disappear after {@code kill -9}. */
    static final Duration GONE_WITHIN = Duration.ofSeconds(30);

    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final Thread onJvmExit = new Thread(this::killAllQuietly, "crash-test-reaper");

    Processes() {
        Runtime.getRuntime().addShutdownHook(onJvmExit);
    }

    /** Starts {@code builder}'s process and keeps it to be killed at the end. */
    Process start(ProcessBuilder builder) throws IOException {
        Process p = builder.start();
        started.add(p);
        return p;
    }

    /** {@code kill -9} of {@code p} and its descendants; returns once all are gone. */
    void kill(Process p) throws InterruptedException {
        List<ProcessHandle> family = new ArrayList<>(p.descendants().toList());
        p.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        if (!p.waitFor(GONE_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("pid " + p.pid() + " still alive " + GONE_WITHIN.toSeconds() + " s after kill -9");
        }
        for (ProcessHandle h : family) {
            try {
                h.onExit().get(GONE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("pid " + h.pid() + " (started by " + p.pid() + ") survived kill -9", e);
            }
        }
        started.remove(p);
    }

    /** Waits for {@code p} to end by itself; false if it is still running after {@code timeout}. */
    static boolean ends(Process p, Duration timeout) throws InterruptedException {
        return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        try {
            for (Process p : List.copyOf(started)) {
                kill(p);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onJvmExit);
            } catch (IllegalStateException jvmExiting) {
                // the hook is running or about to: it kills what is left
            }
        }
    }

    private void killAllQuietly() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
