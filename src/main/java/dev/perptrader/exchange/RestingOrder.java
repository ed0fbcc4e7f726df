package dev.perptrader.exchange;

import dev.perptrader.domain.OrderSide;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A limit order as the venue reports it.
 *
 * @param filledQty base quantity executed so far (never more than {@code qty})
 * @param avgPrice  average price of what filled so far; null when nothing filled
 * @param fee       fee paid on what filled so far, in quote currency (negative: a rebate); null
 *                  when the venue's reply does not carry it
 */
public record RestingOrder(
        String clientId,
        String venueOrderId,
        String symbol,
        OrderSide side,
        BigDecimal qty,
        BigDecimal price,
        Status status,
        BigDecimal filledQty,
        BigDecimal avgPrice,
        BigDecimal fee) {

    /** Where the order is. */
    public enum Status {
        /** On the book, perhaps partly filled: more may fill. */
        OPEN,
        /** Filled in full: ended. */
        FILLED,
        /** Cancelled or expired, {@code filledQty} of it filled first: ended. */
        CANCELLED,
        /** Never rested (refused, or a post-only that would have taken): ended, nothing filled. */
        REJECTED;

        public boolean ended() {
            return this != OPEN;
        }
    }

    public RestingOrder {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(filledQty, "filledQty");
        if (filledQty.signum() < 0 || (qty != null && filledQty.compareTo(qty) > 0)) {
            throw new IllegalArgumentException("filled " + filledQty + " of " + qty);
        }
    }

    /** What is left to fill: zero once the order has ended. */
    public BigDecimal remaining() {
        return status.ended() ? BigDecimal.ZERO : qty.subtract(filledQty);
    }
}
