package dev.perptrader.exchange.sim;

import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * The mutable state of one simulated venue account: its book, per-symbol leverage and the
 * counters behind client and order ids. Guarded by {@link SimWorld}'s lock; mirrors the store.
 */
final class SimAccount {
    private final Venue venue;
    private final Map<String, BigDecimal> leverage = new HashMap<>();
    private SimBook book;
    private long clientSeq;
    private long orderSeq;

    SimAccount(Venue venue, SimBook book, long clientSeq, long orderSeq) {
        this.venue = venue;
        this.book = book;
        this.clientSeq = clientSeq;
        this.orderSeq = orderSeq;
    }

    Venue venue() {
        return venue;
    }

    SimBook book() {
        return book;
    }

    void book(SimBook next) {
        this.book = next;
    }

    /** Leverage of {@code symbol}; 1 until set. */
    BigDecimal leverage(String symbol) {
        return leverage.getOrDefault(symbol, BigDecimal.ONE);
    }

    void leverage(String symbol, BigDecimal value) {
        leverage.put(symbol, value);
    }

    long clientSeq() {
        return clientSeq;
    }

    long nextClientSeq() {
        return ++clientSeq;
    }

    /** Orders accepted so far. */
    long orderSeq() {
        return orderSeq;
    }

    long nextOrderSeq() {
        return ++orderSeq;
    }

    /** Short venue tag used in ids ("bp", "hb"): the venue's registered {@link Venue#tag}. */
    String tag() {
        return venue.tag();
    }
}
