package dev.perptrader.ops;

import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Alert;
import dev.perptrader.trader.AlertKind;
import dev.perptrader.trader.Alerts;
import dev.perptrader.trader.Telemetry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;

/**
 * The bot's Prometheus metrics, all named {@code perp_trader_*}, in a registry of their own with
 * the JVM metrics. What happens (ticks, orders, venue errors, alerts) is counted as the trader
 * reports it, on its threads, without blocking; what the book holds (pairs, notional, volume,
 * fees, funding, points) and what the last tick saw are read at scrape time by {@link BookMetrics}.
 * Label values are spelled as the database spells them: venues by config name ({@code backpack}),
 * purposes, kinds and levels by their enum names ({@code OPEN}, {@code VENUE_DOWN}, {@code ERROR}).
 */
public final class BotMetrics implements Telemetry {
    /** Order round trips: from a few milliseconds (sim) to a venue's 30 s timeout. */
    private static final double[] ORDER_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** Monitor ticks: two reads per venue, a few writes; slow when a venue retries. */
    private static final double[] TICK_SECONDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram orderLatency;
    private final Histogram tickDuration;
    private final Counter venueErrors;
    private final Counter alerts;

    /**
     * @param book    the bot's database opened with {@link Store#openForReading}: scrapes read it
     *                there, never on the trading thread's connection
     * @param venues  the configured venues and {@code markets} the configured assets: their
     *                series are present (at zero) before anything happens
     */
    public BotMetrics(Store book, List<Venue> venues, List<String> markets, LastTick lastTick, HealthCheck health) {
        orderLatency = Histogram.builder()
                .name("perp_trader_order_latency_seconds")
                .help("Round trip of one order, from sending to the venue's answer or error, by venue and purpose")
                .labelNames("venue", "purpose")
                .classicOnly()
                .classicUpperBounds(ORDER_SECONDS)
                .register(registry);
        tickDuration = Histogram.builder()
                .name("perp_trader_tick_duration_seconds")
                .help("How long one monitor tick took (reads, marks, alerts)")
                .classicOnly()
                .classicUpperBounds(TICK_SECONDS)
                .register(registry);
        venueErrors = Counter.builder()
                .name("perp_trader_venue_errors_total")
                .help("Venue calls that failed (orders, order lookups, monitor reads), by venue and error kind")
                .labelNames("venue", "kind")
                .register(registry);
        alerts = Counter.builder()
                .name("perp_trader_alerts_total")
                .help("Alerts raised (after throttling), by kind and level")
                .labelNames("kind", "level")
                .register(registry);
        for (Venue v : venues) {
            for (ExchangeError kind : ExchangeError.values()) {
                venueErrors.labelValues(v.configName(), kind.name());
            }
        }
        for (AlertKind kind : AlertKind.values()) {
            for (Alerts.Level level : Alerts.Level.values()) {
                alerts.labelValues(kind.name(), level.name());
            }
        }
        registry.register(new BookMetrics(book, venues, markets, lastTick, health));
        JvmMetrics.builder().register(registry);
    }

    /** Everything {@code GET /metrics} serves. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Counts every alert the bot emits; add to {@link Alerts#addListener}. */
    public void alertRaised(Alert alert) {
        alerts.labelValues(alert.kind().name(), alert.level().name()).inc();
    }

    @Override
    public void tickCompleted(Tick tick) {
        tickDuration.observe(seconds(tick.took()));
    }

    @Override
    public void orderRoundTrip(Venue venue, OrderPurpose purpose, Duration took) {
        orderLatency.labelValues(venue.configName(), purpose.name()).observe(seconds(took));
    }

    @Override
    public void venueError(Venue venue, ExchangeError kind) {
        venueErrors.labelValues(venue.configName(), kind.name()).inc();
    }

    /** Seconds as Prometheus wants them; a wall clock set back mid-call counts as no time. */
    private static double seconds(Duration d) {
        return d.isNegative() ? 0 : d.toNanos() / 1e9;
    }
}
