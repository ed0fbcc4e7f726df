package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One order perp-trader sent (or was about to send), as stored before sending. {@code priced} is
 * false while the venue has told how much filled but its average price and fee are not read yet
 * ({@code avgPrice} null, {@code fee} zero until then). {@code limitPrice} is the price of a
 * resting post-only limit order (a maker-first entry's), null for a market order.
 */
public record OrderRecord(
        long id,
        long pairId,
        long legId,
        Venue venue,
        String symbol,
        String clientId,
        OrderPurpose purpose,
        OrderSide side,
        BigDecimal qty,
        OrderStatus status,
        BigDecimal filledQty,
        BigDecimal avgPrice,
        BigDecimal fee,
        boolean priced,
        String venueOrderId,
        String error,
        Instant createdAt,
        Instant updatedAt,
        BigDecimal limitPrice) {

    /** Whether this is a resting limit order rather than a market order. */
    public boolean resting() {
        return limitPrice != null;
    }
}
