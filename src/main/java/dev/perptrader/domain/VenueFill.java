package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One fill as the venue's own history reports it: the bot's orders and the venue's (a
 * liquidation, an auto-deleverage), so a vanished or changed position can be explained.
 *
 * @param venueOrderId the venue's id of the order that filled
 * @param clientId     the client id the order carried, or null when the venue does not report it
 * @param feeUsd       the fee in USD (converted at the fill price when charged in the base asset)
 * @param liquidation  true when the venue made the fill itself (liquidation, ADL, backstop)
 */
public record VenueFill(
        String venueOrderId,
        String clientId,
        String symbol,
        OrderSide side,
        BigDecimal qty,
        BigDecimal price,
        BigDecimal feeUsd,
        Instant at,
        boolean liquidation) {
    public VenueFill {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(at, "at");
        if (qty == null || qty.signum() <= 0) {
            throw new IllegalArgumentException("qty <= 0: " + qty);
        }
        if (price == null || price.signum() <= 0) {
            throw new IllegalArgumentException("price <= 0: " + price);
        }
        Objects.requireNonNull(feeUsd, "feeUsd");
    }
}
