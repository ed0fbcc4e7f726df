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
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;
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

    private Bench() {}

    /** What to do with a trader wired to its own local venues. */
    private interface Session<T> {
        T run(BenchRun run) throws InterruptedException;
    }

    /**
     * Runs a bench; {@code progress} hears one line per phase. When the run lists more markets
     * than {@link BenchOptions#fewMarketsPairs()}, a second trader, on venues that list only that
     * many, measures the monitor again at that many open pairs.
     */
    public static BenchReport run(BenchOptions options, Consumer<String> progress) throws InterruptedException {
        double loadBefore = MachineReadings.loadAverage();
        // one above the most held open: the rollbacks try a pair while the measured ones are open
        BenchReport report = withTrader(
                options,
                options.markets(),
                options.maxOpen() + 1,
                options.rejectRate(),
                progress,
                run -> run.measure(loadBefore));
        OptionalInt few = options.fewMarketsPairs();
        if (few.isEmpty()) {
            return report;
        }
        // as many pairs as markets, and trading.max_open_pairs at that: nothing more opens
        int pairs = few.getAsInt();
        BenchReport.Tick tick = withTrader(options, pairs, pairs, 0, progress, run -> run.ticksOnly(pairs));
        return report.withFewMarkets(List.of(tick), MachineReadings.loadAverage());
    }

    /**
     * Starts local venues listing {@code markets} markets (refusing {@code rejectRate} of opening
     * orders), a trader configured with all of them and {@code maxOpenPairs} on a fresh database,
     * and runs {@code body}; everything is stopped and deleted when it returns.
     */
    private static <T> T withTrader(
            BenchOptions options,
            int markets,
            int maxOpenPairs,
            double rejectRate,
            Consumer<String> progress,
            Session<T> body)
            throws InterruptedException {
        Path dir = temporaryFolder();
        try (LocalVenues venues = LocalVenues.start(
                BenchMarkets.listing(markets, options.seed()),
                BenchKeys.generate(),
                options.hibachiSigning(),
                options.rttBackpack(),
                options.rttHibachi(),
                rejectRate,
                options.seed())) {
            AppConfig config = BenchConfig.build(dir, venues, maxOpenPairs);
            Map<Venue, PerpExchange> clients = new TreeMap<>();
            clients.put(
                    BackpackExchange.VENUE,
                    BackpackExchange.live(config.exchanges().get(BackpackExchange.VENUE), Clock.systemUTC()));
            clients.put(
                    HibachiExchange.VENUE,
                    HibachiExchange.live(config.exchanges().get(HibachiExchange.VENUE), Clock.systemUTC()));
            Venues exchanges = new Venues(clients);
            BenchClock clock = new BenchClock();
            try (Store store = Store.open(config.database().path());
                    Orchestrator trader =
                            new Orchestrator(config, store, exchanges, clock, new Random(options.seed()))) {
                store.claimMode(Mode.LIVE);
                return body.run(new BenchRun(options, config, venues, store, trader, exchanges, clock, progress));
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
