package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The final figures of an ended pair, from its legs and every fill of its orders. */
public record PairResult(
        String reason,
        BigDecimal realizedPnl,
        BigDecimal fees,
        BigDecimal funding,
        BigDecimal volume,
        BigDecimal points) {
    /** Realized PnL less fees plus funding received. */
    public BigDecimal netPnl() {
        return realizedPnl.subtract(fees).add(funding);
    }

    /**
     * Sums the legs' realized PnL and fees and the volume of every fill (quantity × price), and
     * estimates points with {@code points} for a pair held from {@code openedAt} (null when it
     * never opened) to {@code endedAt} (see {@link PointsModel#points}).
     */
    public static PairResult of(
            String reason,
            List<Leg> legs,
            List<OrderRecord> orders,
            BigDecimal funding,
            PointsModel points,
            Instant openedAt,
            Instant endedAt) {
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
        return new PairResult(reason, realized, fees, funding, volume, points.points(legs, orders, openedAt, endedAt));
    }
}
