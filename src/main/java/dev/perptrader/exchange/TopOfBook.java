package dev.perptrader.exchange;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** The best bid and ask of one market, with the quantity resting at each. */
public record TopOfBook(
        String symbol, BigDecimal bid, BigDecimal bidQty, BigDecimal ask, BigDecimal askQty, Instant at) {
    public TopOfBook {
        Objects.requireNonNull(symbol, "symbol");
        if (bid == null || ask == null || bid.signum() <= 0 || ask.signum() <= 0) {
            throw new IllegalArgumentException(symbol + ": no two-sided book (bid " + bid + ", ask " + ask + ")");
        }
        if (bid.compareTo(ask) >= 0) {
            throw new IllegalArgumentException(symbol + ": crossed book (bid " + bid + " >= ask " + ask + ")");
        }
    }
}
