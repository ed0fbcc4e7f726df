package dev.perptrader.domain;

/** State of one leg of a pair. */
public enum LegStatus {
    /** Intent recorded, opening order not yet confirmed. */
    PENDING,
    /** Holds a position on the venue. */
    OPEN,
    /** The opening order was refused; nothing was ever held. */
    REJECTED,
    /** Flat again (closed, rolled back or trimmed away). */
    CLOSED,
    /** The venue no longer shows the position (liquidated, closed by hand). */
    MISSING
}
