package dev.perptrader.domain;

import java.math.BigDecimal;

/**
 * One side of a pair, as stored. {@code size} is what the venue should hold now (sum of
 * opening fills minus reducing fills; the {@code held} column), not the size the leg opened
 * with (the {@code size} column); {@code entryPrice} is the average opening price.
 */
public record Leg(long id, long pairId, Venue venue, String symbol, Side side, BigDecimal size,
                  BigDecimal entryPrice, BigDecimal exitPrice, BigDecimal markPrice,
                  BigDecimal unrealizedPnl, BigDecimal realizedPnl, BigDecimal fees,
                  BigDecimal funding, LegStatus status) {

    public boolean holdsPosition() {
        return size.signum() > 0;
    }
}
