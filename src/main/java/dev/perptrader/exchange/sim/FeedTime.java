package dev.perptrader.exchange.sim;

import java.time.Instant;

/**
 * A feed whose data do not move by themselves (a venue's published data, a recorded price
 * file): its time only follows the simulation's clock, forward, and is saved with the world so a
 * restart goes on from it. What {@link PaperFeed} and {@link ReplayFeed} share.
 */
abstract class FeedTime implements MarketFeed {
    private Instant lastUpdate;

    @Override
    public Instant lastUpdate() {
        return lastUpdate;
    }

    /** Only moves the time: the data are what the feed has for that time. */
    @Override
    public boolean advanceTo(Instant now) {
        if (!now.isAfter(lastUpdate)) {
            return false;
        }
        lastUpdate = now;
        return true;
    }

    /** Restores the time only; the data are read again. */
    @Override
    public void load(SimStore store) {
        lastUpdate = store.meta(SimStore.META_LAST_UPDATE).map(Instant::parse).orElse(null);
    }

    @Override
    public void initializeMissing(Instant now) {
        if (lastUpdate == null) {
            lastUpdate = now;
        }
    }

    @Override
    public void save(SimStore store) {
        store.putMeta(SimStore.META_LAST_UPDATE, lastUpdate.toString());
    }
}
