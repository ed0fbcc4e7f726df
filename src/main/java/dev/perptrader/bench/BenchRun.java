package dev.perptrader.bench;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Quantities;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Orchestrator;
import dev.perptrader.trader.Venues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Drives the real {@link Orchestrator} through a bench: it calls {@link Orchestrator#step()} (what
 * {@code run} schedules every second) and lets a pair open, or roll back, or the monitor tick,
 * by what it allows in between ({@link Orchestrator#limitPairs}, a refusal injected at a venue).
 * Nothing of the trader is replaced: the orders, reads and database writes are the trader's own.
 */
final class BenchRun {
    /** How long one open (or rollback) may take before the bench gives up. */
    private static final Duration OPEN_DEADLINE = Duration.ofSeconds(60);
    /** How long the bench waits for the monitor to be due before it gives up on a tick. */
    private static final Duration TICK_DEADLINE = Duration.ofSeconds(30);

    private static final long POLL_MILLIS = 20;
    /** Seeded pairs: the middle of the default margin and leverage ranges, 6 h long. */
    private static final BigDecimal SEED_NOTIONAL = new BigDecimal("375");

    private static final BigDecimal SEED_LEVERAGE = new BigDecimal("2.5");
    private static final long SEED_DURATION_MS = Duration.ofHours(6).toMillis();

    private final BenchOptions options;
    private final AppConfig config;
    private final LocalVenues venues;
    private final Store store;
    private final Orchestrator trader;
    private final Venues exchanges;
    private final BenchClock clock;
    private final Consumer<String> progress;
    private final AlertCounter alerts = new AlertCounter();
    /** Opens rolled back because a venue refused one leg at random. */
    private final List<Figures.RollbackSample> randomRollbacks = new ArrayList<>();
    /** Opens whose two legs were both refused (at random, or one of them on purpose). */
    private int failedOpens;

    private int opensTried;
    private int opened;
    private int seeded;

    BenchRun(
            BenchOptions options,
            AppConfig config,
            LocalVenues venues,
            Store store,
            Orchestrator trader,
            Venues exchanges,
            BenchClock clock,
            Consumer<String> progress) {
        this.options = options;
        this.config = config;
        this.venues = venues;
        this.store = store;
        this.trader = trader;
        this.exchanges = exchanges;
        this.clock = clock;
        this.progress = progress;
        trader.alerts().addListener(alerts);
    }

    /** Opens, rolls back, holds pairs open and ticks as {@code options} say; returns the figures. */
    BenchReport measure(double loadBefore) throws InterruptedException {
        trader.recover();
        List<Integer> points = options.tickPoints();
        List<BenchReport.Tick> ticks = new ArrayList<>();
        List<Figures.OpenSample> opens = new ArrayList<>();
        for (int i = 1; i <= options.pairs(); i++) {
            progress.accept("opening pair " + i + " of " + options.pairs());
            opens.add(Figures.open(store, venues.log(), clock, openOne()));
            if (points.contains(opened)) {
                ticks.add(ticks(opened, false));
            }
        }
        List<Figures.RollbackSample> rollbacks = new ArrayList<>();
        for (int i = 0; i < options.rollbacks(); i++) {
            Venue refused = i % 2 == 0 ? HibachiExchange.VENUE : BackpackExchange.VENUE;
            progress.accept("rollback " + (i + 1) + " of " + options.rollbacks() + " (" + refused.configName()
                    + " refuses its leg)");
            rollbacks.add(Figures.rollback(store, venues.log(), rollBackOne(refused)));
        }
        for (int point : points) {
            if (point > opened + seeded) {
                progress.accept("holding " + point + " pairs open");
                seedTo(point);
                ticks.add(ticks(point, false));
            }
        }
        BenchReport.Memory memory = MachineReadings.memory();
        return report(loadBefore, opens, rollbacks, ticks, memory);
    }

    /**
     * Holds {@code openPairs} pairs open, booked directly, and measures the monitor at them: the
     * whole of a run whose venues list only as many markets as pairs.
     */
    BenchReport.Tick ticksOnly(int openPairs) throws InterruptedException {
        trader.recover();
        progress.accept("holding " + openPairs + " pairs open on " + marketCount() + " markets (a second trader)");
        seedTo(openPairs);
        return ticks(openPairs, true);
    }

    private int marketCount() {
        return config.trading().markets().size();
    }

    private BenchReport report(
            double loadBefore,
            List<Figures.OpenSample> opens,
            List<Figures.RollbackSample> rollbacks,
            List<BenchReport.Tick> ticks,
            BenchReport.Memory memory) {
        BenchReport.Settings settings = new BenchReport.Settings(
                options.pairs(),
                options.maxOpen(),
                options.rttBackpack().toMillis(),
                options.rttHibachi().toMillis(),
                options.rollbacks(),
                options.ticks(),
                options.seed(),
                config.monitor().interval().toMillis(),
                seeded,
                Runtime.getRuntime().availableProcessors(),
                marketCount(),
                options.rejectRate(),
                options.hibachiSigning().label());
        BenchReport.Open open = new BenchReport.Open(
                Stats.of(opens.stream().map(Figures.OpenSample::atVenuesMs).toList()),
                Stats.of(opens.stream().map(Figures.OpenSample::untilOpenMs).toList()),
                options.openLimit().toMillis(),
                Stats.of(opens.stream().map(s -> (double) s.requestsBackpack()).toList())
                        .median(),
                Stats.of(opens.stream().map(s -> (double) s.requestsHibachi()).toList())
                        .median());
        List<BenchReport.Rollback> byVenue = new ArrayList<>();
        for (Venue refused : List.of(HibachiExchange.VENUE, BackpackExchange.VENUE)) {
            List<Figures.RollbackSample> of =
                    rollbacks.stream().filter(r -> r.refused() == refused).toList();
            if (!of.isEmpty()) {
                // a fill is told by Backpack's order reply (1 RTT), by Hibachi's status read (2 RTTs);
                // a refusal by the order reply (1 RTT)
                Duration good = refused == HibachiExchange.VENUE
                        ? options.rttBackpack()
                        : options.rttHibachi().multipliedBy(2);
                Duration bad = refused == HibachiExchange.VENUE ? options.rttHibachi() : options.rttBackpack();
                byVenue.add(new BenchReport.Rollback(
                        refused.configName(),
                        Stats.of(of.stream()
                                .map(Figures.RollbackSample::nakedWindowMs)
                                .toList()),
                        Stats.of(of.stream()
                                .map(Figures.RollbackSample::afterRejectionMs)
                                .toList()),
                        Math.max(0, bad.minus(good).toMillis()),
                        Math.max(0, good.minus(bad).toMillis())));
            }
        }
        BenchReport.RandomRejections random = new BenchReport.RandomRejections(
                options.rejectRate(),
                venues.rejections(BackpackExchange.VENUE).refusedAtRandom(),
                venues.rejections(HibachiExchange.VENUE).refusedAtRandom(),
                opensTried,
                randomRollbacks.size(),
                failedOpens,
                Stats.of(randomRollbacks.stream()
                        .map(Figures.RollbackSample::nakedWindowMs)
                        .toList()),
                Stats.of(randomRollbacks.stream()
                        .map(Figures.RollbackSample::afterRejectionMs)
                        .toList()));
        return new BenchReport(
                settings,
                new BenchReport.Load(loadBefore, MachineReadings.loadAverage()),
                open,
                Stats.of(opens.stream().map(Figures.OpenSample::skewMs).toList()),
                byVenue,
                random,
                ticks,
                List.of(),
                memory,
                alerts.counts());
    }

    /**
     * Lets one more pair open and steps the trader until it is OPEN; an open that a random
     * refusal rolled back (measured) or failed is tried again. Returns the opened pair's id.
     */
    private long openOne() throws InterruptedException {
        while (true) {
            HedgePair pair = stepUntilNewPairEnds(opened + 1);
            if (pair.status() == PairStatus.OPEN) {
                opened++;
                return pair.id();
            }
            if (options.rejectRate() == 0) {
                throw new IllegalStateException("pair " + pair.id() + " (" + pair.asset() + ") ended " + pair.status()
                        + " instead of opening: " + pair.closeReason());
            }
            if (pair.status() == PairStatus.ROLLED_BACK) {
                randomRollbacks.add(Figures.rollback(store, venues.log(), pair.id()));
                progress.accept("a venue refused a leg at random: pair " + pair.id() + " rolled back, trying again");
            } else {
                failedOpens++;
                progress.accept("both venues refused at random: pair " + pair.id() + " failed, trying again");
            }
            requireOpeningNotPaused();
        }
    }

    /**
     * Makes {@code venue} refuse the next opening order, lets one pair try, and steps until it is
     * rolled back. An open that failed because the other venue refused its leg at random too is
     * tried again.
     */
    private long rollBackOne(Venue venue) throws InterruptedException {
        while (true) {
            if (venues.rejections(venue).pending() == 0) {
                venues.rejections(venue).rejectNext(1);
            }
            HedgePair pair = stepUntilNewPairEnds(opened + 1);
            if (pair.status() == PairStatus.ROLLED_BACK) {
                return pair.id();
            }
            if (options.rejectRate() == 0 || pair.status() != PairStatus.FAILED) {
                throw new IllegalStateException("pair " + pair.id() + " ended " + pair.status() + " instead of"
                        + " rolling back after " + venue.configName() + " refused its leg");
            }
            failedOpens++;
            progress.accept("the other venue refused at random too: pair " + pair.id() + " failed, trying again");
            requireOpeningNotPaused();
        }
    }

    /** Opens that fail in a row pause opening (risk.max_consecutive_failed_opens): the run cannot go on. */
    private void requireOpeningNotPaused() {
        if (store.openingPause().isPresent()) {
            throw new IllegalStateException("the trader paused opening after " + store.failedOpensInARow()
                    + " opens in a row rolled back or failed (risk.max_consecutive_failed_opens): --reject-rate "
                    + options.rejectRate() + " refuses too many");
        }
    }

    /**
     * Allows the trader {@code allowed} opened pairs in this run and steps it until a pair newer
     * than any now is OPEN, ROLLED_BACK or FAILED; then allows no more than it has opened.
     */
    private HedgePair stepUntilNewPairEnds(int allowed) throws InterruptedException {
        long newestBefore = newestPairId();
        Instant deadline = Instant.now().plus(OPEN_DEADLINE);
        opensTried++;
        trader.limitPairs(allowed);
        try {
            while (true) {
                trader.step();
                Optional<HedgePair> pair = newestPair().filter(p -> p.id() > newestBefore);
                if (pair.isPresent()
                        && EnumSet.of(PairStatus.OPEN, PairStatus.ROLLED_BACK, PairStatus.FAILED)
                                .contains(pair.get().status())) {
                    return pair.get();
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "no pair opened or rolled back within " + OPEN_DEADLINE.toSeconds() + " s" + lastAlert());
                }
                if (pair.isEmpty()) {
                    Thread.sleep(POLL_MILLIS);
                }
            }
        } finally {
            trader.limitPairs(Math.max(1, opened));
        }
    }

    private String lastAlert() {
        List<Store.AlertRow> last = store.alerts(1);
        return last.isEmpty()
                ? ""
                : " (last alert: " + last.get(0).kind() + " " + last.get(0).message() + ")";
    }

    private long newestPairId() {
        return newestPair().map(HedgePair::id).orElse(0L);
    }

    private Optional<HedgePair> newestPair() {
        return store.pairs(EnumSet.allOf(PairStatus.class)).stream().max((a, b) -> Long.compare(a.id(), b.id()));
    }

    /**
     * Measures {@code options.ticks()} monitor ticks with {@code openPairs} pairs open: each is one
     * trader step in which the monitor ran and nothing opened (opening is held back, nothing is due
     * to close, so a step that calls a venue is a step in which the monitor ticked). With
     * {@code warmUp}, the first such tick is not counted: a fresh trader's clients read each
     * venue's clock with their first signed call (then once per
     * {@code exchanges.clock_check_minutes}), which the main run's opens did before its ticks.
     */
    private BenchReport.Tick ticks(int openPairs, boolean warmUp) throws InterruptedException {
        progress.accept("measuring the monitor at " + openPairs + " open pair(s)");
        List<Double> durations = new ArrayList<>();
        List<Double> db = new ArrayList<>();
        List<Double> dbCalls = new ArrayList<>();
        List<Double> backpack = new ArrayList<>();
        List<Double> hibachi = new ArrayList<>();
        Instant deadline = Instant.now().plus(TICK_DEADLINE);
        long interval = config.monitor().interval().toNanos();
        long lastTick = Long.MIN_VALUE;
        boolean skip = warmUp;
        while (durations.size() < options.ticks()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the monitor did not tick " + options.ticks() + " times within "
                        + TICK_DEADLINE.toSeconds() + " s");
            }
            long wait = lastTick == Long.MIN_VALUE ? POLL_MILLIS * 1_000_000 : lastTick + interval - System.nanoTime();
            Thread.sleep(Math.max(POLL_MILLIS, wait / 1_000_000 + 2));
            Store.DbTime before = store.dbTime();
            long start = System.nanoTime();
            trader.step();
            long end = System.nanoTime();
            Store.DbTime spent = store.dbTime().since(before);
            List<RequestLog.Entry> calls = venues.log().acceptedBetween(start, end);
            if (calls.isEmpty()) {
                continue; // the monitor was not due: opening is held back, so only a tick calls a venue
            }
            lastTick = start;
            if (skip) {
                skip = false;
                continue;
            }
            durations.add(Stats.millis(end - start));
            db.add(Stats.millis(spent.nanos()));
            dbCalls.add((double) spent.calls());
            backpack.add((double) calls.stream()
                    .filter(e -> e.venue() == BackpackExchange.VENUE)
                    .count());
            hibachi.add((double) calls.stream()
                    .filter(e -> e.venue() == HibachiExchange.VENUE)
                    .count());
        }
        int open = store.pairs(EnumSet.of(PairStatus.OPEN)).size();
        if (open != openPairs) {
            throw new IllegalStateException("expected " + openPairs + " open pairs while ticking, found " + open);
        }
        Stats duration = Stats.of(durations);
        double maxRtt = options.maxRtt().toNanos() / 1e6;
        return new BenchReport.Tick(
                openPairs,
                marketCount(),
                Stats.of(backpack).median(),
                Stats.of(hibachi).median(),
                duration,
                maxRtt > 0 ? duration.median() / maxRtt : Double.NaN,
                Stats.of(db),
                Stats.of(dbCalls).median());
    }

    /**
     * Holds {@code target} pairs open by booking the missing ones directly: the pair, legs and
     * orders written with the trader's own {@link Store} calls (as an open writes them), the same
     * orders executed in the venues' books, under client ids from the real clients. Opening them
     * through the trader would be paced by the clients (Hibachi allows 5 requests/s) and take
     * over a minute at 50 pairs; the monitor reads them as it reads any pair.
     */
    private void seedTo(int target) {
        Venue longVenue = config.trading().venues().get(0);
        Venue shortVenue = config.trading().venues().get(1);
        PerpExchange longEx = exchanges.get(longVenue);
        PerpExchange shortEx = exchanges.get(shortVenue);
        Map<String, MarketRules> longMarkets = longEx.markets();
        Map<String, MarketRules> shortMarkets = shortEx.markets();
        while (store.pairs(EnumSet.of(PairStatus.OPEN)).size() < target) {
            Set<String> busy = store.pairs(PairStatus.active()).stream()
                    .map(HedgePair::asset)
                    .collect(Collectors.toSet());
            String asset = config.trading().markets().stream()
                    .filter(a -> !busy.contains(a))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no free market left to hold another pair"));
            MarketRules l = longMarkets.get(asset);
            MarketRules s = shortMarkets.get(asset);
            BigDecimal reference = mark(longVenue, l.symbol()).max(mark(shortVenue, s.symbol()));
            BigDecimal qty = Quantities.commonQuantity(SEED_NOTIONAL.divide(reference, 18, RoundingMode.DOWN), l, s);
            Instant now = clock.instant();
            long id = store.createPair(
                    new Store.NewPair(
                            asset,
                            Mode.LIVE,
                            SEED_LEVERAGE,
                            qty,
                            qty.multiply(reference),
                            SEED_DURATION_MS,
                            longVenue,
                            l.symbol(),
                            longEx.newClientId(),
                            shortVenue,
                            s.symbol(),
                            shortEx.newClientId()),
                    now);
            for (OrderRecord o : store.orders(id)) {
                Fill fill = venues.executeDirect(o.venue(), o.symbol(), o.side(), o.qty(), o.clientId());
                store.applyFill(o.id(), fill, now);
            }
            store.markOpen(id, PairStatus.OPENING, qty, now, now.plusMillis(SEED_DURATION_MS));
            seeded++;
        }
    }

    private BigDecimal mark(Venue venue, String symbol) {
        BenchMarkets markets = venues.markets();
        BenchMarkets.Market m =
                (venue == BackpackExchange.VENUE ? markets.backpack(symbol) : markets.hibachi(symbol)).orElseThrow();
        return venues.prices().mark(m, venue);
    }
}
