package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.VenueDriver;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.store.Store;
import dev.perptrader.store.UnusableDatabase;
import dev.perptrader.trader.Orchestrator;
import dev.perptrader.trader.Telemetry;
import dev.perptrader.trader.Venues;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured venues for the configured mode: {@code sim} (simulated market and accounts),
 * {@code paper} (the venues' real public prices, simulated fills and accounts) or {@code live}
 * (the signed clients: real orders, real money).
 */
final class VenueSetup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VenueSetup.class);

    private final Map<Venue, PerpExchange> venues;
    private final AutoCloseable resources;
    private final Clock clock;

    private VenueSetup(Map<Venue, PerpExchange> venues, AutoCloseable resources, Clock clock) {
        this.venues = Collections.unmodifiableMap(venues);
        this.resources = resources;
        this.clock = clock;
    }

    /** Builds the venues of {@code trading.venues}; bad or missing keys throw ConfigError (exit 2). */
    static VenueSetup open(AppConfig cfg, Clock clock) {
        Map<Venue, PerpExchange> byVenue = new TreeMap<>();
        Mode mode = cfg.mode();
        if (mode == Mode.LIVE) {
            for (Venue v : cfg.trading().venues()) {
                byVenue.put(v, live(v, cfg.exchanges().get(v), clock));
            }
            LOG.warn(
                    "LIVE MODE: orders on {} are real and trade real money",
                    cfg.trading().venues());
            return new VenueSetup(byVenue, () -> {}, clock);
        }
        SimWorld world;
        Path stateFile =
                mode == Mode.PAPER ? cfg.paper().stateFile() : cfg.sim().stateFile();
        try {
            if (mode == Mode.PAPER) {
                Map<Venue, PerpExchange> feeds = new TreeMap<>();
                for (Venue v : cfg.trading().venues()) {
                    feeds.put(v, publicOnly(v, cfg.exchanges().get(v), clock));
                }
                world = SimWorld.openPaper(cfg.sim(), stateFile, feeds, clock);
            } else {
                world = SimWorld.open(cfg.sim(), clock);
            }
        } catch (RuntimeException e) {
            UnusableDatabase refused =
                    UnusableDatabase.refused("the " + mode.configName() + " venue state file", stateFile, e);
            throw refused != null ? refused : e;
        }
        for (Venue v : cfg.trading().venues()) {
            byVenue.put(v, world.venue(v));
        }
        return new VenueSetup(byVenue, world, clock);
    }

    private static PerpExchange live(Venue venue, AppConfig.ExchangeCredentials creds, Clock clock) {
        return VenueDriver.of(venue).live(creds, clock);
    }

    private static PerpExchange publicOnly(Venue venue, AppConfig.ExchangeCredentials creds, Clock clock) {
        return VenueDriver.of(venue).publicOnly(creds, clock);
    }

    /** The trading loop on these venues, on the same clock. */
    Orchestrator orchestrator(AppConfig cfg, Store store) {
        return orchestrator(cfg, store, Telemetry.NONE);
    }

    /** As above, reporting to {@code telemetry} (health and metrics). */
    Orchestrator orchestrator(AppConfig cfg, Store store, Telemetry telemetry) {
        return new Orchestrator(cfg, store, new Venues(venues), clock, new SecureRandom(), telemetry);
    }

    Map<Venue, PerpExchange> venues() {
        return venues;
    }

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
