package dev.perptrader.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.CollateralStats;
import dev.perptrader.domain.CostSummary;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.PairCost;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.sim.PriceReplay;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.exchange.sim.VirtualClock;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Simulation;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** One simulation, start to figures, and how its figures are printed and written. */
final class SimulationRun {
    private SimulationRun() {}

    /**
     * What one simulation came to: its cost figures (the same {@link CostSummary} as
     * {@code report}), the collateral ratios the monitor saw, and how long it took.
     */
    record Figures(
            int days,
            long seed,
            Instant start,
            long steps,
            CostSummary cost,
            CollateralStats collateral,
            MakerFigures maker,
            double wallSeconds,
            Path database) {
        double daysPerSecond() {
            return wallSeconds > 0 ? days / wallSeconds : 0;
        }
    }

    /**
     * Simulates {@code span} from {@code start}: the sim venues (or the replayed prices) with
     * their state in memory, the book in memory too, written to {@code out} (a new file in the
     * normal schema) at the end when {@code out} is given, even when the run fails.
     */
    static Figures once(AppConfig configured, long seed, Instant start, Duration span, PriceReplay replay, Path out) {
        long t0 = System.nanoTime();
        Path db = out != null ? out.toAbsolutePath() : null;
        // ":memory:" as sim.state_file keeps the venues' state in memory: a simulation never restarts from it
        AppConfig cfg = configured.forSimulation(db != null ? db : Path.of(":memory:"), Path.of(":memory:"));
        VirtualClock clock = new VirtualClock(start);
        try (SimWorld world = replay == null
                        ? SimWorld.open(cfg.sim(), clock)
                        : SimWorld.openReplay(cfg.sim(), cfg.sim().stateFile(), replay, clock);
                Store store = Store.openInMemory()) {
            store.claimMode(Mode.SIMULATE);
            Map<Venue, PerpExchange> venues = new TreeMap<>();
            cfg.trading().venues().forEach(v -> venues.put(v, world.venue(v)));
            Simulation.Outcome outcome;
            try {
                outcome = Simulation.run(cfg, store, venues, clock, new Random(seed), span);
            } finally {
                if (db != null) {
                    store.saveTo(db);
                }
            }
            List<PairCost> costs = CostReader.pairCosts(store).stream()
                    .sorted(CostSummary.ENDED_ORDER)
                    .toList();
            CollateralStats.Builder ratios = new CollateralStats.Builder();
            store.eachCollateralRatio(ratios::add);
            MakerFigures maker = MakerFigures.of(cfg, venues, store);
            double wall = (System.nanoTime() - t0) / 1e9;
            return new Figures(
                    (int) span.toDays(),
                    seed,
                    start,
                    outcome.steps(),
                    CostSummary.of(costs),
                    ratios.build(),
                    maker,
                    wall,
                    db);
        }
    }

    static void print(Figures f, PrintWriter out) {
        CostSummary c = f.cost();
        out.println("perp-trader simulate: " + f.days() + " days from " + f.start() + ", seed " + f.seed() + ", "
                + f.steps() + " steps of the trader");
        Table t = new Table("FIGURE", "VALUE");
        t.row(
                "pairs",
                c.pairs() + " (" + c.closed() + " closed, " + c.rollbacks() + " rolled back, " + c.failed()
                        + " failed)");
        t.row("volume", usd(c.volume()));
        t.row("fees", usd(c.fees()) + byVenue(c.feesByVenue()));
        t.row("slippage", usd(c.slippage()) + " (measured on " + c.fillsMeasured() + " of " + c.fills() + " fills)");
        t.row("funding received", usd(c.funding()) + byVenue(c.fundingByVenue()));
        t.row("net cost (fees + slippage - funding)", usd(c.netCost()));
        t.row("cost per $1M volume", c.costPer1m().map(SimulationRun::usd).orElse("no volume"));
        t.row("points", c.points().setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " points");
        t.row("cost per point", c.costPerPoint().map(v -> usd4(v)).orElse("no points"));
        t.row("price PnL of the legs", usd(c.pricePnl()));
        t.row("liquidations", c.liquidations() + " pair(s)");
        t.row("rollbacks", c.rollbacks() + " pair(s)");
        t.row(
                "worst pair (net PnL)",
                c.worst()
                        .map(w -> "pair " + w.pairId() + " " + w.asset() + ": " + usd(w.netPnl()))
                        .orElse("none"));
        t.row("max drawdown of net PnL", usd(c.maxDrawdown()));
        t.row(
                "collateral ratio (equity / maintenance)",
                f.collateral()
                        .overall()
                        .map(r -> "average " + ratio(r.average()) + ", max " + ratio(r.max()) + ", lowest "
                                + ratio(r.min()))
                        .orElse("not measured"));
        f.maker().rows(t);
        t.row(
                "wall time",
                String.format("%.2f s (%.1f simulated days per second)", f.wallSeconds(), f.daysPerSecond()));
        t.print(out);
        if (f.database() != null) {
            out.println(
                    "book kept in " + f.database() + ": history, status and report read it with --db " + f.database());
        }
    }

    /** The figures under the stable keys scripts rely on, and a few more. */
    static ObjectNode json(Figures f) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        fill(n, f);
        return n;
    }

    private static void fill(ObjectNode n, Figures f) {
        CostSummary c = f.cost();
        n.put("days", f.days());
        n.put("pairs", c.pairs());
        n.put("volume_usd", Money.plain(c.volume()));
        n.put("fees_usd", Money.plain(c.fees()));
        n.put("slippage_usd", Money.plain(c.slippage()));
        n.put("funding_usd", Money.plain(c.funding()));
        n.put("net_cost_usd", Money.plain(c.netCost()));
        putOrNull(n, "cost_per_1m_usd", c.costPer1m());
        n.put("points", Money.plain(c.points()));
        putOrNull(n, "cost_per_point_usd", c.costPerPoint());
        n.put("liquidations", c.liquidations());
        n.put("rollbacks", c.rollbacks());
        n.put("wall_seconds", Math.round(f.wallSeconds() * 1000) / 1000.0);
        n.put("seed", f.seed());
        n.put("start", f.start().toString());
        n.put("steps", f.steps());
        n.put("price_pnl_usd", Money.plain(c.pricePnl()));
        n.put("max_drawdown_usd", Money.plain(c.maxDrawdown()));
        ObjectNode fees = n.putObject("fees_by_venue_usd");
        c.feesByVenue().forEach((v, x) -> fees.put(v.configName(), Money.plain(x)));
        ObjectNode funding = n.putObject("funding_by_venue_usd");
        c.fundingByVenue().forEach((v, x) -> funding.put(v.configName(), Money.plain(x)));
        putOrNull(n, "collateral_ratio_avg", f.collateral().overall().map(r -> r.average()));
        putOrNull(n, "collateral_ratio_max", f.collateral().overall().map(r -> r.max()));
        f.maker().json(n);
    }

    /** The index of the cheapest result: the lowest cost per point (results without points never win). */
    static Optional<Integer> cheapest(List<Figures> results) {
        return IntStream.range(0, results.size())
                .boxed()
                .filter(i -> results.get(i).cost().costPerPoint().isPresent())
                .min(Comparator.comparing(
                        (Integer i) -> results.get(i).cost().costPerPoint().orElseThrow()));
    }

    static void printSweep(
            List<SimulateCommand.Sweep> grid,
            List<Map<String, String>> combos,
            List<Figures> results,
            Optional<Integer> cheapest,
            int days,
            double wall,
            PrintWriter out) {
        out.println("perp-trader simulate --sweep: " + combos.size() + " combinations of " + days + " days each, "
                + String.format("%.2f s in all", wall));
        List<String> headers = Stream.concat(
                        grid.stream().map(SimulateCommand.Sweep::key),
                        Stream.of(
                                "PAIRS",
                                "NET_COST",
                                "COST_PER_1M",
                                "FLOOR_ONE_TAKER_LEG",
                                "COST_PER_POINT",
                                "LIQUIDATIONS",
                                ""))
                .toList();
        Table t = new Table(headers.toArray(String[]::new));
        for (int i = 0; i < combos.size(); i++) {
            CostSummary c = results.get(i).cost();
            List<Object> cells = Stream.concat(
                            combos.get(i).values().stream(),
                            Stream.of(
                                    c.pairs(),
                                    usd(c.netCost()),
                                    c.costPer1m().map(SimulationRun::usd).orElse("-"),
                                    usd(results.get(i).maker().oneTakerLegPer1m()),
                                    c.costPerPoint().map(SimulationRun::usd4).orElse("-"),
                                    c.liquidations(),
                                    cheapest.isPresent() && cheapest.get() == i ? "<- cheapest" : ""))
                    .map(o -> (Object) o)
                    .toList();
            t.row(cells.toArray());
        }
        t.print(out);
        out.println("FLOOR_ONE_TAKER_LEG: fees alone per $1M of volume when one venue rests (maker fee) and the"
                + " other takes: the least a maker-first run can cost");
    }

    static ObjectNode sweepJson(
            List<Map<String, String>> combos,
            List<Figures> results,
            Optional<Integer> cheapest,
            int days,
            double wall) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("days", days);
        root.put("wall_seconds", Math.round(wall * 1000) / 1000.0);
        if (cheapest.isPresent()) {
            root.put("cheapest", cheapest.get());
        } else {
            root.putNull("cheapest");
        }
        ArrayNode rows = root.putArray("runs");
        for (int i = 0; i < combos.size(); i++) {
            ObjectNode row = rows.addObject();
            ObjectNode settings = row.putObject("settings");
            combos.get(i).forEach(settings::put);
            fill(row, results.get(i));
        }
        return root;
    }

    private static String byVenue(Map<Venue, BigDecimal> amounts) {
        if (amounts.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (");
        amounts.forEach((v, x) -> b.append(b.length() > 2 ? ", " : "")
                .append(v.configName())
                .append(' ')
                .append(usd(x)));
        return b.append(')').toString();
    }

    private static void putOrNull(ObjectNode n, String key, Optional<BigDecimal> v) {
        if (v.isPresent()) {
            n.put(key, Money.plain(v.get()));
        } else {
            n.putNull(key);
        }
    }

    private static String usd(BigDecimal v) {
        return Money.usd(v).toPlainString() + " USD";
    }

    private static String usd4(BigDecimal v) {
        return v.setScale(4, RoundingMode.HALF_EVEN).toPlainString() + " USD";
    }

    private static String ratio(BigDecimal r) {
        return r.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
