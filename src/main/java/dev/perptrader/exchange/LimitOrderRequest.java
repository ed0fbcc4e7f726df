package dev.perptrader.exchange;

import dev.perptrader.domain.OrderSide;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A limit order. {@code qty} must already be rounded to the market's step and {@code price} to
 * its tick. A post-only order only ever rests: one that would take at once is refused
 * ({@link ExchangeError#WOULD_TAKE}, nothing executed). A reduce-only order only ever shrinks the
 * position. A venue that cannot express both on one order refuses the pair of flags (see
 * {@link PerpExchange#postOnlyReduceOnly()}).
 */
public record LimitOrderRequest(
        String symbol,
        OrderSide side,
        BigDecimal qty,
        BigDecimal price,
        boolean postOnly,
        boolean reduceOnly,
        String clientId) {
    public LimitOrderRequest {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(clientId, "clientId");
        if (qty == null || qty.signum() <= 0) {
            throw new IllegalArgumentException("qty <= 0: " + qty);
        }
        if (price == null || price.signum() <= 0) {
            throw new IllegalArgumentException("price <= 0: " + price);
        }
    }
}
