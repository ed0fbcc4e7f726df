package dev.perptrader.exchange.hibachi;

import java.time.Duration;

/**
 * Client-side request pacing: a token bucket of {@code burst} requests refilled at
 * {@code perSecond}. Each caller reserves its slot under the lock and then waits outside it, so
 * concurrent callers queue in order without holding the lock while sleeping.
 */
final class Pacer {
    private final long intervalNanos;
    private final long burstNanos;
    private final Sleeper sleeper;
    private long theoreticalArrival;
    private boolean started;

    Pacer(int perSecond, int burst, Sleeper sleeper) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond < 1: " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst < 1: " + burst);
        }
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.burstNanos = intervalNanos * burst;
        this.sleeper = sleeper;
    }

    /** Waits until the next request may go. */
    void acquire() throws InterruptedException {
        Duration wait = reserve(sleeper.nanoTime());
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    /** Reserves one slot at {@code now}; returns how long the caller must wait for it. */
    synchronized Duration reserve(long now) {
        if (!started || now - theoreticalArrival > 0) {
            theoreticalArrival = now;
            started = true;
        }
        theoreticalArrival += intervalNanos;
        long wait = theoreticalArrival - now - burstNanos;
        return wait > 0 ? Duration.ofNanos(wait) : Duration.ZERO;
    }
}
