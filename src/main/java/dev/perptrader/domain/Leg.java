package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One side of a pair, as stored. {@code size} is what the venue should hold now (sum of
 * opening fills minus reducing fills; the {@code held} column), not the size the leg opened
 * with (the {@code size} column); {@code entryPrice} is the average opening price.
 * {@code suspectSince} is set while the venue's position disagrees with the leg and the
 * disagreement is not yet confirmed (see {@code reconcile.confirm_reads}).
 */
public record Leg(long id, long pairId, Venue venue, String symbol, Side side, BigDecimal size,
                  BigDecimal entryPrice, BigDecimal exitPrice, BigDecimal markPrice,
                  BigDecimal unrealizedPnl, BigDecimal realizedPnl, BigDecimal fees,
                  BigDecimal funding, LegStatus status, Instant suspectSince, String suspectReason) {

    public boolean holdsPosition() {
        return size.signum() > 0;
    }

    /** True while the venue disagrees with this leg and the bot has not yet confirmed why. */
    public boolean suspect() {
        return suspectSince != null;
    }

    /** The leg's position as a signed quantity: positive long, negative short. */
    public BigDecimal signedSize() {
        return side.sign().multiply(size);
    }
}
