package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.Pairs;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settling an opening pair is a pure function of its snapshot and the two markets' rules. */
final class SettlementTest {
    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");
    private static final MarketRules LONG_RULES = new MarketRules(
            "BTC",
            "BTC_USDC_PERP",
            new BigDecimal("0.1"),
            new BigDecimal("0.001"),
            new BigDecimal("0.001"),
            BigDecimal.ZERO,
            true);
    private static final MarketRules SHORT_RULES = new MarketRules(
            "BTC",
            "BTC/USDT-P",
            new BigDecimal("0.1"),
            new BigDecimal("0.0001"),
            new BigDecimal("0.0001"),
            new BigDecimal("10"),
            true);

    private static Leg leg(Side side, String held) {
        return new Leg(
                side == Side.LONG ? 1 : 2,
                1,
                side == Side.LONG ? BackpackExchange.VENUE : HibachiExchange.VENUE,
                "X",
                side,
                new BigDecimal(held),
                new BigDecimal(held),
                BigDecimal.ZERO,
                new BigDecimal("60000"),
                null,
                null,
                null,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                LegStatus.OPEN,
                null,
                null);
    }

    private static OrderRecord order(long id, Venue venue, OrderStatus status, String filled) {
        return new OrderRecord(
                id,
                1,
                id,
                venue,
                "X",
                "c" + id,
                OrderPurpose.OPEN,
                OrderSide.BUY,
                new BigDecimal("0.01"),
                status,
                new BigDecimal(filled),
                null,
                BigDecimal.ZERO,
                true,
                null,
                status == OrderStatus.REJECTED ? "refused" : null,
                T,
                T,
                null);
    }

    private static PairSnapshot snapshot(String longHeld, String shortHeld, OrderRecord... orders) {
        HedgePair pair = Pairs.btc(1, PairStatus.OPENING, T);
        return new PairSnapshot(pair, List.of(leg(Side.LONG, longHeld), leg(Side.SHORT, shortHeld)), List.of(orders));
    }

    @Test
    void waitsWhileAnOrderIsUnanswered() {
        Settlement.Decision d = Settlement.decide(
                snapshot(
                        "0.01",
                        "0",
                        order(1, BackpackExchange.VENUE, OrderStatus.FILLED, "0.01"),
                        order(2, HibachiExchange.VENUE, OrderStatus.UNKNOWN, "0")),
                LONG_RULES,
                SHORT_RULES);
        assertThat(d)
                .isInstanceOfSatisfying(
                        Settlement.Wait.class, w -> assertThat(w.unsettled()).hasSize(1));
    }

    @Test
    void equalLegsAreOpenAndNothingHeldIsFailedOrRolledBack() {
        assertThat(Settlement.decide(snapshot("0.01", "0.01"), LONG_RULES, SHORT_RULES))
                .isEqualTo(new Settlement.Opened(new BigDecimal("0.01")));
        assertThat(Settlement.decide(
                        snapshot("0", "0", order(1, BackpackExchange.VENUE, OrderStatus.REJECTED, "0")),
                        LONG_RULES,
                        SHORT_RULES))
                .isInstanceOf(Settlement.Failed.class);
        assertThat(Settlement.decide(
                        snapshot("0", "0", order(1, BackpackExchange.VENUE, OrderStatus.FILLED, "0.01")),
                        LONG_RULES,
                        SHORT_RULES))
                .isInstanceOf(Settlement.RolledBack.class);
    }

    @Test
    void unequalLegsAreTrimmedToTheSmallerOnTheCommonStepOrRolledBackBelowAMinimum() {
        Settlement.Decision trim = Settlement.decide(snapshot("0.01", "0.0057"), LONG_RULES, SHORT_RULES);
        assertThat(trim).isInstanceOfSatisfying(Settlement.Repair.class, r -> {
            assertThat(r.target()).isEqualByComparingTo("0.005");
            assertThat(r.purpose()).isEqualTo(OrderPurpose.TRIM);
        });
        // 0.0001 x 60000 = 6 USD: under Hibachi's 10 USD minimum notional
        Settlement.Decision rollback = Settlement.decide(snapshot("0.01", "0.0001"), LONG_RULES, SHORT_RULES);
        assertThat(rollback).isInstanceOfSatisfying(Settlement.Repair.class, r -> {
            assertThat(r.target()).isZero();
            assertThat(r.purpose()).isEqualTo(OrderPurpose.ROLLBACK);
        });
        assertThat(Settlement.afterRepair(snapshot("0.01", "0.005"))).isInstanceOf(Settlement.Unhedged.class);
        assertThat(Settlement.afterRepair(snapshot("0.005", "0.005"))).isInstanceOf(Settlement.Opened.class);
    }
}
