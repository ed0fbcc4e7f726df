package dev.perptrader.exchange.sim;

import java.time.Instant;

/**
 * The time of a feed whose data do not move by themselves (a venue's published data, a recorded
 * price file): it only follows the simulation's clock, forward, and is saved with the world so a
 * restart goes on from it. What {@link PaperFeed} and {@link ReplayFeed} share.
 */
final class FeedTime {
    private Instant lastUpdate;

    /** The time the feed was last moved to; null before the world first starts. */
    Instant lastUpdate() {
        return lastUpdate;
    }

    /** Moves to {@code now}; false (nothing changes) unless {@code now} is later. */
    boolean advanceTo(Instant now) {
        if (!now.isAfter(lastUpdate)) {
            return false;
        }
        lastUpdate = now;
        return true;
    }

    /** Restores the time saved by {@link #save}, if any. */
    void load(SimStore store) {
        lastUpdate = store.meta(SimStore.META_LAST_UPDATE).map(Instant::parse).orElse(null);
    }

    /** Starts the time at {@code now} if it never started. */
    void initializeMissing(Instant now) {
        if (lastUpdate == null) {
            lastUpdate = now;
        }
    }

    void save(SimStore store) {
        store.putMeta(SimStore.META_LAST_UPDATE, lastUpdate.toString());
    }
}
