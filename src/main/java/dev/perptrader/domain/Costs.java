package dev.perptrader.domain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * What points cost, as plain functions over exact decimals. Signs: a cost is positive when paid,
 * funding is positive when received. The definitions every command uses:
 *
 * <ul>
 *   <li><b>net cost</b> = fees + slippage − funding received (the legs' price PnL, near zero for a
 *       hedge, is reported apart from it);
 *   <li><b>cost per $1M</b> = net cost / volume × 1,000,000, none without volume;
 *   <li><b>cost per point</b> = net cost / points, none without points.
 * </ul>
 */
public final class Costs {
    private static final BigDecimal MILLION = new BigDecimal("1000000");

    private Costs() {}

    /**
     * What a fill paid over its reference price, in USD: a buy above the reference or a sell
     * below it is a cost (positive); a fill better than the reference is negative.
     */
    public static BigDecimal slippage(OrderSide side, BigDecimal qty, BigDecimal fillPrice, BigDecimal reference) {
        // a buy pays (cash sign −1): (fill − reference) × qty; a sell receives: (reference − fill) × qty
        return side.cashSign().negate().multiply(fillPrice.subtract(reference)).multiply(qty);
    }

    /**
     * Funding one settlement pays a position of {@code qty} at {@code mark} and {@code rate} per
     * interval, as received: a positive rate has longs pay shorts, a negative one shorts pay longs.
     */
    public static BigDecimal fundingReceived(Side side, BigDecimal qty, BigDecimal mark, BigDecimal rate) {
        return side.sign().negate().multiply(qty.abs()).multiply(mark).multiply(rate);
    }

    /** fees + slippage − funding received. */
    public static BigDecimal netCost(BigDecimal fees, BigDecimal slippage, BigDecimal fundingReceived) {
        return fees.add(slippage).subtract(fundingReceived);
    }

    /** net cost / volume × 1,000,000; empty when there is no volume. */
    public static Optional<BigDecimal> costPer1m(BigDecimal netCost, BigDecimal volume) {
        if (volume.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(Money.divide(netCost.multiply(MILLION), volume));
    }

    /** net cost / points; empty when there are no points. */
    public static Optional<BigDecimal> costPerPoint(BigDecimal netCost, BigDecimal points) {
        if (points.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(Money.divide(netCost, points));
    }

    /**
     * The largest fall of the running total of {@code pnls} (each step's PnL, in time order) below
     * its highest value so far, the start (zero) included: a positive amount, zero when it never
     * falls.
     */
    public static BigDecimal maxDrawdown(List<BigDecimal> pnls) {
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal peak = BigDecimal.ZERO;
        BigDecimal worst = BigDecimal.ZERO;
        for (BigDecimal pnl : pnls) {
            total = total.add(pnl);
            peak = peak.max(total);
            worst = worst.max(peak.subtract(total));
        }
        return worst;
    }
}
