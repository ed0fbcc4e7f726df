package dev.perptrader.ops;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Telemetry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics read at scrape time, all from one read of the book (over its read-only connection)
 * so they agree with each other and equal the database exactly, plus what the last monitor tick
 * saw and the health decided now.
 *
 * <p>Cumulative figures come from the {@code hedge_pairs} row of every pair that has ended. Volume
 * and points are counters: each pair adds a figure that cannot be negative and never changes once
 * written, and rows are never deleted, so the sums only grow (a new database is a counter reset,
 * which {@code rate()} and {@code increase()} handle). Fees, funding and net PnL are gauges: they
 * are signed (a rebate is a negative fee, funding is paid or received), so their sums can fall,
 * which a counter must never do.
 */
final class BookMetrics implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(BookMetrics.class);

    private final Store book;
    private final List<Venue> venues;
    private final List<String> markets;
    private final LastTick lastTick;
    private final HealthCheck health;
    private volatile boolean bookFailing;

    BookMetrics(Store book, List<Venue> venues, List<String> markets, LastTick lastTick, HealthCheck health) {
        this.book = book;
        this.venues = List.copyOf(venues);
        this.markets = List.copyOf(markets);
        this.lastTick = lastTick;
        this.health = health;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        readPairs().ifPresent(pairs -> book(pairs, out));
        lastTick.get().ifPresent(tick -> tick(tick, out));
        Health h = health.now();
        out.add(gauge(
                "perp_trader_healthy",
                "1 while /health answers 200, 0 while it answers 503",
                Map.of(Labels.EMPTY, h.ok() ? 1.0 : 0.0)));
        out.add(gauge(
                "perp_trader_opening_paused",
                "1 while opening is paused (until 'perp-trader resume'), else 0",
                Map.of(Labels.EMPTY, h.pause().isPresent() ? 1.0 : 0.0)));
        return new MetricSnapshots(out);
    }

    private Optional<List<HedgePair>> readPairs() {
        try {
            List<HedgePair> pairs = book.pairs(EnumSet.allOf(PairStatus.class));
            if (bookFailing) {
                LOG.info("metrics: the database can be read again");
                bookFailing = false;
            }
            return Optional.of(pairs);
        } catch (RuntimeException e) {
            if (!bookFailing) {
                LOG.warn("metrics: cannot read the database, serving the other metrics: {}", e.toString());
                bookFailing = true;
            }
            return Optional.empty();
        }
    }

    private void book(List<HedgePair> pairs, List<MetricSnapshot> out) {
        Map<Labels, Double> open = new TreeMap<>();
        Map<Labels, BigDecimal> notional = new TreeMap<>();
        for (Venue v : venues) {
            for (String asset : markets) {
                open.put(venueAsset(v, asset), 0.0);
                notional.put(venueAsset(v, asset), BigDecimal.ZERO);
            }
        }
        Map<PairStatus, Double> byStatus = new EnumMap<>(PairStatus.class);
        for (PairStatus st : PairStatus.values()) {
            byStatus.put(st, 0.0);
        }
        for (HedgePair p : pairs) {
            byStatus.merge(p.status(), 1.0, Double::sum);
            if (p.status() == PairStatus.OPEN) {
                for (Venue v : List.of(p.longVenue(), p.shortVenue())) {
                    open.merge(venueAsset(v, p.asset()), 1.0, Double::sum);
                    notional.merge(venueAsset(v, p.asset()), p.notional(), BigDecimal::add);
                }
            }
        }
        out.add(gauge("perp_trader_open_pairs", "Pairs OPEN now with a leg on the venue, by venue and asset", open));
        out.add(gauge(
                "perp_trader_open_notional_usd",
                "Notional (USD, at open) of the OPEN pairs' legs, by venue and asset",
                doubles(notional)));
        Map<Labels, Double> statuses = new TreeMap<>();
        byStatus.forEach((st, n) -> statuses.put(Labels.of("status", st.name()), n));
        out.add(gauge("perp_trader_pairs", "Pairs in the database, by status", statuses));

        BigDecimal fees = sum(pairs, HedgePair::fees);
        BigDecimal funding = sum(pairs, HedgePair::funding);
        BigDecimal net = sum(pairs, HedgePair::realizedPnl).subtract(fees).add(funding);
        out.add(counter(
                "perp_trader_volume_usd",
                "Traded notional (USD) of every pair that has ended",
                sum(pairs, HedgePair::volume).doubleValue()));
        out.add(counter(
                "perp_trader_points",
                "Estimated points of every pair that has ended",
                sum(pairs, HedgePair::points).doubleValue()));
        out.add(gauge(
                "perp_trader_fees_usd",
                "Fees (USD) paid by every pair that has ended",
                Map.of(Labels.EMPTY, fees.doubleValue())));
        out.add(gauge(
                "perp_trader_funding_usd",
                "Net funding (USD, + = received) of every pair that has ended",
                Map.of(Labels.EMPTY, funding.doubleValue())));
        out.add(gauge(
                "perp_trader_net_pnl_usd",
                "Net PnL (USD: realized - fees + funding) of every pair that has ended",
                Map.of(Labels.EMPTY, net.doubleValue())));
    }

    private void tick(Telemetry.Tick tick, List<MetricSnapshot> out) {
        out.add(gauge(
                "perp_trader_last_tick_timestamp_seconds",
                "When the last monitor tick completed (Unix time)",
                Map.of(Labels.EMPTY, tick.at().toEpochMilli() / 1000.0)));
        out.add(gauge(
                "perp_trader_unrealized_pnl_usd",
                "Unrealized PnL (USD) of the legs held on the venue, as of the last monitor tick that read it",
                doubles(byVenue(tick.unrealizedPnl()))));
        out.add(gauge(
                "perp_trader_collateral_ratio",
                "Equity / maintenance margin on the venue at the last monitor tick (absent while no margin is in use)",
                doubles(byVenue(tick.collateralRatios()))));
    }

    private static Map<Labels, BigDecimal> byVenue(Map<Venue, BigDecimal> values) {
        Map<Labels, BigDecimal> out = new TreeMap<>();
        values.forEach((v, x) -> out.put(Labels.of("venue", v.configName()), x));
        return out;
    }

    private static Labels venueAsset(Venue v, String asset) {
        return Labels.of("venue", v.configName(), "asset", asset);
    }

    /** The exact sum of a figure over the pairs that have it (those that ended); a double only at the edge. */
    private static BigDecimal sum(List<HedgePair> pairs, Function<HedgePair, BigDecimal> figure) {
        return pairs.stream().map(figure).filter(Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Map<Labels, Double> doubles(Map<Labels, BigDecimal> values) {
        Map<Labels, Double> out = new TreeMap<>();
        values.forEach((labels, x) -> out.put(labels, x.doubleValue()));
        return out;
    }

    private static GaugeSnapshot gauge(String name, String help, Map<Labels, Double> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach((labels, v) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(labels)
                .value(v)
                .build()));
        return b.build();
    }

    /** {@code name} without the {@code _total} the exposition adds. */
    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .value(value)
                        .build())
                .build();
    }
}
