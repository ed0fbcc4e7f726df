package dev.perptrader.testutil;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that another thread makes true, up to a generous deadline; the deadline
 * bounds a hang (a loaded two-core machine is slow), it never decides a pass.
 */
public final class Deadline {
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private Deadline() {}

    /** Returns once {@code condition} holds; fails with {@code what} after {@link #PATIENCE}. */
    public static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(what + ": not within " + PATIENCE.toSeconds() + " s");
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted", e);
            }
        }
    }
}
