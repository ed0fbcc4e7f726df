package dev.perptrader.trader;

import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.store.Store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The figures of an ended pair, from its legs and every fill of its orders. */
final class PairAccounting {
    private static final BigDecimal THOUSAND = new BigDecimal("1000");

    private PairAccounting() {
    }

    static Store.PairResult result(String reason, List<Leg> legs, List<OrderRecord> orders,
                                   BigDecimal funding, BigDecimal pointsPer1000) {
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
        return new Store.PairResult(reason, realized, fees, funding, volume, points);
    }
}
