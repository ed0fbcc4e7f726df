package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one ended pair (CLOSED, ROLLED_BACK or FAILED) cost: its stored figures, split by venue,
 * and the slippage of its fills.
 *
 * <p><b>How slippage is measured.</b> Each fill is compared with its own leg's mark nearest in
 * time to the order ({@link Costs#slippage}), taken from the monitor's marks of the pair. The
 * store keeps no mark at the moment an order is sent: the opening marks are read to size the pair
 * but only the higher of the two is kept (as notional / quantity), so the nearest monitor row is
 * the closest reference stored for each leg: for an opening fill the first mark after it, for a
 * closing fill the last before it, at most one {@code monitor.interval_seconds} away (an hour
 * once marks are thinned). Both legs of a pair fill together and are measured against the same
 * row, so a price move common to both venues in between cancels in the pair's slippage (the long
 * leg's move counts against, the short leg's for it); only the change of the venues' basis over
 * that gap remains, which is as often for as against and averages out over pairs. A fill of a pair
 * without marks (an open rolled back before the first monitor tick) is not measured: {@link
 * #fills} counts every fill, {@link #fillsMeasured} those measured.
 *
 * <p>{@link #pricePnl} is the legs' PnL at those reference marks (realized PnL with slippage
 * taken out), so {@link #netPnl} = price PnL − net cost = realized PnL − fees + funding, the
 * {@code net_pnl} column.
 *
 * @param fees all fees of both legs (the pair's {@code fees} column)
 * @param funding funding received by both legs (the pair's {@code funding} column)
 * @param feesByVenue each venue's part of the fees, from its leg
 * @param fundingByVenue each venue's part of the funding, from its leg
 * @param slippage what the measured fills paid over their reference marks (positive = paid)
 */
public record PairCost(
        long pairId,
        String asset,
        PairStatus status,
        Instant endedAt,
        String endReason,
        BigDecimal volume,
        BigDecimal points,
        BigDecimal realizedPnl,
        BigDecimal fees,
        BigDecimal funding,
        Map<Venue, BigDecimal> feesByVenue,
        Map<Venue, BigDecimal> fundingByVenue,
        BigDecimal slippage,
        int fills,
        int fillsMeasured) {

    public PairCost {
        Objects.requireNonNull(endedAt, "endedAt");
        feesByVenue = byVenue(feesByVenue);
        fundingByVenue = byVenue(fundingByVenue);
        if (fillsMeasured < 0 || fillsMeasured > fills) {
            throw new IllegalArgumentException("fillsMeasured " + fillsMeasured + " not in [0, " + fills + "]");
        }
    }

    /** fees + slippage − funding received. */
    public BigDecimal netCost() {
        return Costs.netCost(fees, slippage, funding);
    }

    /** The legs' PnL at their reference marks: realized PnL plus the slippage it includes. */
    public BigDecimal pricePnl() {
        return realizedPnl.add(slippage);
    }

    /** Realized PnL − fees + funding: price PnL − net cost. */
    public BigDecimal netPnl() {
        return realizedPnl.subtract(fees).add(funding);
    }

    /**
     * True when the pair ended because a venue liquidated one of its legs (the reconciler's
     * close reason, e.g. {@code LEG_MISSING: LONG leg on backpack liquidated}).
     */
    public boolean liquidated() {
        return endReason != null && endReason.endsWith(" liquidated");
    }

    /**
     * The cost of {@code pair}, which must have ended, from its legs, its orders and the monitor's
     * marks of it ({@code marks} may be only those near its orders: each fill takes the nearest).
     */
    public static PairCost of(HedgePair pair, List<Leg> legs, List<OrderRecord> orders, Collection<PairMark> marks) {
        if (!pair.status().isTerminal() || pair.closedAt() == null) {
            throw new IllegalArgumentException("pair " + pair.id() + " has not ended: " + pair.status());
        }
        Map<Venue, BigDecimal> fees = new TreeMap<>();
        Map<Venue, BigDecimal> funding = new TreeMap<>();
        for (Leg leg : legs) {
            fees.merge(leg.venue(), leg.fees(), BigDecimal::add);
            funding.merge(leg.venue(), leg.funding(), BigDecimal::add);
        }
        BigDecimal slippage = BigDecimal.ZERO;
        int fills = 0;
        int measured = 0;
        for (OrderRecord o : orders) {
            if (o.filledQty().signum() <= 0 || o.avgPrice() == null) {
                continue;
            }
            fills++;
            Optional<PairMark> reference = PairMark.nearest(marks, o.createdAt());
            if (reference.isPresent()) {
                BigDecimal mark = reference.get().mark(legSide(o));
                slippage = slippage.add(Costs.slippage(o.side(), o.filledQty(), o.avgPrice(), mark));
                measured++;
            }
        }
        return new PairCost(
                pair.id(),
                pair.asset(),
                pair.status(),
                pair.closedAt(),
                pair.closeReason(),
                orZero(pair.volume()),
                orZero(pair.points()),
                orZero(pair.realizedPnl()),
                orZero(pair.fees()),
                orZero(pair.funding()),
                fees,
                funding,
                slippage,
                fills,
                measured);
    }

    /** The side of the leg an order traded: an opening buy or a reducing sell is the LONG leg's. */
    private static Side legSide(OrderRecord o) {
        boolean buy = o.side() == OrderSide.BUY;
        return (o.purpose() == OrderPurpose.OPEN) == buy ? Side.LONG : Side.SHORT;
    }

    /** A pair that ended holds every figure; one written by an older version may lack some. */
    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    private static Map<Venue, BigDecimal> byVenue(Map<Venue, BigDecimal> m) {
        Map<Venue, BigDecimal> copy = new TreeMap<>();
        copy.putAll(m);
        return Collections.unmodifiableMap(copy);
    }
}
