package dev.perptrader.trader;

/**
 * Every alert the bot raises; the README explains each. {@link #TEST} is never raised: it is the
 * alert {@code perp-trader alerts test} sends straight to the sinks.
 */
public enum AlertKind {
    LOW_COLLATERAL,
    PNL_DIVERGENCE,
    LEG_MISSING,
    ROLLED_BACK,
    UNHEDGED,
    CLOSE_STUCK,
    ORPHAN_POSITION,
    INSUFFICIENT_COLLATERAL,
    VENUE_DOWN,
    KILL_SWITCH,
    PROTECTIVE_CLOSE,
    OPEN_FAILED,
    ORDER_UNKNOWN,
    DAILY_LOSS_LIMIT,
    LEG_SIZE_MISMATCH,
    LEG_SUSPECT,
    PRICE_SUSPECT,
    CLOCK_SKEW,
    OPENING_PAUSED,
    OPENING_BLOCKED,
    CLOSED_WITHOUT_FILL,
    UNHEALTHY,
    TEST
}
