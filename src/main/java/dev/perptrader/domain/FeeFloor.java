package dev.perptrader.domain;

import java.math.BigDecimal;

/**
 * What fees alone cost per $1M of volume (both legs' notional counted) for a given way of
 * trading: the floor no amount of clever timing goes under.
 */
public final class FeeFloor {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private FeeFloor() {}

    /**
     * Fees per $1M of volume when one leg of every order pays {@code makerRate} (it rested) and
     * the other {@code takerRate} (it hedged): half the volume at each rate.
     */
    public static BigDecimal oneTakerLegPer1m(BigDecimal makerRate, BigDecimal takerRate) {
        return makerRate.add(takerRate).multiply(MILLION).divide(TWO, Money.MC);
    }

    /** Fees per $1M of volume when both legs take: half the volume at each venue's taker rate. */
    public static BigDecimal bothTakePer1m(BigDecimal takerRateA, BigDecimal takerRateB) {
        return takerRateA.add(takerRateB).multiply(MILLION).divide(TWO, Money.MC);
    }
}
