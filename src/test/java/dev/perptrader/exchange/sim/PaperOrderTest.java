package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.BP_ETH;
import static dev.perptrader.exchange.sim.SimOrders.BP_SOL;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.assertFails;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.reduce;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.PerpExchange.Quote;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paper mode: simulated fills and accounts priced by the venues' public data (faked here). */
final class PaperOrderTest {
    private static final Duration CACHE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:30:00Z");
    private final FakePublicFeed bpFeed = FakePublicFeed.backpack();
    private final FakePublicFeed hbFeed = FakePublicFeed.hibachi();
    private SimWorld world;
    private SimVenue bp;
    private SimVenue hb;

    @BeforeEach
    void open() {
        openWith(new SimParams(dir), "paper.db");
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void fillsAtTheFeedsMarkPlusOrMinusSlippageOnTheVenuesTickWithTheExactFee() {
        Fill buy = bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
        Fill sell = hb.placeMarketOrder(sell(hb, HB_BTC, "0.01"));

        // 64000.3 × 1.0005 = 64032.30015 → tick 0.5
        assertThat(buy.state()).isEqualTo(OrderState.FILLED);
        assertThat(buy.avgPrice()).isEqualByComparingTo("64032.5");
        assertThat(buy.fee()).isEqualByComparingTo("0.3201625");
        // 63990 × 0.9995 = 63958.005 → tick 1
        assertThat(sell.avgPrice()).isEqualByComparingTo("63958");
        assertThat(sell.fee()).isEqualByComparingTo("0.31979");
        AccountState account = bp.account();
        AccountState.Position position = account.position(BP_BTC).orElseThrow();
        assertThat(position.side()).isEqualTo(Side.LONG);
        assertThat(position.markPrice()).isEqualByComparingTo("64000.3");
        assertThat(position.unrealizedPnl()).isEqualByComparingTo("-0.322");
        assertThat(account.equity()).isEqualByComparingTo("9999.3578375");
        assertThat(account.maintenanceMargin()).isEqualByComparingTo("32.000150");
    }

    @Test
    void openAndCloseRealizesTheExactPnlAtTheFeedsMarks() {
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
        bpFeed.quote(BP_BTC, "65000.1", "0.0001");
        clock.advance(CACHE);

        Fill close = bp.placeMarketOrder(reduce(bp, BP_BTC, OrderSide.SELL, "0.01"));

        // 65000.1 × 0.9995 = 64967.59995 → tick 0.5
        assertThat(close.avgPrice()).isEqualByComparingTo("64967.5");
        assertThat(close.fee()).isEqualByComparingTo("0.3248375");
        AccountState account = bp.account();
        assertThat(account.positions()).isEmpty();
        // 10000 + 0.01 × (64967.5 − 64032.5) − 0.3201625 − 0.3248375
        assertThat(account.equity()).isEqualByComparingTo("10008.705");
        assertThat(account.freeCollateral()).isEqualByComparingTo("10008.705");
    }

    @Test
    void rulesComeFromTheFeedsMarketsAndAClosedMarketIsRefused() {
        Map<String, MarketRules> markets = bp.markets();
        assertThat(markets).containsOnlyKeys("BTC", "ETH", "SOL");
        assertThat(markets.get("BTC").stepSize()).isEqualByComparingTo("0.001");
        assertThat(markets.get("BTC").tickSize()).isEqualByComparingTo("0.5");
        assertThat(markets.get("ETH").open()).isFalse();

        assertFails(ExchangeError.BELOW_MINIMUM, () -> bp.placeMarketOrder(buy(bp, BP_BTC, "0.0025")));
        assertFails(ExchangeError.BELOW_MINIMUM, () -> bp.placeMarketOrder(buy(bp, BP_BTC, "0.001")));
        // 0.0001 × 63990 = 6.399 < 10
        assertFails(ExchangeError.BELOW_MINIMUM, () -> hb.placeMarketOrder(buy(hb, HB_BTC, "0.0001")));
        assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(buy(bp, BP_ETH, "0.1")));
        assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(buy(bp, "DOGE_USDC_PERP", "1")));
        assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(buy(bp, HB_BTC, "0.002")));
        assertThat(bp.orderCount() + hb.orderCount()).isZero();

        assertThat(bp.placeMarketOrder(buy(bp, BP_BTC, "0.002")).state()).isEqualTo(OrderState.FILLED);
        assertThat(hb.placeMarketOrder(buy(hb, HB_BTC, "0.0002")).state()).isEqualTo(OrderState.FILLED);
    }

    @Test
    void quotesCoverTheOpenMarketsOnlyAndOnlyThoseAreAskedFor() {
        Map<String, Quote> quotes = bp.quotes(List.of(BP_BTC, BP_ETH, BP_SOL, "DOGE_USDC_PERP"));

        assertThat(quotes).containsOnlyKeys(BP_BTC, BP_SOL);
        assertThat(quotes.get(BP_BTC).markPrice()).isEqualByComparingTo("64000.3");
        assertThat(quotes.get(BP_BTC).fundingRate()).isEqualByComparingTo("0.0001");
        assertThat(quotes.get(BP_SOL).markPrice()).isEqualByComparingTo("150.004");
        assertThat(quotes.get(BP_BTC).at()).isEqualTo(clock.instant());
        assertThat(bpFeed.lastQuoted()).containsExactlyInAnyOrder(BP_BTC, BP_SOL);
    }

    @Test
    void fundingIsChargedAtTheBoundaryAtTheVenuesCurrentRate() {
        Instant opened = clock.instant();
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.1"));
        hb.placeMarketOrder(sell(hb, HB_BTC, "0.1"));
        bpFeed.quote(BP_BTC, "65000", "0.0002");
        hbFeed.quote(HB_BTC, "64000", "-0.0001");

        clock.set(Instant.parse("2024-01-01T00:59:59Z"));
        assertThat(bp.quotes(List.of(BP_BTC)).get(BP_BTC).fundingRate()).isEqualByComparingTo("0.0002");
        assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("0");
        assertThat(hb.fundingBetween(HB_BTC, opened, clock.instant())).isEqualByComparingTo("0");

        clock.set(Instant.parse("2024-01-01T01:00:00Z"));

        // long: −0.1 × 65000 × 0.0002; short at a negative rate pays too: −0.1 × 64000 × 0.0001
        assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("-1.3");
        assertThat(hb.fundingBetween(HB_BTC, opened, clock.instant())).isEqualByComparingTo("-0.64");
        // 10000 − 0.1 × 64032.5 × 0.0005 + 0.1 × (65000 − 64032.5) − 1.3
        assertThat(bp.account().equity()).isEqualByComparingTo("10092.248375");
        // 10000 − 0.1 × 63958 × 0.0005 + 0.1 × (63958 − 64000) − 0.64
        assertThat(hb.account().equity()).isEqualByComparingTo("9991.9621");
    }

    @Test
    void aMarkMovingAgainstALeveragedPositionLiquidatesItAtTheFeedsMark() {
        world.close();
        openWith(new SimParams(dir).balance("1000"), "paper-small.db");
        bpFeed.quote(BP_BTC, "64000", "0");
        bp.ensureLeverage(BP_BTC, dec("10"));
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.15"));

        bpFeed.quote(BP_BTC, "62000", "0");
        clock.advance(CACHE);
        AccountState survived = bp.account();
        assertThat(survived.position(BP_BTC)).isPresent();
        // 1000 − 0.15 × 64032 × 0.0005 + 0.15 × (62000 − 64032); maintenance 0.15 × 62000 × 0.05
        assertThat(survived.equity()).isEqualByComparingTo("690.3976");
        assertThat(survived.maintenanceMargin()).isEqualByComparingTo("465");

        bpFeed.quote(BP_BTC, "60000", "0");
        clock.advance(CACHE);

        AccountState account = bp.account();
        assertThat(account.positions()).isEmpty();
        // 1000 − 4.8024 − 0.15 × 4032 − 0.15 × 60000 × 0.01
        assertThat(account.equity()).isEqualByComparingTo("300.3976");
        assertThat(hb.account().equity()).isEqualByComparingTo("1000");
    }

    @Test
    void setMidAndSetFundingRateAreRefused() {
        assertThatThrownBy(() -> bp.setMid("BTC", dec("70000")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("paper");
        assertThatThrownBy(() -> hb.setFundingRate(HB_BTC, dec("0.0001"))).isInstanceOf(IllegalStateException.class);

        assertThat(bp.quotes(List.of(BP_BTC)).get(BP_BTC).markPrice()).isEqualByComparingTo("64000.3");
    }

    @Test
    void aRestingOrderInPaperModeFillsWhenTheVenuesRealMarkTradesThroughIt() {
        // 64000.3 without spread: bid 64000.0, ask 64000.5 on the 0.5 tick
        assertThat(bp.topOfBook(BP_BTC).bid()).isEqualByComparingTo("64000");
        assertThat(bp.topOfBook(BP_BTC).ask()).isEqualByComparingTo("64000.5");
        assertFails(
                ExchangeError.WOULD_TAKE,
                () -> bp.placeLimitOrder(new LimitOrderRequest(
                        BP_BTC, OrderSide.BUY, dec("0.01"), dec("64000.5"), true, false, bp.newClientId())));
        RestingOrder order = bp.placeLimitOrder(
                new LimitOrderRequest(BP_BTC, OrderSide.BUY, dec("0.01"), dec("64000"), true, false, bp.newClientId()));
        assertThat(order.status()).isEqualTo(RestingOrder.Status.OPEN);

        bpFeed.quote(BP_BTC, "63999.5", "0");
        clock.advance(CACHE);

        RestingOrder filled = bp.restingOrder(BP_BTC, order.clientId()).orElseThrow();
        assertThat(filled.status()).isEqualTo(RestingOrder.Status.FILLED);
        assertThat(filled.avgPrice()).isEqualByComparingTo("64000");
        assertThat(bp.account().position(BP_BTC).orElseThrow().qty()).isEqualByComparingTo("0.01");
    }

    private void openWith(SimParams params, String file) {
        world = SimWorld.openPaper(params.build(), dir.resolve(file), FakePublicFeed.both(bpFeed, hbFeed), clock);
        bp = world.venue(BackpackExchange.VENUE);
        hb = world.venue(HibachiExchange.VENUE);
    }
}
