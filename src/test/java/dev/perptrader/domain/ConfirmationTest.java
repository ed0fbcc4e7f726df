package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The pure decision about a leg whose venue position disagreed with the book. */
final class ConfirmationTest {
    private static final String BTC = "BTC/USDT-P";
    private static final Instant SINCE = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(15);
    /** The bot's own client ids (orders it sent and the book counts). */
    private static final Set<String> OURS = Set.of("sim-hb-000001", "sim-hb-000002");

    private static final Predicate<VenueFill> RECORDED = f -> f.clientId() != null && OURS.contains(f.clientId());

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static Leg leg(Side side, String size) {
        return leg(2, side, size);
    }

    /** Leg {@code id} of pair {@code id - 1}. */
    private static Leg leg(long id, Side side, String size) {
        return new Leg(
                id,
                id - 1,
                HibachiExchange.VENUE,
                BTC,
                side,
                d(size),
                d(size),
                BigDecimal.ZERO,
                d("60000"),
                null,
                d("60000"),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                d("0.3"),
                BigDecimal.ZERO,
                LegStatus.OPEN,
                SINCE,
                "EMPTY");
    }

    private static List<BigDecimal> reads(String... signed) {
        return Arrays.stream(signed).map(BigDecimal::new).toList();
    }

    private static VenueFill fill(
            String clientId, OrderSide side, String qty, String price, String fee, boolean liquidation) {
        return new VenueFill(
                clientId == null ? "liquidation-1" : "v-" + clientId,
                clientId,
                BTC,
                side,
                d(qty),
                d(price),
                d(fee),
                SINCE.minusSeconds(30),
                liquidation);
    }

    /** The bot's own opening fill of a 0.01 short. */
    private static final VenueFill OPENED = fill("sim-hb-000001", OrderSide.SELL, "0.01", "60000", "0.3", false);

    // ------------------------------------------------------------------ reading

    @Test
    void aReadIsClassifiedAgainstTheLegsSideAndSize() {
        Leg shortLeg = leg(Side.SHORT, "0.01");
        assertThat(Confirmation.Reading.of(shortLeg, d("-0.01"))).isEqualTo(Confirmation.Reading.AGREES);
        assertThat(Confirmation.Reading.of(shortLeg, d("-0.015")))
                .as("the excess is someone else's")
                .isEqualTo(Confirmation.Reading.AGREES);
        assertThat(Confirmation.Reading.of(shortLeg, d("0"))).isEqualTo(Confirmation.Reading.EMPTY);
        assertThat(Confirmation.Reading.of(shortLeg, d("0.01"))).isEqualTo(Confirmation.Reading.FLIPPED);
        assertThat(Confirmation.Reading.of(shortLeg, d("-0.005"))).isEqualTo(Confirmation.Reading.SMALLER);
    }

    // ------------------------------------------------------------------ progress

    @Test
    void aReadThatShowsTheLegAgainClearsIt() {
        Optional<Confirmation.Verdict> v = Confirmation.progress(
                leg(Side.SHORT, "0.01"), reads("0", "-0.01"), 3, SINCE, SINCE.plusSeconds(10), WINDOW);
        assertThat(v).containsInstanceOf(Confirmation.Cleared.class);
    }

    @Test
    void waitsForEveryConfirmingRead() {
        Optional<Confirmation.Verdict> v = Confirmation.progress(
                leg(Side.SHORT, "0.01"), reads("0", "0"), 3, SINCE, SINCE.plusSeconds(60), WINDOW);
        assertThat(v)
                .get()
                .isInstanceOfSatisfying(
                        Confirmation.Wait.class, w -> assertThat(w.why()).contains("2 of 3"));
    }

    @Test
    void waitsForTheWholeWindowEvenWithEveryRead() {
        Optional<Confirmation.Verdict> v = Confirmation.progress(
                leg(Side.SHORT, "0.01"), reads("0", "0", "0"), 3, SINCE, SINCE.plusSeconds(14), WINDOW);
        assertThat(v).get().isInstanceOf(Confirmation.Wait.class);
    }

    @Test
    void everyReadDisagreeingOverTheWindowIsJudged() {
        assertThat(Confirmation.progress(
                        leg(Side.SHORT, "0.01"), reads("0", "0", "0"), 3, SINCE, SINCE.plus(WINDOW), WINDOW))
                .isEmpty();
    }

    // ------------------------------------------------------------------ judge

    @Test
    void withoutAFillHistoryTheReadsAloneConfirmAtNoKnownPrice() {
        Confirmation.Verdict v =
                Confirmation.judge(leg(Side.SHORT, "0.01"), reads("0", "0", "0"), Optional.empty(), RECORDED);
        assertThat(v).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.venueHeld()).isZero();
            assertThat(c.price()).isNull();
            assertThat(c.feeUsd()).isZero();
            assertThat(c.liquidation()).isFalse();
            assertThat(c.how()).contains("publishes no fill history");
        });
    }

    @Test
    void aLiquidationInTheHistoryConfirmsTheLegGoneAtItsPriceAndFee() {
        VenueFill liquidation = fill(null, OrderSide.BUY, "0.01", "61000", "3.05", true);
        Confirmation.Verdict v = Confirmation.judge(
                leg(Side.SHORT, "0.01"), reads("0", "0", "0"), Optional.of(List.of(OPENED, liquidation)), RECORDED);
        assertThat(v).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.venueHeld()).isZero();
            assertThat(c.price()).isEqualByComparingTo("61000");
            assertThat(c.feeUsd()).isEqualByComparingTo("3.05");
            assertThat(c.liquidation()).isTrue();
        });
    }

    @Test
    void aFillLargerThanWhatIsMissingCountsOnlyItsShareOfTheFee() {
        // the venue liquidated 0.01 short, of which the owner's own 0.004: the leg lost 0.006
        VenueFill liquidation = fill(null, OrderSide.BUY, "0.01", "61000", "3.05", true);
        Confirmation.Verdict v = Confirmation.judge(
                leg(Side.SHORT, "0.006"), reads("0", "0", "0"), Optional.of(List.of(OPENED, liquidation)), RECORDED);
        assertThat(v).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.price()).isEqualByComparingTo("61000");
            assertThat(c.feeUsd()).isEqualByComparingTo("1.83");
        });
    }

    @Test
    void theNewestForeignFillsExplainAShrunkLegAtTheirAveragePrice() {
        VenueFill byHand = fill("by-hand-1", OrderSide.BUY, "0.004", "60000", "0.12", false);
        VenueFill liquidation = fill(null, OrderSide.BUY, "0.004", "59000", "2.36", true);
        // a 0.01 short reads 0.004: 0.006 went, the liquidation's 0.004 and 0.002 of the older fill
        Confirmation.Verdict v = Confirmation.judge(
                leg(Side.SHORT, "0.01"),
                reads("-0.004", "-0.004", "-0.004"),
                Optional.of(List.of(OPENED, byHand, liquidation)),
                RECORDED);
        assertThat(v).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.venueHeld()).isEqualByComparingTo("0.004");
            // (0.004 × 59000 + 0.002 × 60000) / 0.006
            assertThat(c.price()).isEqualByComparingTo(d("356").divide(d("0.006"), MathContext.DECIMAL64));
            assertThat(c.feeUsd()).isEqualByComparingTo("2.42");
            assertThat(c.liquidation()).isTrue();
        });
    }

    @Test
    void aLegThatReadsGoneWithNothingInTheHistoryToExplainItIsUnexplained() {
        Confirmation.Verdict v = Confirmation.judge(
                leg(Side.SHORT, "0.01"), reads("0", "0", "0"), Optional.of(List.of(OPENED)), RECORDED);
        assertThat(v)
                .isInstanceOfSatisfying(
                        Confirmation.Unexplained.class,
                        u -> assertThat(u.why()).contains("shows 0 closed", "not the 0.01 missing"));
    }

    @Test
    void theBotsOwnClosingFillsDoNotExplainAVanishedLeg() {
        // a close the bot sent itself (recorded: the book already counts it) and fills that close
        // nothing of this leg: the opening side, another market
        VenueFill ourClose = fill("sim-hb-000002", OrderSide.BUY, "0.01", "60000", "0.3", false);
        VenueFill openingSide = fill("by-hand-1", OrderSide.SELL, "0.01", "60000", "0.3", false);
        VenueFill otherMarket = new VenueFill(
                "v-9", "by-hand-2", "ETH/USDT-P", OrderSide.BUY, d("0.01"), d("3000"), d("0.01"), SINCE, false);
        Confirmation.Verdict v = Confirmation.judge(
                leg(Side.SHORT, "0.01"),
                reads("0", "0", "0"),
                Optional.of(List.of(OPENED, ourClose, openingSide, otherMarket)),
                RECORDED);
        assertThat(v).isInstanceOf(Confirmation.Unexplained.class);

        VenueFill sameFillNotOurs = fill("by-hand-3", OrderSide.BUY, "0.01", "60000", "0.3", false);
        assertThat(Confirmation.judge(
                        leg(Side.SHORT, "0.01"),
                        reads("0", "0", "0"),
                        Optional.of(List.of(OPENED, sameFillNotOurs)),
                        RECORDED))
                .isInstanceOfSatisfying(
                        Confirmation.Confirmed.class,
                        c -> assertThat(c.liquidation()).isFalse());
    }

    @Test
    void aFlippedReadingIsJudgedAsTheWholeLegGone() {
        VenueFill byHand = fill("by-hand-1", OrderSide.BUY, "0.02", "60000", "0.6", false);
        Confirmation.Verdict v = Confirmation.judge(
                leg(Side.SHORT, "0.01"), reads("0.01", "0.01", "0.01"), Optional.of(List.of(OPENED, byHand)), RECORDED);
        assertThat(v).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.venueHeld()).as("nothing of the short is left").isZero();
            assertThat(c.feeUsd()).isEqualByComparingTo("0.3");
        });
    }

    // ------------------------------------------------------------------ legs sharing one market

    private static final Leg OLDER = leg(2, Side.SHORT, "0.01");
    private static final Leg NEWER = leg(3, Side.SHORT, "0.008");

    private static Confirmation.Shared shared(List<Leg> legs, String read, VenueFill... fills) {
        return Confirmation.judgeShared(legs, reads(read, read, read), Optional.of(List.of(fills)), RECORDED);
    }

    @Test
    void whatIsLeftForALegIsTheVenuesPositionLessTheOtherLegsOnIt() {
        assertThat(Confirmation.leftFor(d("-0.018"), List.of(NEWER))).isEqualByComparingTo("-0.01");
        assertThat(Confirmation.Reading.of(OLDER, Confirmation.leftFor(d("-0.018"), List.of(NEWER))))
                .isEqualTo(Confirmation.Reading.AGREES);
        assertThat(Confirmation.Reading.of(OLDER, Confirmation.leftFor(d("-0.01"), List.of(NEWER))))
                .as("the venue holds one leg's worth of two: neither agrees")
                .isEqualTo(Confirmation.Reading.SMALLER);
        assertThat(Confirmation.Reading.of(NEWER, Confirmation.leftFor(d("-0.01"), List.of(OLDER))))
                .isEqualTo(Confirmation.Reading.EMPTY);
        assertThat(Confirmation.leftFor(d("-0.01"), List.of())).isEqualByComparingTo("-0.01");
    }

    @Test
    void nothingLeftOfASharedPositionIsEveryLegGoneEachWithItsShareOfTheFee() {
        VenueFill liquidation = fill(null, OrderSide.BUY, "0.018", "61000", "5.4", true);
        Confirmation.Shared v = shared(List.of(OLDER, NEWER), "0", OPENED, liquidation);
        assertThat(v.closeEvery()).isFalse();
        assertThat(v.byLeg().get(2L)).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.venueHeld()).isZero();
            assertThat(c.price()).isEqualByComparingTo("61000");
            assertThat(c.feeUsd()).isEqualByComparingTo("3.0");
            assertThat(c.liquidation()).isTrue();
        });
        assertThat(v.byLeg().get(3L)).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.venueHeld()).isZero();
            assertThat(c.feeUsd()).isEqualByComparingTo("2.4");
        });
    }

    @Test
    void aDifferenceOfExactlyOneLegsSizeIsThatLegGoneAndTheOthersCleared() {
        VenueFill byHand = fill("by-hand-1", OrderSide.BUY, "0.008", "60000", "0.24", false);
        Confirmation.Shared v = shared(List.of(OLDER, NEWER), "-0.01", OPENED, byHand);
        assertThat(v.closeEvery()).isFalse();
        assertThat(v.byLeg().get(2L)).isInstanceOf(Confirmation.Cleared.class);
        assertThat(v.byLeg().get(3L)).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.venueHeld()).isZero();
            assertThat(c.feeUsd()).isEqualByComparingTo("0.24");
            assertThat(c.how()).contains("exactly this leg's size");
        });
    }

    @Test
    void ofLegsOfTheSameSizeTheFirstGivenIsTheOneGone() {
        Leg twin = leg(3, Side.SHORT, "0.01");
        VenueFill byHand = fill("by-hand-1", OrderSide.BUY, "0.01", "60000", "0.3", false);
        Confirmation.Shared v = shared(List.of(OLDER, twin), "-0.01", OPENED, byHand);
        assertThat(v.byLeg().get(2L)).isInstanceOf(Confirmation.Confirmed.class);
        assertThat(v.byLeg().get(3L)).isInstanceOf(Confirmation.Cleared.class);
    }

    @Test
    void aDifferenceNoOneLegExplainsIsTakenInOrderAndClosesEveryPair() {
        VenueFill byHand = fill("by-hand-1", OrderSide.BUY, "0.004", "60000", "0.12", false);
        Confirmation.Shared v = shared(List.of(OLDER, NEWER), "-0.014", OPENED, byHand);
        assertThat(v.closeEvery()).isTrue();
        assertThat(v.byLeg().get(2L)).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.venueHeld()).isEqualByComparingTo("0.006");
            assertThat(c.feeUsd()).isEqualByComparingTo("0.12");
            assertThat(c.how()).contains("cannot be told to one pair");
        });
        assertThat(v.byLeg().get(3L)).isInstanceOf(Confirmation.Cleared.class);

        // more than the first leg holds: it is gone and the next one gives the rest
        Confirmation.Shared more = shared(
                List.of(NEWER, OLDER),
                "-0.005",
                OPENED,
                fill("by-hand-2", OrderSide.BUY, "0.013", "60000", "0.39", false));
        assertThat(more.closeEvery()).isTrue();
        assertThat(((Confirmation.Confirmed) more.byLeg().get(3L)).venueHeld()).isZero();
        assertThat(((Confirmation.Confirmed) more.byLeg().get(2L)).venueHeld()).isEqualByComparingTo("0.005");
    }

    @Test
    void aSharedDifferenceTheHistoryDoesNotExplainMovesNoLeg() {
        Confirmation.Shared v = shared(List.of(OLDER, NEWER), "-0.01", OPENED);
        assertThat(v.closeEvery()).isFalse();
        assertThat(v.byLeg().values())
                .hasSize(2)
                .allSatisfy(u -> assertThat(u)
                        .isInstanceOfSatisfying(
                                Confirmation.Unexplained.class,
                                x -> assertThat(x.why())
                                        .contains("2 pairs' legs hold 0.018", "not the 0.008 missing")));
    }

    @Test
    void withoutAFillHistoryASharedDifferenceIsJudgedOnTheReadsAlone() {
        Confirmation.Shared v = Confirmation.judgeShared(
                List.of(OLDER, NEWER), reads("-0.01", "-0.01", "-0.01"), Optional.empty(), RECORDED);
        assertThat(v.byLeg().get(3L)).isInstanceOfSatisfying(Confirmation.Confirmed.class, c -> {
            assertThat(c.price()).isNull();
            assertThat(c.feeUsd()).isZero();
        });
        assertThat(v.byLeg().get(2L)).isInstanceOf(Confirmation.Cleared.class);
    }

    @Test
    void legsOnBothSidesOfOneMarketAreNeverActedOn() {
        Confirmation.Shared v = shared(
                List.of(OLDER, leg(3, Side.LONG, "0.008")),
                "0",
                fill("by-hand-1", OrderSide.BUY, "0.02", "60000", "0.6", false));
        assertThat(v.byLeg().values()).allSatisfy(x -> assertThat(x).isInstanceOf(Confirmation.Unexplained.class));
    }
}
