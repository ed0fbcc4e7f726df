package dev.perptrader.domain;

/** Why an order was sent. Everything but OPEN is reduce-only. */
public enum OrderPurpose {
    OPEN,
    TRIM,
    ROLLBACK,
    CLOSE;

    public boolean reduceOnly() {
        return this != OPEN;
    }
}
