package dev.perptrader.domain;

import java.math.BigDecimal;

/**
 * What a market order did.
 *
 * @param filledQty base quantity executed (zero for REJECTED)
 * @param avgPrice  average execution price (zero when nothing filled)
 * @param fee       fee paid in quote currency (positive = paid)
 */
public record Fill(
        String clientId,
        String venueOrderId,
        String symbol,
        OrderSide side,
        OrderState state,
        BigDecimal filledQty,
        BigDecimal avgPrice,
        BigDecimal fee) {

    /** This fill with {@code fee} (null: not read yet). */
    public Fill withFee(BigDecimal fee) {
        return new Fill(clientId, venueOrderId, symbol, side, state, filledQty, avgPrice, fee);
    }

    /** What a venue tells first: state and filled quantity, its price and fee not read yet. */
    public Fill firstWord() {
        return new Fill(clientId, venueOrderId, symbol, side, state, filledQty, null, null);
    }
}
