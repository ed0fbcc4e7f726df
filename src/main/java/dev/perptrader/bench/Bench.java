package dev.perptrader.bench;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Orchestrator;
import dev.perptrader.trader.Venues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code perp-trader bench}: the real trader (Orchestrator, HedgeManager, Monitor, the signed
 * Backpack and Hibachi clients, the SQLite store) against local venues over loopback HTTP with
 * injected round-trip times, measured at the venues. Everything it makes (ephemeral keys, a
 * temporary database) is gone when it returns.
 */
public final class Bench {
    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
    /** Synthetic markets A01…A60 besides BTC, ETH and SOL: one per pair the bench may hold open. */
    static final int SYNTHETIC_MARKETS = BenchOptions.MAX_OPEN_LIMIT;

    private Bench() {}

    /** Runs a bench; {@code progress} hears one line per phase. */
    public static BenchReport run(BenchOptions options, Consumer<String> progress) throws InterruptedException {
        double loadBefore = MachineReadings.loadAverage();
        Path dir = temporaryFolder();
        BenchMarkets markets = BenchMarkets.of(SYNTHETIC_MARKETS, options.seed());
        try (LocalVenues venues = LocalVenues.start(
                markets, BenchKeys.generate(), options.rttBackpack(), options.rttHibachi(), 0, options.seed())) {
            // one above the most held open: the rollbacks try a pair while the measured ones are open
            AppConfig config = BenchConfig.build(dir, venues, options.maxOpen() + 1);
            Map<Venue, PerpExchange> clients = new EnumMap<>(Venue.class);
            clients.put(
                    Venue.BACKPACK, BackpackExchange.live(config.exchanges().get(Venue.BACKPACK), Clock.systemUTC()));
            clients.put(Venue.HIBACHI, HibachiExchange.live(config.exchanges().get(Venue.HIBACHI), Clock.systemUTC()));
            Venues exchanges = new Venues(clients);
            BenchClock clock = new BenchClock();
            try (Store store = Store.open(config.database().path());
                    Orchestrator trader =
                            new Orchestrator(config, store, exchanges, clock, new Random(options.seed()))) {
                store.claimMode(Mode.LIVE);
                return new BenchRun(options, config, venues, store, trader, exchanges, clock, progress)
                        .measure(loadBefore);
            }
        } finally {
            delete(dir);
        }
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("perp-trader-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the bench database", e);
        }
    }

    /** Best effort: a folder left behind is a WARN, never an error hiding the run's own. */
    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete the bench's temporary folder {}: {}", dir, e.getMessage());
        }
    }
}
