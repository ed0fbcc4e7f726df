package dev.perptrader.domain;

import java.math.BigDecimal;

/** The direction of a position (a leg). */
public enum Side {
    LONG,
    SHORT;

    public Side opposite() {
        return this == LONG ? SHORT : LONG;
    }

    /** +1 for LONG, -1 for SHORT: unrealized PnL = sign × qty × (mark − entry). */
    public BigDecimal sign() {
        return this == LONG ? BigDecimal.ONE : MINUS_ONE;
    }

    private static final BigDecimal MINUS_ONE = BigDecimal.ONE.negate();

    /** {@code qty} with this side's sign: {@code sign().multiply(qty)}, the same value at the same scale. */
    public BigDecimal signed(BigDecimal qty) {
        return this == LONG ? qty : qty.negate();
    }

    /** The order side that opens (increases) a position of this side. */
    public OrderSide opening() {
        return this == LONG ? OrderSide.BUY : OrderSide.SELL;
    }

    /** The order side that reduces a position of this side. */
    public OrderSide closing() {
        return opening().opposite();
    }
}
