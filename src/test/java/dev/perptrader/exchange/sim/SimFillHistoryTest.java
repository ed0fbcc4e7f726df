package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.BP_SOL;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.reduce;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sim venue's own fill history: executed orders and liquidations, as a real venue publishes them. */
final class SimFillHistoryTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");

    @Test
    void listsExecutedOrdersAndTheLiquidationOldestFirstWithPricesAndFees() {
        Instant start = clock.instant();
        try (SimWorld world = SimWorld.open(new SimParams(dir).balance("1000").build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            bp.ensureLeverage(BP_BTC, dec("10"));
            bp.ensureLeverage(BP_SOL, dec("10"));
            Fill opened = bp.placeMarketOrder(buy(bp, BP_BTC, "0.15"));
            bp.placeMarketOrder(buy(bp, BP_SOL, "1"));
            clock.advance(Duration.ofMinutes(1));
            Fill trimmed = bp.placeMarketOrder(reduce(bp, BP_BTC, OrderSide.SELL, "0.05"));
            clock.advance(Duration.ofMinutes(1));
            bp.forceLiquidation(BP_BTC);

            List<VenueFill> history = bp.fillsSince(BP_BTC, start).orElseThrow();

            assertThat(history).hasSize(3);
            VenueFill first = history.get(0);
            assertThat(first.venueOrderId()).isEqualTo(opened.venueOrderId());
            assertThat(first.clientId()).isEqualTo(opened.clientId());
            assertThat(first.symbol()).isEqualTo(BP_BTC);
            assertThat(first.side()).isEqualTo(OrderSide.BUY);
            assertThat(first.qty()).isEqualByComparingTo("0.15");
            // 60000 + 5 bps of slippage; fee 0.15 × 60030 × 0.05 %
            assertThat(first.price()).isEqualByComparingTo("60030");
            assertThat(first.feeUsd()).isEqualByComparingTo("4.50225");
            assertThat(first.at()).isEqualTo(start);
            assertThat(first.liquidation()).isFalse();
            assertThat(history.get(1).clientId()).isEqualTo(trimmed.clientId());
            assertThat(history.get(1).side()).isEqualTo(OrderSide.SELL);
            assertThat(history.get(1).qty()).isEqualByComparingTo("0.05");
            assertThat(history.get(1).liquidation()).isFalse();
            VenueFill liquidation = history.get(2);
            assertThat(liquidation.liquidation()).isTrue();
            assertThat(liquidation.clientId()).isNull();
            assertThat(liquidation.venueOrderId()).startsWith("liquidation-");
            assertThat(liquidation.side()).as("a long is liquidated by a sell").isEqualTo(OrderSide.SELL);
            assertThat(liquidation.qty()).isEqualByComparingTo("0.1");
            assertThat(liquidation.price()).isEqualByComparingTo("60000");
            // 0.1 × 60000 × 1 %
            assertThat(liquidation.feeUsd()).isEqualByComparingTo("60");
            assertThat(liquidation.at()).isEqualTo(start.plus(Duration.ofMinutes(2)));
        }
    }

    @Test
    void startsAtSinceAndKeepsEachSymbolAndVenueApart() {
        Instant start = clock.instant();
        try (SimWorld world = SimWorld.open(new SimParams(dir).build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
            hb.placeMarketOrder(sell(hb, HB_BTC, "0.01"));
            clock.advance(Duration.ofSeconds(30));
            Instant later = clock.instant();
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.02"));

            assertThat(bp.fillsSince(BP_BTC, start).orElseThrow()).hasSize(2);
            assertThat(bp.fillsSince(BP_BTC, later).orElseThrow())
                    .singleElement()
                    .satisfies(f -> assertThat(f.qty()).isEqualByComparingTo("0.02"));
            assertThat(bp.fillsSince(BP_SOL, start).orElseThrow()).isEmpty();
            assertThat(hb.fillsSince(HB_BTC, start).orElseThrow())
                    .singleElement()
                    .satisfies(f -> assertThat(f.side()).isEqualTo(OrderSide.SELL));
        }
    }

    @Test
    void aLiquidatedShortIsClosedByABuyAndTheHistorySurvivesARestart() {
        Instant start = clock.instant();
        try (SimWorld world = SimWorld.open(new SimParams(dir).build(), clock)) {
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            hb.placeMarketOrder(sell(hb, HB_BTC, "0.02"));
            clock.advance(Duration.ofSeconds(1));
            hb.forceLiquidation(HB_BTC);
        }
        try (SimWorld world = SimWorld.open(new SimParams(dir).build(), clock)) {
            List<VenueFill> history =
                    world.venue(HibachiExchange.VENUE).fillsSince(HB_BTC, start).orElseThrow();
            assertThat(history)
                    .extracting(VenueFill::side, VenueFill::liquidation)
                    .containsExactly(Tuple.tuple(OrderSide.SELL, false), Tuple.tuple(OrderSide.BUY, true));
            assertThat(history.get(1).qty()).isEqualByComparingTo("0.02");
            // 0.02 × 60000 × 1 %
            assertThat(history.get(1).feeUsd()).isEqualByComparingTo("12");
        }
    }
}
