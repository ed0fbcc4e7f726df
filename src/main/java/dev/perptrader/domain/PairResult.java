package dev.perptrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The final figures of an ended pair, from its legs and every fill of its orders. */
public record PairResult(
        String reason,
        BigDecimal realizedPnl,
        BigDecimal fees,
        BigDecimal funding,
        BigDecimal volume,
        BigDecimal points) {
    private static final BigDecimal THOUSAND = new BigDecimal("1000");

    /** Realized PnL less fees plus funding received. */
    public BigDecimal netPnl() {
        return realizedPnl.subtract(fees).add(funding);
    }

    /**
     * Sums the legs' realized PnL and fees, the volume of every fill (quantity × price), and
     * estimates points at {@code pointsPer1000} per 1000 USD of volume.
     */
    public static PairResult of(
            String reason, List<Leg> legs, List<OrderRecord> orders, BigDecimal funding, BigDecimal pointsPer1000) {
        BigDecimal realized = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        for (Leg leg : legs) {
            realized = realized.add(leg.realizedPnl());
            fees = fees.add(leg.fees());
        }
        BigDecimal volume = BigDecimal.ZERO;
        for (OrderRecord o : orders) {
            if (o.avgPrice() != null && o.filledQty().signum() > 0) {
                volume = volume.add(o.filledQty().multiply(o.avgPrice()));
            }
        }
        BigDecimal points = volume.multiply(pointsPer1000).divide(THOUSAND, 8, RoundingMode.HALF_EVEN);
        return new PairResult(reason, realized, fees, funding, volume, points);
    }
}
