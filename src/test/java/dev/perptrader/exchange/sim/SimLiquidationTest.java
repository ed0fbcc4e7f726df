package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.BP_SOL;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SimLiquidationTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");

    @Test
    void equityBelowMaintenanceClosesEveryPositionAtMarkWithAFee() {
        try (SimWorld world = SimWorld.open(new SimParams(dir).balance("1000").build(), clock)) {
            SimVenue bp = openLeveraged(world);

            bp.setMid("BTC", dec("58000"));
            assertThat(bp.account().positions()).hasSize(2);

            bp.setMid("BTC", dec("54000"));

            AccountState account = bp.account();
            assertThat(account.positions()).isEmpty();
            // 1000 − 4.50225 − 0.07504 − 904.5 − 81 (BTC) − 0.08 − 1.5 (SOL)
            assertThat(account.equity()).isEqualByComparingTo("8.34271");
            assertThat(account.maintenanceMargin()).isEqualByComparingTo("0");
            assertThat(world.venue(HibachiExchange.VENUE).account().equity()).isEqualByComparingTo("1000");
        }
    }

    @Test
    void forcedLiquidationClosesOnlyThatSymbol() {
        try (SimWorld world = SimWorld.open(new SimParams(dir).balance("1000").build(), clock)) {
            SimVenue bp = openLeveraged(world);

            bp.forceLiquidation(BP_BTC);

            AccountState account = bp.account();
            assertThat(account.position(BP_BTC)).isEmpty();
            assertThat(account.position(BP_SOL)).isPresent();
            // 1000 − 4.50225 − 0.07504 − 4.5 − 90, plus SOL upnl −0.08
            assertThat(account.equity()).isEqualByComparingTo("900.84271");
            assertThatThrownBy(() -> bp.forceLiquidation(BP_BTC)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aPriceWalkAgainstAHighlyLeveragedPositionLiquidatesIt() {
        SimParams params = new SimParams(dir).balance("1000").volatility("1.0");
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            hb.ensureLeverage(HB_BTC, dec("19"));
            hb.placeMarketOrder(sell(hb, HB_BTC, "0.3"));

            int steps = 0;
            while (hb.account().position(HB_BTC).isPresent() && steps < 2000) {
                clock.advance(Duration.ofMinutes(10));
                steps++;
            }

            assertThat(steps).isLessThan(2000);
            assertThat(hb.account().positions()).isEmpty();
            assertThat(hb.account().equity()).isLessThan(dec("1000"));
        }
    }

    private static SimVenue openLeveraged(SimWorld world) {
        SimVenue bp = world.venue(BackpackExchange.VENUE);
        bp.ensureLeverage(BP_BTC, dec("10"));
        bp.ensureLeverage(BP_SOL, dec("10"));
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.15"));
        bp.placeMarketOrder(buy(bp, BP_SOL, "1"));
        return bp;
    }
}
