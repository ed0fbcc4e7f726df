package dev.perptrader.domain;

import java.math.BigDecimal;

/** The side of an order. */
public enum OrderSide {
    BUY,
    SELL;

    public OrderSide opposite() {
        return this == BUY ? SELL : BUY;
    }

    /** Cash flow sign of a fill: a BUY pays (−1), a SELL receives (+1). */
    public BigDecimal cashSign() {
        return this == BUY ? BigDecimal.ONE.negate() : BigDecimal.ONE;
    }
}
