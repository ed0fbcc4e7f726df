package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.sim.SimWorld;

import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** The configured venues for the configured mode, and whatever must be closed with them. */
final class VenueSetup implements AutoCloseable {
    private final Map<Venue, PerpExchange> venues;
    private final AutoCloseable resources;

    private VenueSetup(Map<Venue, PerpExchange> venues, AutoCloseable resources) {
        this.venues = Collections.unmodifiableMap(venues);
        this.resources = resources;
    }

    /** Builds the venues of {@code trading.venues}; bad keys throw ConfigError (exit 2). */
    static VenueSetup open(AppConfig cfg, Clock clock) {
        Mode mode = cfg.mode();
        if (mode != Mode.SIM) {
            throw new UsageError("mode " + mode.configName()
                    + " is not available yet: it needs the Backpack and Hibachi venue clients; use --mode sim");
        }
        SimWorld world = SimWorld.open(cfg.sim(), clock);
        Map<Venue, PerpExchange> byVenue = new EnumMap<>(Venue.class);
        for (Venue v : cfg.trading().venues()) {
            byVenue.put(v, world.venue(v));
        }
        return new VenueSetup(byVenue, world);
    }

    Map<Venue, PerpExchange> venues() {
        return venues;
    }

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
