package dev.perptrader.domain;

import java.math.BigDecimal;

/** PnL math for legs and pairs. */
public final class Pnl {
    private Pnl() {}

    /** sign × qty × (mark − entry). */
    public static BigDecimal unrealized(Side side, BigDecimal qty, BigDecimal entry, BigDecimal mark) {
        return side.signed(qty).multiply(mark.subtract(entry));
    }

    /**
     * |pnlLong + pnlShort| / notional: how far the hedge is from delta-neutral, as a fraction of
     * the pair's notional. Zero notional gives zero.
     */
    public static BigDecimal divergence(BigDecimal pnlLong, BigDecimal pnlShort, BigDecimal notional) {
        if (notional.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return Money.divide(pnlLong.add(pnlShort).abs(), notional.abs());
    }

    /** equity / maintenance margin; {@code null} when there is no maintenance requirement. */
    public static BigDecimal collateralRatio(BigDecimal equity, BigDecimal maintenance) {
        if (maintenance.signum() <= 0) {
            return null;
        }
        return Money.divide(equity, maintenance);
    }

    /** Volume-weighted average price of two fills of the same side. */
    public static BigDecimal vwap(BigDecimal q1, BigDecimal p1, BigDecimal q2, BigDecimal p2) {
        BigDecimal q = q1.add(q2);
        if (q.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return Money.divide(q1.multiply(p1).add(q2.multiply(p2)), q);
    }
}
