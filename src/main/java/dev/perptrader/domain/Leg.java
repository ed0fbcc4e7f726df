package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One side of a pair, as stored. {@code size} is what the venue should hold now (sum of
 * opening fills minus reducing fills; the {@code held} column); {@code openedQty} is what the
 * leg opened with in all (the {@code size} column) and {@code closedQty} what it reduced by;
 * {@code entryPrice} and {@code exitPrice} are the average opening and reducing prices.
 * {@code suspectSince} is set while the venue's position disagrees with the leg and the
 * disagreement is not yet confirmed (see {@code reconcile.confirm_reads}).
 *
 * <p>The leg's fill accounting lives here, once: {@link #apply} and {@link #venueReduced}
 * return the leg as it is after a fill; the store only persists the result.
 */
public record Leg(
        long id,
        long pairId,
        Venue venue,
        String symbol,
        Side side,
        BigDecimal size,
        BigDecimal openedQty,
        BigDecimal closedQty,
        BigDecimal entryPrice,
        BigDecimal exitPrice,
        BigDecimal markPrice,
        BigDecimal unrealizedPnl,
        BigDecimal realizedPnl,
        BigDecimal fees,
        BigDecimal funding,
        LegStatus status,
        Instant suspectSince,
        String suspectReason) {

    public boolean holdsPosition() {
        return size.signum() > 0;
    }

    /** True while the venue disagrees with this leg and the bot has not yet confirmed why. */
    public boolean suspect() {
        return suspectSince != null;
    }

    /** What {@code legs} hold together, signed, per symbol: what the book expects a venue to show. */
    public static Map<String, BigDecimal> signedBySymbol(Collection<Leg> legs) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        legs.forEach(l -> out.merge(l.symbol(), l.signedSize(), BigDecimal::add));
        return out;
    }

    /** The leg's position as a signed quantity: positive long, negative short. */
    public BigDecimal signedSize() {
        return side.signed(size);
    }

    /**
     * The leg after one of its orders filled {@code filled} at {@code price} paying {@code fee}:
     * an opening fill adds to the size and the average entry; a reducing fill (trim, rollback,
     * close) takes from the size, adds to the average exit and realizes PnL against the entry.
     * A fill of zero only adds its fee (and settles a pending leg as REJECTED). The same as
     * {@link #held} then {@link #accounted}.
     */
    public Leg apply(OrderPurpose purpose, BigDecimal filled, BigDecimal price, BigDecimal fee) {
        return held(purpose, filled).accounted(purpose, filled, price, fee);
    }

    /**
     * The leg once the venue has told how much of one of its orders filled, before the fill's
     * price and fee are read: what it holds (and its status) changes, its money figures do not
     * (see {@link #accounted}). A negative {@code filled} takes back part of an earlier quantity
     * (the venue's final word on an order said less than its first).
     */
    public Leg held(OrderPurpose purpose, BigDecimal filled) {
        if (purpose == OrderPurpose.OPEN) {
            BigDecimal held = size.add(filled).max(BigDecimal.ZERO);
            LegStatus st =
                    held.signum() > 0 ? LegStatus.OPEN : status == LegStatus.PENDING ? LegStatus.REJECTED : status;
            return with(held, openedQty, closedQty, entryPrice, exitPrice, realizedPnl, fees, st);
        }
        BigDecimal held = size.subtract(filled).max(BigDecimal.ZERO);
        LegStatus st = held.signum() == 0 && status == LegStatus.OPEN ? LegStatus.CLOSED : status;
        return with(held, openedQty, closedQty, entryPrice, exitPrice, realizedPnl, fees, st);
    }

    /**
     * The leg's money figures after one of its fills, whose quantity {@link #held} has already
     * counted, is known in full: an opening fill adds to the opened quantity and the average
     * entry; a reducing fill adds to the closed quantity and the average exit and realizes PnL
     * against the entry. Fills are accounted in the order they were sent, so a reduction always
     * meets the entry of what it reduces.
     */
    public Leg accounted(OrderPurpose purpose, BigDecimal filled, BigDecimal price, BigDecimal fee) {
        BigDecimal newFees = fees.add(fee);
        if (purpose == OrderPurpose.OPEN) {
            BigDecimal entry =
                    filled.signum() == 0 ? entryPrice : Pnl.vwap(openedQty, orZero(entryPrice), filled, price);
            return with(size, openedQty.add(filled), closedQty, entry, exitPrice, realizedPnl, newFees, status);
        }
        BigDecimal exit = filled.signum() == 0 ? exitPrice : Pnl.vwap(closedQty, orZero(exitPrice), filled, price);
        BigDecimal realized = filled.signum() == 0
                ? realizedPnl
                : realizedPnl.add(Pnl.unrealized(side, filled, orZero(entryPrice), price));
        return with(size, openedQty, closedQty.add(filled), entryPrice, exit, realized, newFees, status);
    }

    /**
     * The leg after the venue, not the bot, took it down to {@code venueHeld} (a liquidation, a
     * close by hand), at {@code price} (the venue's closing fill, or the last mark when none is
     * known; null leaves PnL as it was) with {@code fee}. Gone entirely, it is MISSING. The
     * reduction is confirmed, so the leg is no longer suspect.
     */
    public Leg venueReduced(BigDecimal venueHeld, BigDecimal price, BigDecimal fee) {
        BigDecimal gone = size.subtract(venueHeld).max(BigDecimal.ZERO);
        BigDecimal realized = price == null || entryPrice == null
                ? realizedPnl
                : realizedPnl.add(Pnl.unrealized(side, gone, entryPrice, price));
        BigDecimal exit = price == null ? exitPrice : Pnl.vwap(closedQty, orZero(exitPrice), gone, price);
        LegStatus st = venueHeld.signum() == 0 ? LegStatus.MISSING : status;
        return new Leg(
                id,
                pairId,
                venue,
                symbol,
                side,
                venueHeld,
                openedQty,
                closedQty.add(gone),
                entryPrice,
                exit,
                markPrice,
                unrealizedPnl,
                realized,
                fees.add(fee),
                funding,
                st,
                null,
                null);
    }

    private Leg with(
            BigDecimal held,
            BigDecimal opened,
            BigDecimal closed,
            BigDecimal entry,
            BigDecimal exit,
            BigDecimal realized,
            BigDecimal newFees,
            LegStatus st) {
        return new Leg(
                id,
                pairId,
                venue,
                symbol,
                side,
                held,
                opened,
                closed,
                entry,
                exit,
                markPrice,
                unrealizedPnl,
                realized,
                newFees,
                funding,
                st,
                suspectSince,
                suspectReason);
    }

    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
