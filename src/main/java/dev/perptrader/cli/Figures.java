package dev.perptrader.cli;

import dev.perptrader.domain.HedgePair;
import java.math.BigDecimal;

/** Summed figures of closed pairs (or of their legs): what history's totals and groups show. */
record Figures(
        int pairs, BigDecimal realizedPnl, BigDecimal fees, BigDecimal funding, BigDecimal volume, BigDecimal points) {
    static final Figures NONE =
            new Figures(0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    /** The figures of one whole pair. */
    static Figures of(HedgePair p) {
        return new Figures(1, p.realizedPnl(), p.fees(), p.funding(), p.volume(), p.points());
    }

    /** Realized PnL less fees plus funding received: the {@code net_pnl} column. */
    BigDecimal netPnl() {
        return realizedPnl.subtract(fees).add(funding);
    }

    Figures plus(Figures o) {
        return new Figures(
                pairs + o.pairs,
                realizedPnl.add(o.realizedPnl),
                fees.add(o.fees),
                funding.add(o.funding),
                volume.add(o.volume),
                points.add(o.points));
    }
}
