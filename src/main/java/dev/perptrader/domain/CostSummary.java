package dev.perptrader.domain;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a set of ended pairs cost, summed (see {@link Costs} for the definitions and {@link
 * PairCost} for how slippage is measured).
 *
 * @param pairs ended pairs counted: {@code closed + rollbacks + failed}
 * @param liquidations pairs that ended because a venue liquidated a leg
 * @param fills filled orders; {@code fillsMeasured} of them had a reference mark for slippage
 * @param worst the pair with the lowest net PnL (the earliest of equals); empty without pairs
 * @param maxDrawdown the largest fall of cumulative net PnL, pairs taken in the order they ended
 */
public record CostSummary(
        int pairs,
        int closed,
        int rollbacks,
        int failed,
        int liquidations,
        BigDecimal volume,
        BigDecimal points,
        BigDecimal realizedPnl,
        BigDecimal fees,
        Map<Venue, BigDecimal> feesByVenue,
        BigDecimal slippage,
        int fills,
        int fillsMeasured,
        BigDecimal funding,
        Map<Venue, BigDecimal> fundingByVenue,
        Optional<PairCost> worst,
        BigDecimal maxDrawdown) {

    /** Pairs in the order they ended: by end time, then id. */
    public static final Comparator<PairCost> ENDED_ORDER =
            Comparator.comparing(PairCost::endedAt).thenComparingLong(PairCost::pairId);

    public CostSummary {
        feesByVenue = Collections.unmodifiableMap(copy(feesByVenue));
        fundingByVenue = Collections.unmodifiableMap(copy(fundingByVenue));
    }

    /** fees + slippage − funding received. */
    public BigDecimal netCost() {
        return Costs.netCost(fees, slippage, funding);
    }

    /** net cost / volume × 1,000,000; empty without volume. */
    public Optional<BigDecimal> costPer1m() {
        return Costs.costPer1m(netCost(), volume);
    }

    /** net cost / points; empty without points. */
    public Optional<BigDecimal> costPerPoint() {
        return Costs.costPerPoint(netCost(), points);
    }

    /** The legs' PnL at their reference marks: realized PnL plus the slippage it includes. */
    public BigDecimal pricePnl() {
        return realizedPnl.add(slippage);
    }

    /** Realized PnL − fees + funding (= price PnL − net cost): what {@code history} calls net_pnl. */
    public BigDecimal netPnl() {
        return realizedPnl.subtract(fees).add(funding);
    }

    /** The sums of {@code costs}, in any order. */
    public static CostSummary of(Collection<PairCost> costs) {
        List<PairCost> ended = costs.stream().sorted(ENDED_ORDER).toList();
        int closed = 0;
        int rollbacks = 0;
        int failed = 0;
        int liquidations = 0;
        int fills = 0;
        int measured = 0;
        BigDecimal volume = BigDecimal.ZERO;
        BigDecimal points = BigDecimal.ZERO;
        BigDecimal realized = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        BigDecimal slippage = BigDecimal.ZERO;
        BigDecimal funding = BigDecimal.ZERO;
        Map<Venue, BigDecimal> feesByVenue = new TreeMap<>();
        Map<Venue, BigDecimal> fundingByVenue = new TreeMap<>();
        PairCost worst = null;
        for (PairCost c : ended) {
            switch (c.status()) {
                case CLOSED -> closed++;
                case ROLLED_BACK -> rollbacks++;
                case FAILED -> failed++;
                case OPENING, OPEN, CLOSING, UNHEDGED ->
                    throw new IllegalArgumentException("pair " + c.pairId() + " has not ended: " + c.status());
            }
            if (c.liquidated()) {
                liquidations++;
            }
            fills += c.fills();
            measured += c.fillsMeasured();
            volume = volume.add(c.volume());
            points = points.add(c.points());
            realized = realized.add(c.realizedPnl());
            fees = fees.add(c.fees());
            slippage = slippage.add(c.slippage());
            funding = funding.add(c.funding());
            c.feesByVenue().forEach((v, f) -> feesByVenue.merge(v, f, BigDecimal::add));
            c.fundingByVenue().forEach((v, f) -> fundingByVenue.merge(v, f, BigDecimal::add));
            if (worst == null || c.netPnl().compareTo(worst.netPnl()) < 0) {
                worst = c;
            }
        }
        BigDecimal drawdown =
                Costs.maxDrawdown(ended.stream().map(PairCost::netPnl).toList());
        return new CostSummary(
                ended.size(),
                closed,
                rollbacks,
                failed,
                liquidations,
                volume,
                points,
                realized,
                fees,
                feesByVenue,
                slippage,
                fills,
                measured,
                funding,
                fundingByVenue,
                Optional.ofNullable(worst),
                drawdown);
    }

    private static Map<Venue, BigDecimal> copy(Map<Venue, BigDecimal> m) {
        Map<Venue, BigDecimal> copy = new TreeMap<>();
        copy.putAll(m);
        return copy;
    }
}
