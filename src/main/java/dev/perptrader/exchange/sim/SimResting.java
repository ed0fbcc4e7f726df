package dev.perptrader.exchange.sim;

import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.RestingOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A limit order on a simulated venue, as the state file keeps it: what was asked, where it is,
 * and what filled so far (quantity, average price, fee). Immutable; every change returns a new
 * one.
 */
record SimResting(
        String clientId,
        String venueOrderId,
        String symbol,
        OrderSide side,
        BigDecimal qty,
        BigDecimal price,
        boolean postOnly,
        boolean reduceOnly,
        RestingOrder.Status status,
        BigDecimal filledQty,
        BigDecimal avgPrice,
        BigDecimal fee,
        Instant createdAt) {

    SimResting {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(venueOrderId, "venueOrderId");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if (filledQty.signum() < 0 || filledQty.compareTo(qty) > 0) {
            throw new IllegalArgumentException("filled " + filledQty + " of " + qty);
        }
    }

    /** A new order on the book, nothing filled. */
    static SimResting open(
            String clientId,
            String venueOrderId,
            String symbol,
            OrderSide side,
            BigDecimal qty,
            BigDecimal price,
            boolean postOnly,
            boolean reduceOnly,
            Instant at) {
        return new SimResting(
                clientId,
                venueOrderId,
                symbol,
                side,
                qty,
                price,
                postOnly,
                reduceOnly,
                RestingOrder.Status.OPEN,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                at);
    }

    /** What is left to fill while it rests. */
    BigDecimal remaining() {
        return status.ended() ? BigDecimal.ZERO : qty.subtract(filledQty);
    }

    /** This order after {@code q} more filled at {@code at} paying {@code paid}; FILLED when nothing is left. */
    SimResting filled(BigDecimal q, BigDecimal at, BigDecimal paid) {
        BigDecimal nextQty = filledQty.add(q);
        BigDecimal nextAvg = nextQty.signum() == 0
                ? BigDecimal.ZERO
                : plain(Money.divide(avgPrice.multiply(filledQty).add(at.multiply(q)), nextQty));
        RestingOrder.Status next = nextQty.compareTo(qty) >= 0 ? RestingOrder.Status.FILLED : status;
        return new SimResting(
                clientId,
                venueOrderId,
                symbol,
                side,
                qty,
                price,
                postOnly,
                reduceOnly,
                next,
                nextQty,
                nextAvg,
                fee.add(paid),
                createdAt);
    }

    /** Without trailing zeros and never in exponent form, so it reads back from the store as it was. */
    private static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    /** This order ended as {@code end} with what filled so far. */
    SimResting ended(RestingOrder.Status end) {
        return new SimResting(
                clientId,
                venueOrderId,
                symbol,
                side,
                qty,
                price,
                postOnly,
                reduceOnly,
                end,
                filledQty,
                avgPrice,
                fee,
                createdAt);
    }

    /** As the contract reports it: no average price while nothing filled. */
    RestingOrder toRestingOrder() {
        boolean any = filledQty.signum() > 0;
        return new RestingOrder(
                clientId, venueOrderId, symbol, side, qty, price, status, filledQty, any ? avgPrice : null, fee);
    }
}
