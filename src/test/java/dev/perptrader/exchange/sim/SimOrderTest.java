package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.BP_SOL;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_ETH;
import static dev.perptrader.exchange.sim.SimOrders.HB_SOL;
import static dev.perptrader.exchange.sim.SimOrders.assertFails;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.reduce;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SimOrderTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    private SimWorld world;
    private SimVenue bp;
    private SimVenue hb;

    @BeforeEach
    void open() {
        world = SimWorld.open(new SimParams(dir).build(), clock);
        bp = world.venue(BackpackExchange.VENUE);
        hb = world.venue(HibachiExchange.VENUE);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void buyFillsAtMarkPlusSlippageWithExactFee() {
        OrderRequest request = buy(bp, BP_BTC, "0.01");

        Fill fill = bp.placeMarketOrder(request);

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.clientId()).isEqualTo(request.clientId());
        assertThat(fill.side()).isEqualTo(OrderSide.BUY);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.01");
        assertThat(fill.avgPrice()).isEqualByComparingTo("60030");
        assertThat(fill.fee()).isEqualByComparingTo("0.30015");
        AccountState account = bp.account();
        assertThat(account.equity()).isEqualByComparingTo("9999.39985");
        assertThat(account.maintenanceMargin()).isEqualByComparingTo("30");
        assertThat(account.freeCollateral()).isEqualByComparingTo("9399.39985");
        AccountState.Position position = account.position(BP_BTC).orElseThrow();
        assertThat(position.side()).isEqualTo(Side.LONG);
        assertThat(position.qty()).isEqualByComparingTo("0.01");
        assertThat(position.entryPrice()).isEqualByComparingTo("60030");
        assertThat(position.markPrice()).isEqualByComparingTo("60000");
        assertThat(position.unrealizedPnl()).isEqualByComparingTo("-0.3");
    }

    @Test
    void sellFillsAtMarkMinusSlippageRoundedToTheVenueTick() {
        Fill btc = hb.placeMarketOrder(sell(hb, HB_BTC, "0.0123"));
        Fill sol = hb.placeMarketOrder(buy(hb, HB_SOL, "0.1"));

        assertThat(btc.avgPrice()).isEqualByComparingTo("59970");
        assertThat(btc.fee()).isEqualByComparingTo("0.36881550");
        assertThat(sol.avgPrice()).isEqualByComparingTo("150.08");
        assertThat(sol.fee()).isEqualByComparingTo("0.007504");
        assertThat(hb.account().position(HB_BTC).orElseThrow().side()).isEqualTo(Side.SHORT);
    }

    @Test
    void openAndCloseRealizesTheExactPnlIntoTheBalance() {
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.1"));
        bp.setMid("BTC", dec("61000"));

        Fill close = bp.placeMarketOrder(reduce(bp, BP_BTC, OrderSide.SELL, "0.1"));

        assertThat(close.avgPrice()).isEqualByComparingTo("60969.5");
        assertThat(close.fee()).isEqualByComparingTo("3.048475");
        AccountState account = bp.account();
        assertThat(account.positions()).isEmpty();
        // 10000 + 0.1 × (60969.5 − 60030) − 3.0015 − 3.048475
        assertThat(account.equity()).isEqualByComparingTo("10087.900025");
        assertThat(account.freeCollateral()).isEqualByComparingTo("10087.900025");
        assertThat(account.maintenanceMargin()).isEqualByComparingTo("0");
    }

    @Test
    void increasingAPositionAveragesTheEntry() {
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
        bp.setMid("BTC", dec("62000"));
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.03"));

        AccountState.Position position = bp.account().position(BP_BTC).orElseThrow();
        assertThat(position.qty()).isEqualByComparingTo("0.04");
        // (0.01 × 60030 + 0.03 × 62031) / 0.04
        assertThat(position.entryPrice()).isEqualByComparingTo("61530.75");
    }

    @Test
    void anOpposingOrderLargerThanThePositionFlipsIt() {
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));

        bp.placeMarketOrder(sell(bp, BP_BTC, "0.03"));

        AccountState.Position position = bp.account().position(BP_BTC).orElseThrow();
        assertThat(position.side()).isEqualTo(Side.SHORT);
        assertThat(position.qty()).isEqualByComparingTo("0.02");
        assertThat(position.entryPrice()).isEqualByComparingTo("59970");
        // balance 10000 − 0.30015 − 0.89955 + 0.01 × (59970 − 60030); short upnl −0.02 × 30
        assertThat(bp.account().equity()).isEqualByComparingTo("9997.6003");
    }

    @Test
    void reduceOnlyLargerThanThePositionIsClampedToIt() {
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.02"));

        Fill fill = bp.placeMarketOrder(reduce(bp, BP_BTC, OrderSide.SELL, "0.05"));

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.02");
        assertThat(bp.account().positions()).isEmpty();
    }

    @Test
    void reduceOnlyWithoutAPositionIsRejected() {
        assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(reduce(bp, BP_BTC, OrderSide.SELL, "0.01")));
        assertThat(bp.orderCount()).isZero();
    }

    @Test
    void reduceOnlyInTheDirectionOfThePositionIsRejected() {
        hb.placeMarketOrder(sell(hb, HB_BTC, "0.001"));

        assertFails(ExchangeError.REJECTED, () -> hb.placeMarketOrder(reduce(hb, HB_BTC, OrderSide.SELL, "0.001")));
        assertThat(hb.account().position(HB_BTC).orElseThrow().qty()).isEqualByComparingTo("0.001");
    }

    @Test
    void quantityOffTheStepIsBelowMinimum() {
        assertFails(ExchangeError.BELOW_MINIMUM, () -> bp.placeMarketOrder(buy(bp, BP_SOL, "0.015")));
        assertFails(ExchangeError.BELOW_MINIMUM, () -> hb.placeMarketOrder(buy(hb, HB_BTC, "0.00015")));
        assertThat(bp.orderCount() + hb.orderCount()).isZero();
    }

    @Test
    void quantityUnderTheMinimumNotionalIsBelowMinimum() {
        // 0.001 ETH × 3000 = 3 < 10
        assertFails(ExchangeError.BELOW_MINIMUM, () -> hb.placeMarketOrder(buy(hb, HB_ETH, "0.001")));
        assertThat(hb.placeMarketOrder(buy(hb, HB_ETH, "0.004")).state()).isEqualTo(OrderState.FILLED);
    }

    @Test
    void reduceOnlyIgnoresTheMinimums() {
        hb.placeMarketOrder(buy(hb, HB_ETH, "0.01"));

        Fill fill = hb.placeMarketOrder(reduce(hb, HB_ETH, OrderSide.SELL, "0.001"));

        assertThat(fill.filledQty()).isEqualByComparingTo("0.001");
        assertThat(hb.account().position(HB_ETH).orElseThrow().qty()).isEqualByComparingTo("0.009");
    }

    @Test
    void unknownSymbolIsRejected() {
        assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(buy(bp, "DOGE_USDC_PERP", "1")));
        assertFails(ExchangeError.REJECTED, () -> hb.placeMarketOrder(buy(hb, BP_BTC, "0.001")));
        assertFails(ExchangeError.REJECTED, () -> hb.ensureLeverage(BP_BTC, dec("2")));
    }

    @Test
    void orderBeyondFreeCollateralIsRefusedUntilLeverageAllowsIt() {
        OrderRequest tooBig = buy(bp, BP_BTC, "0.2");
        assertFails(ExchangeError.INSUFFICIENT_MARGIN, () -> bp.placeMarketOrder(tooBig));
        assertThat(bp.lookupOrder(BP_BTC, tooBig.clientId())).isEmpty();
        assertThat(bp.account().positions()).isEmpty();

        bp.ensureLeverage(BP_BTC, dec("2"));
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.2"));

        AccountState account = bp.account();
        // equity 10000 − 6.003 − 6; initial margin 0.2 × 60000 / 2
        assertThat(account.equity()).isEqualByComparingTo("9987.997");
        assertThat(account.freeCollateral()).isEqualByComparingTo("3987.997");
        assertThat(account.maintenanceMargin()).isEqualByComparingTo("600");
    }

    @Test
    void reducingOrdersPassEvenWithoutFreeCollateral() {
        bp.ensureLeverage(BP_BTC, dec("2"));
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.3"));
        bp.ensureLeverage(BP_BTC, dec("1"));
        assertThat(bp.account().freeCollateral()).isEqualByComparingTo("0");

        assertFails(ExchangeError.INSUFFICIENT_MARGIN, () -> bp.placeMarketOrder(buy(bp, BP_BTC, "0.01")));
        Fill fill = bp.placeMarketOrder(sell(bp, BP_BTC, "0.1"));

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(bp.account().position(BP_BTC).orElseThrow().qty()).isEqualByComparingTo("0.2");
    }

    @Test
    void aClientIdUsedBeforeIsRejected() {
        OrderRequest first = buy(bp, BP_BTC, "0.01");
        bp.placeMarketOrder(first);

        assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(first));
        assertThat(bp.orderCount()).isEqualTo(1);
        assertThat(bp.account().position(BP_BTC).orElseThrow().qty()).isEqualByComparingTo("0.01");
    }

    @Test
    void everyAcceptedOrderCanBeLookedUpByClientId() {
        OrderRequest request = sell(hb, HB_SOL, "0.5");
        Fill fill = hb.placeMarketOrder(request);

        assertThat(hb.lookupOrder(HB_SOL, request.clientId())).contains(fill);
        assertThat(hb.lookupOrder(HB_BTC, request.clientId())).isEmpty();
        assertThat(bp.lookupOrder(HB_SOL, request.clientId())).isEmpty();
        assertThat(hb.lookupOrder(HB_SOL, "sim-hb-999999")).isEmpty();
    }

    @Test
    void clientIdsAreUniqueAndCountedPerVenue() {
        assertThat(bp.newClientId()).isEqualTo("sim-bp-000001");
        assertThat(bp.newClientId()).isEqualTo("sim-bp-000002");
        assertThat(hb.newClientId()).isEqualTo("sim-hb-000001");
    }

    @Test
    void fillsStoreVenueOrderIdsAndCountOrders() {
        Fill a = bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
        Fill b = bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));

        assertThat(a.venueOrderId()).isNotEqualTo(b.venueOrderId());
        assertThat(bp.orderCount()).isEqualTo(2);
        assertThat(hb.orderCount()).isZero();
    }

    @Test
    void leverageMustBePositive() {
        assertFails(ExchangeError.REJECTED, () -> bp.ensureLeverage(BP_BTC, BigDecimal.ZERO));
    }
}
