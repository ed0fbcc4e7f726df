package dev.perptrader.exchange;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Client-side request pacing: a token bucket of {@code burst} requests refilled at
 * {@code perSecond} (the generic cell-rate algorithm). A caller reserves its slot under the lock
 * and waits outside it, so concurrent callers queue in order without holding the lock while
 * sleeping; a waited slot counts as spent even if the time source did not move.
 */
public final class Pacer {
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final long intervalNanos;
    private final long toleranceNanos;
    private long theoreticalArrival;
    private boolean started;

    private Pacer(LongSupplier nanoTime, Sleeper sleeper, int perSecond, int burst) {
        if (perSecond < 1 || perSecond > 1000) {
            throw new IllegalArgumentException("perSecond not in 1..1000: " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst < 1: " + burst);
        }
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.toleranceNanos = intervalNanos * (burst - 1);
    }

    /** Paced on {@code clock} (tests move it by hand). */
    public static Pacer onClock(Clock clock, Sleeper sleeper, int perSecond, int burst) {
        return new Pacer(() -> clock.millis() * 1_000_000L, sleeper, perSecond, burst);
    }

    /** Paced on the sleeper's monotonic time. */
    public static Pacer monotonic(Sleeper sleeper, int perSecond, int burst) {
        return new Pacer(sleeper::nanoTime, sleeper, perSecond, burst);
    }

    /** Blocks (through the sleeper) until one more request may go. */
    public void acquire() throws InterruptedException {
        Duration wait = reserve(nanoTime.getAsLong());
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    /** Reserves one slot at {@code now} (nanoseconds); returns how long the caller must wait for it. */
    synchronized Duration reserve(long now) {
        if (!started || now - theoreticalArrival > 0) {
            theoreticalArrival = now;
            started = true;
        }
        long wait = theoreticalArrival - toleranceNanos - now;
        theoreticalArrival += intervalNanos;
        return wait > 0 ? Duration.ofNanos(wait) : Duration.ZERO;
    }
}
