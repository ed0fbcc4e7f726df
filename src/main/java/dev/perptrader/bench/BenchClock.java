package dev.perptrader.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The trader's clock during a bench: wall time read through {@link System#nanoTime()} from one
 * anchor, so an instant the trader stores (a pair's {@code opened_at}) converts exactly back to
 * the timebase of the venues' request log.
 */
final class BenchClock extends Clock {
    private final long anchorEpochNanos;
    private final long anchorNanos;
    private final ZoneId zone;

    BenchClock() {
        Instant now = Instant.now();
        this.anchorNanos = System.nanoTime();
        this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.zone = ZoneOffset.UTC;
    }

    private BenchClock(long anchorEpochNanos, long anchorNanos, ZoneId zone) {
        this.anchorEpochNanos = anchorEpochNanos;
        this.anchorNanos = anchorNanos;
        this.zone = Objects.requireNonNull(zone, "zone");
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
        return zone;
    }

    /** The same anchor (so the same instants) seen in {@code zone}. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new BenchClock(anchorEpochNanos, anchorNanos, zone);
    }
}
