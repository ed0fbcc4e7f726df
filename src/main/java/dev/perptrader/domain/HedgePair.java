package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A LONG on one venue and an equal SHORT on another, as stored.
 *
 * @param quantity the base quantity both legs were meant to hold
 * @param notional quantity × reference price at open
 */
public record HedgePair(
        long id,
        String asset,
        Venue longVenue,
        Venue shortVenue,
        Mode mode,
        BigDecimal leverage,
        BigDecimal quantity,
        BigDecimal notional,
        PairStatus status,
        long durationMs,
        Instant createdAt,
        Instant openedAt,
        Instant closeAt,
        Instant closedAt,
        String closeReason,
        BigDecimal realizedPnl,
        BigDecimal fees,
        BigDecimal funding,
        BigDecimal volume,
        BigDecimal points) {

    public Venue venue(Side side) {
        return side == Side.LONG ? longVenue : shortVenue;
    }

    public boolean expiredAt(Instant now) {
        return closeAt != null && !now.isBefore(closeAt);
    }
}
