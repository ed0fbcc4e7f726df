package dev.perptrader.trader;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.List;

/**
 * What a farmer watching the log wants to see: a periodic summary line, and the totals of a
 * run. Pure text from pairs; {@link Orchestrator} decides when to log it.
 */
final class Progress {
    private Progress() {}

    /** Volume, fees, funding, net PnL and points of some ended pairs (a missing figure counts as zero). */
    record Totals(
            int pairs, BigDecimal volume, BigDecimal fees, BigDecimal funding, BigDecimal net, BigDecimal points) {
        static Totals of(Collection<HedgePair> ended) {
            BigDecimal volume = BigDecimal.ZERO;
            BigDecimal fees = BigDecimal.ZERO;
            BigDecimal funding = BigDecimal.ZERO;
            BigDecimal realized = BigDecimal.ZERO;
            BigDecimal points = BigDecimal.ZERO;
            for (HedgePair p : ended) {
                volume = volume.add(orZero(p.volume()));
                fees = fees.add(orZero(p.fees()));
                funding = funding.add(orZero(p.funding()));
                realized = realized.add(orZero(p.realizedPnl()));
                points = points.add(orZero(p.points()));
            }
            return new Totals(
                    ended.size(), volume, fees, funding, realized.subtract(fees).add(funding), points);
        }

        private static BigDecimal orZero(BigDecimal v) {
            return v == null ? BigDecimal.ZERO : v;
        }
    }

    /**
     * "summary: 1 open pair(s); today (UTC): 2 pair(s) ended, volume 2400.00 USD, fees 1.20, funding 0.03,
     * net -1.10, points 2.4; opening allowed".
     */
    static String summary(int openPairs, Totals today, String opening) {
        return "summary: " + openPairs + " open pair(s); today (UTC): " + today.pairs() + " pair(s) ended, volume "
                + usd(today.volume()) + " USD, fees " + usd(today.fees()) + ", funding "
                + usd(today.funding()) + ", net " + usd(today.net()) + ", points "
                + points(today.points()) + "; opening " + opening;
    }

    /** The block logged when {@code run --pairs N} ends. */
    static List<String> totals(Totals run) {
        return List.of(
                "run totals: " + run.pairs() + " pair(s) ended",
                "  volume   " + usd(run.volume()) + " USD",
                "  fees     " + usd(run.fees()) + " USD",
                "  funding  " + usd(run.funding()) + " USD",
                "  net      " + usd(run.net()) + " USD",
                "  points   " + points(run.points()));
    }

    private static String usd(BigDecimal v) {
        return Money.usd(v).toPlainString();
    }

    private static String points(BigDecimal points) {
        return points.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
