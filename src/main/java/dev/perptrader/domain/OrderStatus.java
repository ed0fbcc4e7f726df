package dev.perptrader.domain;

/** What perp-trader knows about one order it sent. */
public enum OrderStatus {
    /** Recorded, not yet answered. After a crash: maybe sent, maybe not. */
    PENDING,
    /** Fully filled. */
    FILLED,
    /** Filled in part; the rest will never fill (market order). */
    PARTIAL,
    /** Refused by the venue; nothing filled. */
    REJECTED,
    /** Sent, outcome unknown (timeout, 5xx); must be looked up by client id before acting. */
    UNKNOWN;

    public boolean settled() {
        return this == FILLED || this == PARTIAL || this == REJECTED;
    }
}
