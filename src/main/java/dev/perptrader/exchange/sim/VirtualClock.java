package dev.perptrader.exchange.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until moved, and only forward: simulated time that jumps from one
 * event to the next without waiting. Safe to read and move from several threads; views in other
 * zones share its time.
 */
public final class VirtualClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public VirtualClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private VirtualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves the time forward by {@code by} and returns the new time. */
    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("by < 0: " + by);
        }
        return now.updateAndGet(t -> t.plus(by));
    }

    /** Moves the time to {@code to}, which must not be before the current time. */
    public void advanceTo(Instant to) {
        Objects.requireNonNull(to, "to");
        now.updateAndGet(t -> {
            if (to.isBefore(t)) {
                throw new IllegalArgumentException("time only moves forward: " + to + " is before " + t);
            }
            return to;
        });
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new VirtualClock(now, other);
    }
}
