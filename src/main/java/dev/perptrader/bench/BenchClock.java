package dev.perptrader.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The trader's clock during a bench: wall time read through {@link System#nanoTime()} from one
 * anchor, so an instant the trader stores (a pair's {@code opened_at}) converts exactly back to
 * the timebase of the venues' request log.
 */
final class BenchClock extends Clock {
    private final long anchorEpochNanos;
    private final long anchorNanos;

    BenchClock() {
        Instant now = Instant.now();
        this.anchorNanos = System.nanoTime();
        this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public Instant instant() {
        long epochNanos = anchorEpochNanos + (System.nanoTime() - anchorNanos);
        return Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** The {@link System#nanoTime()} at which this clock read {@code instant}. */
    long toNanos(Instant instant) {
        long epochNanos = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        return anchorNanos + (epochNanos - anchorEpochNanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the bench clock is UTC only");
    }
}
