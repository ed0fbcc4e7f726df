package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.assertFails;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.TopOfBook;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resting limit orders on the simulated venues and their queue model: a post-only order that
 * would cross is WOULD_TAKE; a resting buy fills, in full at its own price with the maker fee,
 * only when the venue's mark trades strictly below its price (a sell: strictly above); a
 * reduce-only order never opens or flips a position; orders survive a restart; the test hooks
 * fill, fail or race a cancel. The market is quiet: BTC is 60000 on both venues, Backpack's
 * spread 2 bps (book 59994 / 60006), Hibachi's none (60000 / 60001 on its tick of 1).
 */
final class SimRestingOrderTest {
    private static final String BP_MAKER = "0.0002";
    private static final String BP_TAKER = "0.0005";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:30:00Z");

    private AppConfig.Sim params() {
        SimParams p = new SimParams(dir).slippageBps("0").fee("0.0002");
        p.venue(BackpackExchange.VENUE, v -> {
            v.makerFee = dec(BP_MAKER);
            v.takerFee = dec(BP_TAKER);
            v.spreadBps = dec("2");
        });
        p.venue(HibachiExchange.VENUE, v -> v.makerFee = dec("0"));
        return p.build();
    }

    private static LimitOrderRequest postOnly(
            PerpExchange venue, String symbol, OrderSide side, String qty, String price) {
        return new LimitOrderRequest(symbol, side, dec(qty), dec(price), true, false, venue.newClientId());
    }

    private static LimitOrderRequest limit(
            PerpExchange venue,
            String symbol,
            OrderSide side,
            String qty,
            String price,
            boolean postOnly,
            boolean reduceOnly) {
        return new LimitOrderRequest(symbol, side, dec(qty), dec(price), postOnly, reduceOnly, venue.newClientId());
    }

    private static Optional<AccountState.Position> position(PerpExchange venue, String symbol) {
        return venue.account().positions().stream()
                .filter(p -> p.symbol().equals(symbol))
                .findFirst();
    }

    @Test
    void theTopOfTheBookIsTheMarkLessAndPlusHalfTheSpreadOnTheTick() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            TopOfBook bp = world.venue(BackpackExchange.VENUE).topOfBook(BP_BTC);
            TopOfBook hb = world.venue(HibachiExchange.VENUE).topOfBook(HB_BTC);

            assertThat(bp.bid()).isEqualByComparingTo("59994"); // 60000 × (1 − 0.0001)
            assertThat(bp.ask()).isEqualByComparingTo("60006");
            assertThat(hb.bid()).isEqualByComparingTo("60000"); // no spread: one tick apart
            assertThat(hb.ask()).isEqualByComparingTo("60001");
            assertFails(
                    ExchangeError.REJECTED,
                    () -> world.venue(BackpackExchange.VENUE).topOfBook("NOPE_USDC_PERP"));
        }
    }

    @Test
    void aClientIdUsedByAnyOrderMarketOrLimitIsRefusedOnThatVenueOnly() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            OrderRequest market = buy(bp, BP_BTC, "0.01");
            bp.placeMarketOrder(market);
            LimitOrderRequest rests = postOnly(bp, BP_BTC, OrderSide.BUY, "0.01", "59000");
            bp.placeLimitOrder(rests);
            AccountState before = bp.account();

            for (String used : List.of(market.clientId(), rests.clientId())) {
                assertThatThrownBy(() ->
                                bp.placeMarketOrder(new OrderRequest(BP_BTC, OrderSide.SELL, dec("0.01"), false, used)))
                        .as("a market order under %s", used)
                        .isInstanceOfSatisfying(
                                ExchangeException.class,
                                e -> assertThat(e.error()).isEqualTo(ExchangeError.REJECTED))
                        .hasMessageContaining("duplicate client id " + used);
                assertThatThrownBy(() -> bp.placeLimitOrder(new LimitOrderRequest(
                                BP_BTC, OrderSide.BUY, dec("0.01"), dec("58000"), true, false, used)))
                        .as("a limit order under %s", used)
                        .hasMessageContaining("duplicate client id " + used);
            }
            assertThat(bp.account()).as("nothing executed").isEqualTo(before);
            // another venue's ids are its own
            assertThat(hb.placeMarketOrder(
                                    new OrderRequest(HB_BTC, OrderSide.BUY, dec("0.01"), false, market.clientId()))
                            .filledQty())
                    .isEqualByComparingTo("0.01");
        }
    }

    @Test
    void aPostOnlyOrderThatWouldCrossIsWouldTakeAndChangesNothing() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            AccountState before = bp.account();
            LimitOrderRequest buyAtAsk = postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "60006");
            LimitOrderRequest sellAtBid = postOnly(bp, BP_BTC, OrderSide.SELL, "0.1", "59994");

            assertFails(ExchangeError.WOULD_TAKE, () -> bp.placeLimitOrder(buyAtAsk));
            assertFails(ExchangeError.WOULD_TAKE, () -> bp.placeLimitOrder(sellAtBid));

            assertThat(bp.account()).isEqualTo(before);
            assertThat(bp.restingOrder(BP_BTC, buyAtAsk.clientId())).isEmpty();
            assertThat(bp.restingOrder(BP_BTC, sellAtBid.clientId())).isEmpty();
            // one tick inside the spread rests
            assertThat(bp.placeLimitOrder(postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "60005.9"))
                            .status())
                    .isEqualTo(RestingOrder.Status.OPEN);
        }
    }

    @Test
    void aRestingBuyFillsOnlyWhenTheMarkTradesStrictlyBelowItsPriceAtItsPriceWithTheMakerFee() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            RestingOrder placed = bp.placeLimitOrder(postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "59990"));
            assertThat(placed.status()).isEqualTo(RestingOrder.Status.OPEN);
            assertThat(placed.avgPrice()).isNull();

            bp.setMid("BTC", dec("59990")); // at its price: not through it
            clock.advance(Duration.ofMinutes(1));
            assertThat(bp.restingOrder(BP_BTC, placed.clientId()).orElseThrow().status())
                    .isEqualTo(RestingOrder.Status.OPEN);
            assertThat(position(bp, BP_BTC)).isEmpty();

            bp.setMid("BTC", dec("59989.9"));
            RestingOrder filled = bp.restingOrder(BP_BTC, placed.clientId()).orElseThrow();

            assertThat(filled.status()).isEqualTo(RestingOrder.Status.FILLED);
            assertThat(filled.filledQty()).isEqualByComparingTo("0.1");
            assertThat(filled.avgPrice()).isEqualByComparingTo("59990");
            assertThat(filled.fee()).isEqualByComparingTo("1.1998"); // 0.1 × 59990 × 0.0002
            AccountState.Position p = position(bp, BP_BTC).orElseThrow();
            assertThat(p.side()).isEqualTo(Side.LONG);
            assertThat(p.qty()).isEqualByComparingTo("0.1");
            assertThat(p.entryPrice()).isEqualByComparingTo("59990");
            List<VenueFill> fills = bp.fillsSince(BP_BTC, Instant.EPOCH).orElseThrow();
            assertThat(fills).hasSize(1);
            assertThat(fills.get(0).clientId()).isEqualTo(placed.clientId());
            assertThat(fills.get(0).price()).isEqualByComparingTo("59990");
        }
    }

    @Test
    void aRestingSellFillsOnlyWhenTheMarkTradesStrictlyAboveItsPrice() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            RestingOrder placed = hb.placeLimitOrder(postOnly(hb, HB_BTC, OrderSide.SELL, "0.1", "60010"));

            hb.setMid("BTC", dec("60010"));
            assertThat(hb.restingOrder(HB_BTC, placed.clientId()).orElseThrow().status())
                    .isEqualTo(RestingOrder.Status.OPEN);

            hb.setMid("BTC", dec("60011"));
            RestingOrder filled = hb.restingOrder(HB_BTC, placed.clientId()).orElseThrow();

            assertThat(filled.status()).isEqualTo(RestingOrder.Status.FILLED);
            assertThat(filled.avgPrice()).isEqualByComparingTo("60010");
            assertThat(filled.fee()).isEqualByComparingTo("0"); // Hibachi's maker fee
            assertThat(position(hb, HB_BTC).orElseThrow().side()).isEqualTo(Side.SHORT);
        }
    }

    @Test
    void aCrossingOrderThatIsNotPostOnlyFillsAtOnceAtTheTouchWithTheTakerFee() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);

            RestingOrder order = bp.placeLimitOrder(limit(bp, BP_BTC, OrderSide.BUY, "0.1", "60100", false, false));

            assertThat(order.status()).isEqualTo(RestingOrder.Status.FILLED);
            assertThat(order.avgPrice()).isEqualByComparingTo("60006"); // the ask
            assertThat(order.fee()).isEqualByComparingTo("3.0003"); // 0.1 × 60006 × 0.0005
        }
    }

    @Test
    void theFillHookFillsPartThenAllAtTheOrdersPrice() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            RestingOrder placed = bp.placeLimitOrder(postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "59990"));

            RestingOrder part = bp.fillResting(placed.clientId(), dec("0.04"));

            assertThat(part.status()).isEqualTo(RestingOrder.Status.OPEN);
            assertThat(part.filledQty()).isEqualByComparingTo("0.04");
            assertThat(part.remaining()).isEqualByComparingTo("0.06");
            assertThat(part.fee()).isEqualByComparingTo("0.479920"); // 0.04 × 59990 × 0.0002
            assertThat(position(bp, BP_BTC).orElseThrow().qty()).isEqualByComparingTo("0.04");

            RestingOrder all = bp.fillResting(placed.clientId(), dec("5"));

            assertThat(all.status()).isEqualTo(RestingOrder.Status.FILLED);
            assertThat(all.filledQty()).isEqualByComparingTo("0.1");
            assertThat(bp.fillsSince(BP_BTC, Instant.EPOCH).orElseThrow()).hasSize(2);
            assertThatThrownBy(() -> bp.fillResting(placed.clientId(), dec("0.01")))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aCancelledOrderKeepsWhatFilledAndNeverFillsAgain() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            RestingOrder placed = bp.placeLimitOrder(postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "59990"));
            bp.fillResting(placed.clientId(), dec("0.03"));

            RestingOrder cancelled = bp.cancelOrder(BP_BTC, placed.clientId()).orElseThrow();

            assertThat(cancelled.status()).isEqualTo(RestingOrder.Status.CANCELLED);
            assertThat(cancelled.filledQty()).isEqualByComparingTo("0.03");
            assertThat(cancelled.remaining()).isEqualByComparingTo("0");
            bp.setMid("BTC", dec("59000"));
            assertThat(bp.restingOrder(BP_BTC, placed.clientId())).contains(cancelled);
            assertThat(bp.cancelOrder(BP_BTC, placed.clientId())).contains(cancelled);
            assertThat(position(bp, BP_BTC).orElseThrow().qty()).isEqualByComparingTo("0.03");
            assertThat(bp.cancelOrder(BP_BTC, "sim-bp-999999")).isEmpty();
        }
    }

    @Test
    void aFailedCancelLeavesTheOrderResting() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            RestingOrder placed = bp.placeLimitOrder(postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "59990"));
            bp.failNextCancel(ExchangeError.UNKNOWN_OUTCOME);

            assertFails(ExchangeError.UNKNOWN_OUTCOME, () -> bp.cancelOrder(BP_BTC, placed.clientId()));

            assertThat(bp.restingOrder(BP_BTC, placed.clientId()).orElseThrow().status())
                    .isEqualTo(RestingOrder.Status.OPEN);
            assertThat(bp.cancelOrder(BP_BTC, placed.clientId()).orElseThrow().status())
                    .isEqualTo(RestingOrder.Status.CANCELLED);
        }
    }

    @Test
    void aFillThatRacesTheCancelIsReportedByTheCancel() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            RestingOrder partly = bp.placeLimitOrder(postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "59990"));
            RestingOrder wholly = bp.placeLimitOrder(postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "59980"));

            bp.raceNextCancel(dec("0.05"));
            RestingOrder first = bp.cancelOrder(BP_BTC, partly.clientId()).orElseThrow();
            bp.raceNextCancel(dec("1"));
            RestingOrder second = bp.cancelOrder(BP_BTC, wholly.clientId()).orElseThrow();

            assertThat(first.status()).isEqualTo(RestingOrder.Status.CANCELLED);
            assertThat(first.filledQty()).isEqualByComparingTo("0.05");
            assertThat(second.status()).isEqualTo(RestingOrder.Status.FILLED);
            assertThat(second.filledQty()).isEqualByComparingTo("0.1");
            assertThat(position(bp, BP_BTC).orElseThrow().qty()).isEqualByComparingTo("0.15");
        }
    }

    @Test
    void aReduceOnlyRestingOrderFillsAtMostThePositionAndNeverFlipsIt() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.1"));
            RestingOrder exit = bp.placeLimitOrder(limit(bp, BP_BTC, OrderSide.SELL, "0.3", "60010", true, true));
            assertThat(exit.status()).isEqualTo(RestingOrder.Status.OPEN);

            bp.setMid("BTC", dec("60020"));
            RestingOrder after = bp.restingOrder(BP_BTC, exit.clientId()).orElseThrow();

            assertThat(after.filledQty()).isEqualByComparingTo("0.1");
            assertThat(after.status()).isEqualTo(RestingOrder.Status.CANCELLED); // the rest had nothing to reduce
            assertThat(position(bp, BP_BTC)).isEmpty();
        }
    }

    @Test
    void aReduceOnlyRestingOrderWhosePositionWentIsCancelledUnfilled() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.1"));
            RestingOrder exit = bp.placeLimitOrder(limit(bp, BP_BTC, OrderSide.SELL, "0.1", "60010", true, true));
            bp.placeMarketOrder(sell(bp, BP_BTC, "0.1")); // the position closed by other means

            bp.setMid("BTC", dec("60020"));
            RestingOrder after = bp.restingOrder(BP_BTC, exit.clientId()).orElseThrow();

            assertThat(after.status()).isEqualTo(RestingOrder.Status.CANCELLED);
            assertThat(after.filledQty()).isEqualByComparingTo("0");
            assertThat(position(bp, BP_BTC)).isEmpty();
            assertFails(
                    ExchangeError.REJECTED,
                    () -> bp.placeLimitOrder(limit(bp, BP_BTC, OrderSide.SELL, "0.1", "60030", true, true)));
        }
    }

    @Test
    void restingOrdersSurviveARestartAndFillAfterIt() {
        AppConfig.Sim params = params();
        LimitOrderRequest bid;
        LimitOrderRequest ask;
        try (SimWorld world = SimWorld.open(params, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bid = postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "59990");
            ask = postOnly(hb, HB_BTC, OrderSide.SELL, "0.1", "60010");
            bp.placeLimitOrder(bid);
            hb.placeLimitOrder(ask);
            bp.fillResting(bid.clientId(), dec("0.02"));
        }

        try (SimWorld world = SimWorld.open(params, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            RestingOrder restored = bp.restingOrder(BP_BTC, bid.clientId()).orElseThrow();
            assertThat(restored.status()).isEqualTo(RestingOrder.Status.OPEN);
            assertThat(restored.filledQty()).isEqualByComparingTo("0.02");
            assertThat(hb.restingOrder(HB_BTC, ask.clientId()).orElseThrow().status())
                    .isEqualTo(RestingOrder.Status.OPEN);
            assertFails(ExchangeError.REJECTED, () -> bp.placeLimitOrder(bid));
            assertFails(
                    ExchangeError.REJECTED,
                    () -> bp.placeMarketOrder(
                            new OrderRequest(BP_BTC, OrderSide.BUY, dec("0.1"), false, bid.clientId())));

            bp.setMid("BTC", dec("59980"));
            clock.advance(Duration.ofSeconds(1));

            RestingOrder filled = bp.restingOrder(BP_BTC, bid.clientId()).orElseThrow();
            assertThat(filled.status()).isEqualTo(RestingOrder.Status.FILLED);
            assertThat(filled.fee()).isEqualByComparingTo("1.1998");
            assertThat(hb.restingOrder(HB_BTC, ask.clientId()).orElseThrow().status())
                    .isEqualTo(RestingOrder.Status.OPEN);
        }
    }

    @Test
    void hibachiCannotRestAnOrderBothPostOnlyAndReduceOnlyWhileBackpackCan() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            hb.placeMarketOrder(buy(hb, HB_BTC, "0.1"));

            assertThat(bp.postOnlyReduceOnly()).isTrue();
            assertThat(hb.postOnlyReduceOnly()).isFalse();
            ExchangeException e = (ExchangeException) catchThrowable(
                    () -> hb.placeLimitOrder(limit(hb, HB_BTC, OrderSide.SELL, "0.1", "60010", true, true)));
            assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
            assertThat(e.getMessage()).contains("both post-only and reduce-only");
        }
    }

    @Test
    void ordersOffTheTickOrUnderTheMinimumAreRefused() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);

            assertFails(
                    ExchangeError.REJECTED,
                    () -> bp.placeLimitOrder(postOnly(bp, BP_BTC, OrderSide.BUY, "0.1", "59990.05")));
            assertFails(
                    ExchangeError.BELOW_MINIMUM,
                    () -> hb.placeLimitOrder(postOnly(hb, HB_BTC, OrderSide.BUY, "0.0001", "59990")));
            assertFails(
                    ExchangeError.INSUFFICIENT_MARGIN,
                    () -> bp.placeLimitOrder(postOnly(bp, BP_BTC, OrderSide.BUY, "10", "59990")));
        }
    }

    @Test
    void feeRatesAreTheVenuesModel() {
        try (SimWorld world = SimWorld.open(params(), clock)) {
            assertThat(world.venue(BackpackExchange.VENUE).feeRates().maker()).isEqualByComparingTo(BP_MAKER);
            assertThat(world.venue(BackpackExchange.VENUE).feeRates().taker()).isEqualByComparingTo(BP_TAKER);
            assertThat(world.venue(HibachiExchange.VENUE).feeRates().maker()).isEqualByComparingTo("0");
            assertThat(world.venue(HibachiExchange.VENUE).feeRates().taker()).isEqualByComparingTo("0.0002");
        }
    }

    /**
     * The price moves between reads too: a resting buy can fill though no read found the mark
     * below it (the price dipped through it and came back between two reads), and it fills as
     * often whatever how often it is read. Without that, every fill would find the price already
     * past the order by about one read's move.
     */
    @Test
    void aRestingOrderFillsWhenThePriceCrossedItBetweenReads() {
        SimParams p = new SimParams(dir).slippageBps("0").fee("0.0002").volatility("0.6");
        p.venue(BackpackExchange.VENUE, v -> v.spreadBps = dec("2"));
        int filledAboveItsPrice = 0;
        int filled = 0;
        try (SimWorld world = SimWorld.open(p.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            for (int i = 0; i < 40; i++) {
                TopOfBook book = bp.topOfBook(BP_BTC);
                LimitOrderRequest buy =
                        postOnly(bp, BP_BTC, OrderSide.BUY, "0.001", book.bid().toPlainString());
                bp.placeLimitOrder(buy);
                for (int read = 0; read < 120; read++) {
                    clock.advance(Duration.ofMillis(500));
                    RestingOrder r = bp.restingOrder(BP_BTC, buy.clientId()).orElseThrow();
                    if (r.status() == RestingOrder.Status.FILLED) {
                        filled++;
                        BigDecimal mark = bp.quotes(List.of(BP_BTC)).get(BP_BTC).markPrice();
                        if (mark.compareTo(buy.price()) >= 0) {
                            filledAboveItsPrice++;
                        }
                        break;
                    }
                }
                bp.cancelOrder(BP_BTC, buy.clientId());
            }
        }
        assertThat(filled).isGreaterThan(20);
        assertThat(filledAboveItsPrice)
                .as("fills found at a read with the mark not below the order")
                .isPositive();
    }
}
