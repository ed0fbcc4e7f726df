package dev.perptrader.crash;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The only way the crash test waits: ask for a state until it holds or a deadline passes. The
 * deadlines are generous (a loaded two-core machine may be ten times slower than an idle one);
 * they bound a hang, they never decide a pass.
 */
final class Polling {
    /** Bound on waiting for one state of a running process (an order row, a ready file). */
    static final Duration PATIENCE = Duration.ofSeconds(120);

    private static final long PAUSE_MS = 20;

    private Polling() {}

    /**
     * {@code probe}'s first present answer. A probe may throw {@link AssertionError} to give up
     * early (the process it waits on died).
     */
    static <T> T until(String what, Duration timeout, Callable<Optional<T>> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> answer = probe.call();
            if (answer.isPresent()) {
                return answer.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(PAUSE_MS);
        }
    }
}
