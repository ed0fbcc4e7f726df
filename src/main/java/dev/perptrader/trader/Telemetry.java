package dev.perptrader.trader;

import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * What the trader tells the outside about its own work, for health checks and metrics: a
 * completed monitor tick, an order's round trip, a venue call that failed. Called on the trading
 * thread (and the order threads): an implementation only records or enqueues, never blocks, never
 * throws. Every method does nothing by default; {@link #NONE} is the trader's default.
 */
public interface Telemetry {
    Telemetry NONE = new Telemetry() {};

    /**
     * A monitor tick that completed at {@code at} after {@code took}: the collateral ratio of each
     * venue read with margin in use, and the unrealized PnL of the legs held on each venue read.
     */
    record Tick(
            Instant at, Duration took, Map<Venue, BigDecimal> collateralRatios, Map<Venue, BigDecimal> unrealizedPnl) {
        public Tick {
            if (at == null || took == null) {
                throw new IllegalArgumentException("tick without time or duration");
            }
            collateralRatios = collateralRatios.isEmpty() ? Map.of() : new TreeMap<>(collateralRatios);
            unrealizedPnl = unrealizedPnl.isEmpty() ? Map.of() : new TreeMap<>(unrealizedPnl);
        }
    }

    default void tickCompleted(Tick tick) {}

    /**
     * One order sent to {@code venue} and answered (filled, refused or failed) after {@code took}.
     * Orders closing an orphan position count as {@link OrderPurpose#CLOSE}.
     */
    default void orderRoundTrip(Venue venue, OrderPurpose purpose, Duration took) {}

    /** A call to {@code venue} (an order, an order lookup, a monitor read) failed with {@code kind}. */
    default void venueError(Venue venue, ExchangeError kind) {}

    /** Every one of {@code all}, in order; one that throws does not stop the others. */
    static Telemetry fanOut(List<Telemetry> all) {
        List<Telemetry> each = List.copyOf(all);
        return new Telemetry() {
            @Override
            public void tickCompleted(Tick tick) {
                each.forEach(t -> safely(() -> t.tickCompleted(tick)));
            }

            @Override
            public void orderRoundTrip(Venue venue, OrderPurpose purpose, Duration took) {
                each.forEach(t -> safely(() -> t.orderRoundTrip(venue, purpose, took)));
            }

            @Override
            public void venueError(Venue venue, ExchangeError kind) {
                each.forEach(t -> safely(() -> t.venueError(venue, kind)));
            }
        };
    }

    /** Runs {@code r}; an exception from telemetry must never reach trading code. */
    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Telemetry.class).warn("telemetry failed: {}", e.toString());
        }
    }
}
