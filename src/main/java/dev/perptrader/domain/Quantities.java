package dev.perptrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Quantity arithmetic shared by both legs of a pair. */
public final class Quantities {
    private Quantities() {}

    /** {@code qty} rounded down to a multiple of {@code step}, never negative. */
    public static BigDecimal floorToStep(BigDecimal qty, BigDecimal step) {
        if (step.signum() <= 0) {
            throw new IllegalArgumentException("step <= 0: " + step);
        }
        if (qty.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal steps = qty.divide(step, 0, RoundingMode.DOWN);
        BigDecimal r = steps.multiply(step);
        return r.signum() == 0 ? BigDecimal.ZERO : r.stripTrailingZeros();
    }

    /**
     * The one base quantity both legs trade: {@code rawQty} rounded down to the coarser step.
     * When neither step divides the other, the result is a multiple of both (their least
     * common multiple), so it is valid on both venues.
     */
    public static BigDecimal commonQuantity(BigDecimal rawQty, MarketRules a, MarketRules b) {
        return floorToStep(rawQty, commonStep(a.stepSize(), b.stepSize()));
    }

    /** The least common multiple of two decimal steps (0.001 and 0.01 → 0.01; 0.02 and 0.03 → 0.06). */
    public static BigDecimal commonStep(BigDecimal s1, BigDecimal s2) {
        int scale = Math.max(
                s1.stripTrailingZeros().scale(), s2.stripTrailingZeros().scale());
        scale = Math.max(scale, 0);
        var i1 = s1.movePointRight(scale).toBigIntegerExact();
        var i2 = s2.movePointRight(scale).toBigIntegerExact();
        var lcm = i1.divide(i1.gcd(i2)).multiply(i2);
        return new BigDecimal(lcm).movePointLeft(scale).stripTrailingZeros();
    }
}
