package dev.perptrader.exchange.backpack;

import java.time.Clock;
import java.time.Duration;

/**
 * Client-side rate limit: a token bucket of {@code burst} requests refilled at
 * {@code perSecond} (as a generic cell-rate algorithm). A caller reserves its slot under the
 * lock and waits outside it, so a waiting request never blocks the bookkeeping; a waited slot is
 * counted as spent even if the clock did not move (tests use a fixed clock).
 */
final class Pacer {
    private final Clock clock;
    private final Sleeper sleeper;
    private final long intervalMs;
    private final long toleranceMs;
    private long theoreticalArrivalMs = Long.MIN_VALUE;

    Pacer(Clock clock, Sleeper sleeper, int perSecond, int burst) {
        if (perSecond < 1 || perSecond > 1000) {
            throw new IllegalArgumentException("perSecond not in 1..1000: " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst < 1: " + burst);
        }
        this.clock = clock;
        this.sleeper = sleeper;
        this.intervalMs = 1000L / perSecond;
        this.toleranceMs = intervalMs * (burst - 1);
    }

    /** Blocks (through the sleeper) until one more request may go. */
    void acquire() throws InterruptedException {
        long waitMs;
        synchronized (this) {
            long now = clock.millis();
            long tat = Math.max(theoreticalArrivalMs, now);
            waitMs = Math.max(0, tat - toleranceMs - now);
            theoreticalArrivalMs = tat + intervalMs;
        }
        if (waitMs > 0) {
            sleeper.sleep(Duration.ofMillis(waitMs));
        }
    }
}
