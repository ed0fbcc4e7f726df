package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost arithmetic: fees, slippage, funding, net cost, cost per $1M and per point, drawdown. */
final class CostsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    // ------------------------------------------------------------------ plain functions

    @Test
    void aBuyAboveItsReferenceOrASellBelowItPaysSlippage() {
        assertThat(Costs.slippage(OrderSide.BUY, d("0.5"), d("100.04"), d("100")))
                .isEqualByComparingTo("0.02");
        assertThat(Costs.slippage(OrderSide.SELL, d("0.5"), d("99.96"), d("100")))
                .isEqualByComparingTo("0.02");
        assertThat(Costs.slippage(OrderSide.BUY, d("2"), d("99.5"), d("100")))
                .as("a buy below the reference gained")
                .isEqualByComparingTo("-1");
        assertThat(Costs.slippage(OrderSide.SELL, d("2"), d("100.5"), d("100")))
                .as("a sell above the reference gained")
                .isEqualByComparingTo("-1");
        assertThat(Costs.slippage(OrderSide.BUY, d("1"), d("100"), d("100"))).isZero();
    }

    @Test
    void aPositiveFundingRateHasLongsPayShortsAndANegativeOneTheReverse() {
        assertThat(Costs.fundingReceived(Side.LONG, d("2"), d("100"), d("0.0001")))
                .isEqualByComparingTo("-0.02");
        assertThat(Costs.fundingReceived(Side.SHORT, d("2"), d("100"), d("0.0001")))
                .isEqualByComparingTo("0.02");
        assertThat(Costs.fundingReceived(Side.LONG, d("2"), d("100"), d("-0.0001")))
                .isEqualByComparingTo("0.02");
        assertThat(Costs.fundingReceived(Side.SHORT, d("2"), d("100"), d("-0.0001")))
                .isEqualByComparingTo("-0.02");
        assertThat(Costs.fundingReceived(Side.SHORT, d("-2"), d("100"), d("0.0001")))
                .as("the side says who pays, not the sign of the quantity")
                .isEqualByComparingTo("0.02");
    }

    @Test
    void netCostIsFeesPlusSlippageLessFundingReceived() {
        assertThat(Costs.netCost(d("6"), d("1.5"), d("2"))).isEqualByComparingTo("5.5");
        assertThat(Costs.netCost(d("6"), d("1.5"), d("-2")))
                .as("funding paid adds to the cost")
                .isEqualByComparingTo("9.5");
        assertThat(Costs.netCost(d("6"), d("-0.5"), BigDecimal.ZERO))
                .as("slippage in our favour lowers it")
                .isEqualByComparingTo("5.5");
    }

    @Test
    void costPer1mIsNetCostOverVolumeTimesAMillionAndNoneWithoutVolume() {
        assertThat(Costs.costPer1m(d("60"), d("120000")))
                .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("500"));
        assertThat(Costs.costPer1m(d("1"), d("3")))
                .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("333333.3333333333333333333333333333"));
        assertThat(Costs.costPer1m(d("-2"), d("1000000")))
                .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("-2"));
        assertThat(Costs.costPer1m(d("5"), BigDecimal.ZERO)).isEmpty();
    }

    @Test
    void costPerPointIsNetCostOverPointsAndNoneWithoutPoints() {
        assertThat(Costs.costPerPoint(d("60"), d("120")))
                .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.5"));
        assertThat(Costs.costPerPoint(d("60"), BigDecimal.ZERO)).isEmpty();
        assertThat(Costs.costPerPoint(d("60"), d("0.00000000"))).isEmpty();
    }

    @Test
    void maxDrawdownIsTheLargestFallOfTheRunningTotalFromItsHigh() {
        // running total 5, 2, -2, 8, 6: from 5 down to -2 is 7, from 8 down to 6 is 2
        assertThat(Costs.maxDrawdown(List.of(d("5"), d("-3"), d("-4"), d("10"), d("-2"))))
                .isEqualByComparingTo("7");
        assertThat(Costs.maxDrawdown(List.of(d("-3"), d("1"), d("-0.5"))))
                .as("the start, zero, is the first high")
                .isEqualByComparingTo("3");
        assertThat(Costs.maxDrawdown(List.of(d("1"), d("2"), d("0")))).isZero();
        assertThat(Costs.maxDrawdown(List.of())).isZero();
    }

    // ------------------------------------------------------------------ one pair

    @Test
    void aPairsCostSplitsFeesAndFundingByVenueWithTheSignOfEachSide() {
        PairCost c =
                PairCost.of(pair(1, PairStatus.CLOSED, T0.plusSeconds(3600), "EXPIRED"), legs(), orders(), marks());
        assertThat(c.feesByVenue())
                .containsOnlyKeys(BackpackExchange.VENUE, HibachiExchange.VENUE)
                .satisfies(m -> {
                    assertThat(m.get(BackpackExchange.VENUE)).isEqualByComparingTo("0.10");
                    assertThat(m.get(HibachiExchange.VENUE)).isEqualByComparingTo("0.12");
                });
        // the long (backpack) paid 0.30 of funding, the short (hibachi) received 0.50
        assertThat(c.fundingByVenue().get(BackpackExchange.VENUE)).isEqualByComparingTo("-0.30");
        assertThat(c.fundingByVenue().get(HibachiExchange.VENUE)).isEqualByComparingTo("0.50");
        assertThat(c.fees()).isEqualByComparingTo("0.22");
        assertThat(c.funding()).isEqualByComparingTo("0.20");
        // slippage, 1 BTC a leg: open buy 100.05 vs 100, open sell 99.97 vs 100.01, close sell 100.98
        // vs 101, close buy 101.02 vs 100.99: 0.05 + 0.04 + 0.02 + 0.03
        assertThat(c.slippage()).isEqualByComparingTo("0.14");
        assertThat(c.fills()).isEqualTo(4);
        assertThat(c.fillsMeasured()).isEqualTo(4);
        assertThat(c.netCost()).isEqualByComparingTo("0.16"); // 0.22 + 0.14 - 0.20
        // realized: long 100.98 - 100.05 = 0.93, short 99.97 - 101.02 = -1.05
        assertThat(c.realizedPnl()).isEqualByComparingTo("-0.12");
        assertThat(c.pricePnl()).isEqualByComparingTo("0.02");
        assertThat(c.netPnl())
                .isEqualByComparingTo("-0.14")
                .isEqualByComparingTo(c.pricePnl().subtract(c.netCost()));
    }

    @Test
    void aPriceMoveCommonToBothVenuesCancelsInThePairsSlippage() {
        BigDecimal base = PairCost.of(
                        pair(1, PairStatus.CLOSED, T0.plusSeconds(3600), "EXPIRED"), legs(), orders(), marks())
                .slippage();
        List<PairMark> moved = new ArrayList<>();
        for (PairMark m : marks()) {
            moved.add(new PairMark(
                    m.at(), m.longMark().add(d("0.7")), m.shortMark().add(d("0.7"))));
        }
        PairCost c = PairCost.of(pair(1, PairStatus.CLOSED, T0.plusSeconds(3600), "EXPIRED"), legs(), orders(), moved);
        assertThat(c.slippage()).isEqualByComparingTo(base);
    }

    @Test
    void eachFillTakesTheMarkNearestItsOrderAndAPairWithoutMarksIsNotMeasured() {
        List<PairMark> farAndNear = new ArrayList<>(marks());
        // a mark mid-life, far from every order, must not be picked
        farAndNear.add(new PairMark(T0.plus(Duration.ofMinutes(30)), d("500"), d("500")));
        Collections.reverse(farAndNear);
        PairCost c =
                PairCost.of(pair(1, PairStatus.CLOSED, T0.plusSeconds(3600), "EXPIRED"), legs(), orders(), farAndNear);
        assertThat(c.slippage()).isEqualByComparingTo("0.14");

        PairCost none =
                PairCost.of(pair(1, PairStatus.CLOSED, T0.plusSeconds(3600), "EXPIRED"), legs(), orders(), List.of());
        assertThat(none.slippage()).isZero();
        assertThat(none.fills()).isEqualTo(4);
        assertThat(none.fillsMeasured()).isZero();
        assertThat(none.netCost()).isEqualByComparingTo("0.02"); // fees 0.22 - funding 0.20
    }

    @Test
    void nearestMarkPrefersTheEarlierOfTwoAsNear() {
        PairMark before = new PairMark(T0.minusSeconds(10), d("1"), d("1"));
        PairMark after = new PairMark(T0.plusSeconds(10), d("2"), d("2"));
        assertThat(PairMark.nearest(List.of(after, before), T0)).contains(before);
        assertThat(PairMark.nearest(List.of(), T0)).isEmpty();
    }

    @Test
    void aPairEndedByALiquidationCountsAsOne() {
        assertThat(PairCost.of(
                                pair(1, PairStatus.CLOSED, T0, "LEG_MISSING: LONG leg on backpack liquidated"),
                                legs(),
                                orders(),
                                marks())
                        .liquidated())
                .isTrue();
        assertThat(PairCost.of(
                                pair(1, PairStatus.CLOSED, T0, "LEG_MISSING: LONG leg on backpack vanished"),
                                legs(),
                                orders(),
                                marks())
                        .liquidated())
                .isFalse();
    }

    // ------------------------------------------------------------------ summary

    @Test
    void theSummaryAddsUpPairsPerVenueAndTakesTheDrawdownInTheOrderPairsEnded() {
        // net PnL -0.14 each for the full pairs; a rollback paid 0.30 in fees
        PairCost a =
                PairCost.of(pair(1, PairStatus.CLOSED, T0.plusSeconds(3600), "EXPIRED"), legs(), orders(), marks());
        PairCost rolled = PairCost.of(
                new HedgePair(
                        2,
                        "BTC",
                        BackpackExchange.VENUE,
                        HibachiExchange.VENUE,
                        Mode.SIM,
                        d("2"),
                        d("1"),
                        d("100"),
                        PairStatus.ROLLED_BACK,
                        3_600_000L,
                        T0,
                        null,
                        null,
                        T0.plusSeconds(7200),
                        "ROLLED_BACK: x",
                        d("-0.2"),
                        d("0.3"),
                        BigDecimal.ZERO,
                        d("200"),
                        d("0.2")),
                List.of(leg(21, 2, BackpackExchange.VENUE, Side.LONG, "0.3", "0")),
                List.of(),
                List.of());
        PairCost won = PairCost.of(
                new HedgePair(
                        3,
                        "ETH",
                        HibachiExchange.VENUE,
                        BackpackExchange.VENUE,
                        Mode.SIM,
                        d("2"),
                        d("1"),
                        d("100"),
                        PairStatus.CLOSED,
                        3_600_000L,
                        T0,
                        T0,
                        T0,
                        T0.plusSeconds(10_800),
                        "EXPIRED",
                        d("3"),
                        d("0.2"),
                        d("0.1"),
                        d("400"),
                        d("0.4")),
                List.of(
                        leg(31, 3, HibachiExchange.VENUE, Side.LONG, "0.1", "0.05"),
                        leg(32, 3, BackpackExchange.VENUE, Side.SHORT, "0.1", "0.05")),
                List.of(),
                List.of());
        CostSummary s = CostSummary.of(List.of(won, rolled, a));
        assertThat(s.pairs()).isEqualTo(3);
        assertThat(s.closed()).isEqualTo(2);
        assertThat(s.rollbacks()).isEqualTo(1);
        assertThat(s.failed()).isZero();
        assertThat(s.volume()).isEqualByComparingTo("1000.00"); // 400.00 + 200 + 400
        assertThat(s.points()).isEqualByComparingTo("1.0");
        assertThat(s.fees()).isEqualByComparingTo("0.72");
        assertThat(s.feesByVenue().get(BackpackExchange.VENUE)).isEqualByComparingTo("0.50"); // 0.10 + 0.30 + 0.10
        assertThat(s.feesByVenue().get(HibachiExchange.VENUE)).isEqualByComparingTo("0.22");
        assertThat(s.funding()).isEqualByComparingTo("0.30");
        assertThat(s.fundingByVenue().get(BackpackExchange.VENUE)).isEqualByComparingTo("-0.25");
        assertThat(s.fundingByVenue().get(HibachiExchange.VENUE)).isEqualByComparingTo("0.55");
        assertThat(s.slippage()).isEqualByComparingTo("0.14");
        assertThat(s.fills()).isEqualTo(4);
        assertThat(s.netCost()).isEqualByComparingTo("0.56"); // 0.72 + 0.14 - 0.30
        assertThat(s.costPer1m()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("560"));
        assertThat(s.costPerPoint()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.56"));
        assertThat(s.netPnl()).isEqualByComparingTo(s.pricePnl().subtract(s.netCost()));
        assertThat(s.worst()).hasValueSatisfying(w -> assertThat(w.pairId()).isEqualTo(2)); // -0.5
        // ended in order 1 (-0.14), 2 (-0.5), 3 (+2.9): the total falls 0.64 from the start
        assertThat(s.maxDrawdown()).isEqualByComparingTo("0.64");
    }

    @Test
    void aSummaryWithoutPointsHasNoCostPerPointAndAnEmptyOneHasNoWorstPair() {
        PairCost noPoints = PairCost.of(
                new HedgePair(
                        4,
                        "BTC",
                        BackpackExchange.VENUE,
                        HibachiExchange.VENUE,
                        Mode.SIM,
                        d("2"),
                        d("1"),
                        d("100"),
                        PairStatus.CLOSED,
                        3_600_000L,
                        T0,
                        T0,
                        T0,
                        T0,
                        "EXPIRED",
                        BigDecimal.ZERO,
                        d("0.2"),
                        BigDecimal.ZERO,
                        d("400"),
                        BigDecimal.ZERO),
                List.of(),
                List.of(),
                List.of());
        CostSummary s = CostSummary.of(List.of(noPoints));
        assertThat(s.costPerPoint()).isEmpty();
        assertThat(s.costPer1m()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("500"));

        CostSummary empty = CostSummary.of(List.of());
        assertThat(empty.pairs()).isZero();
        assertThat(empty.worst()).isEmpty();
        assertThat(empty.costPer1m()).isEmpty();
        assertThat(empty.costPerPoint()).isEmpty();
        assertThat(empty.maxDrawdown()).isZero();
        assertThat(empty.feesByVenue()).isEmpty();
    }

    @Test
    void onlyAnEndedPairHasACost() {
        HedgePair open = new HedgePair(
                5,
                "BTC",
                BackpackExchange.VENUE,
                HibachiExchange.VENUE,
                Mode.SIM,
                d("2"),
                d("1"),
                d("100"),
                PairStatus.OPEN,
                3_600_000L,
                T0,
                T0,
                T0,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThatThrownBy(() -> PairCost.of(open, List.of(), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pair 5 has not ended: OPEN");
    }

    // ------------------------------------------------------------------ collateral

    @Test
    void collateralStatsCountAVenueOncePerTickAndAverageTheReadings() {
        CollateralStats.Builder b = new CollateralStats.Builder();
        assertThat(b.add(new VenueRatio(BackpackExchange.VENUE, T0, d("4")))).isTrue();
        assertThat(b.add(new VenueRatio(HibachiExchange.VENUE, T0, d("2")))).isTrue();
        assertThat(b.add(new VenueRatio(BackpackExchange.VENUE, T0, d("4"))))
                .as("the same tick seen through a second pair")
                .isFalse();
        assertThat(b.add(new VenueRatio(BackpackExchange.VENUE, T0.plusSeconds(60), d("3"))))
                .isTrue();
        CollateralStats s = b.build();
        assertThat(s.overall()).hasValueSatisfying(o -> {
            assertThat(o.readings()).isEqualTo(3);
            assertThat(o.average()).isEqualByComparingTo("3");
            assertThat(o.min()).isEqualByComparingTo("2");
            assertThat(o.max()).isEqualByComparingTo("4");
        });
        assertThat(s.byVenue().get(BackpackExchange.VENUE).average()).isEqualByComparingTo("3.5");
        assertThat(s.byVenue().get(HibachiExchange.VENUE).readings()).isEqualTo(1);
        assertThat(new CollateralStats.Builder().build().overall()).isEmpty();
    }

    // ------------------------------------------------------------------ fixtures

    /**
     * Pair 1: 1 BTC LONG on backpack, SHORT on hibachi, opened at T0 and closed an hour later;
     * fees 0.10 on backpack, 0.12 on hibachi; funding -0.30 (paid) on backpack, +0.50 on hibachi.
     */
    private static HedgePair pair(long id, PairStatus status, Instant endedAt, String reason) {
        return new HedgePair(
                id,
                "BTC",
                BackpackExchange.VENUE,
                HibachiExchange.VENUE,
                Mode.SIM,
                d("2"),
                d("1"),
                d("100"),
                status,
                3_600_000L,
                T0,
                T0,
                T0.plusSeconds(3600),
                endedAt,
                reason,
                d("-0.12"),
                d("0.22"),
                d("0.20"),
                d("400.00"),
                d("0.4"));
    }

    private static List<Leg> legs() {
        return List.of(
                leg(11, 1, BackpackExchange.VENUE, Side.LONG, "0.10", "-0.30"),
                leg(12, 1, HibachiExchange.VENUE, Side.SHORT, "0.12", "0.50"));
    }

    private static Leg leg(long id, long pairId, Venue venue, Side side, String fees, String funding) {
        return new Leg(
                id,
                pairId,
                venue,
                "BTC",
                side,
                BigDecimal.ZERO,
                d("1"),
                d("1"),
                null,
                null,
                null,
                null,
                BigDecimal.ZERO,
                d(fees),
                d(funding),
                LegStatus.CLOSED,
                null,
                null);
    }

    private static List<OrderRecord> orders() {
        Instant close = T0.plusSeconds(3600);
        return List.of(
                order(1, 11, BackpackExchange.VENUE, OrderPurpose.OPEN, OrderSide.BUY, "100.05", T0),
                order(2, 12, HibachiExchange.VENUE, OrderPurpose.OPEN, OrderSide.SELL, "99.97", T0),
                order(3, 11, BackpackExchange.VENUE, OrderPurpose.CLOSE, OrderSide.SELL, "100.98", close),
                order(4, 12, HibachiExchange.VENUE, OrderPurpose.CLOSE, OrderSide.BUY, "101.02", close),
                // refused: no fill, no slippage, not a fill
                new OrderRecord(
                        5,
                        1,
                        12,
                        HibachiExchange.VENUE,
                        "BTC",
                        "c5",
                        OrderPurpose.CLOSE,
                        OrderSide.BUY,
                        d("1"),
                        OrderStatus.REJECTED,
                        BigDecimal.ZERO,
                        null,
                        BigDecimal.ZERO,
                        true,
                        null,
                        "no",
                        close,
                        close,
                        null));
    }

    private static OrderRecord order(
            long id, long legId, Venue venue, OrderPurpose purpose, OrderSide side, String price, Instant at) {
        return new OrderRecord(
                id,
                1,
                legId,
                venue,
                "BTC",
                "c" + id,
                purpose,
                side,
                d("1"),
                OrderStatus.FILLED,
                d("1"),
                d(price),
                BigDecimal.ZERO,
                true,
                "v" + id,
                null,
                at,
                at,
                null);
    }

    /** The monitor's first mark 40 s after the open, its last 20 s before the close. */
    private static List<PairMark> marks() {
        return List.of(
                new PairMark(T0.plusSeconds(40), d("100"), d("100.01")),
                new PairMark(T0.plusSeconds(3580), d("101"), d("100.99")));
    }
}
