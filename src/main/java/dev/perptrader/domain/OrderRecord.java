package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** One order perp-trader sent (or was about to send), as stored before sending. */
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
        String venueOrderId,
        String error,
        Instant createdAt,
        Instant updatedAt) {}
