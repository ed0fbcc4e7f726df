package dev.perptrader.exchange;

import dev.perptrader.domain.OrderSide;
import java.math.BigDecimal;
import java.util.Objects;

/** A market order. {@code qty} must already be rounded to the market's step. */
public record OrderRequest(String symbol, OrderSide side, BigDecimal qty, boolean reduceOnly, String clientId) {
    public OrderRequest {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(clientId, "clientId");
        if (qty == null || qty.signum() <= 0) {
            throw new IllegalArgumentException("qty <= 0: " + qty);
        }
    }
}
