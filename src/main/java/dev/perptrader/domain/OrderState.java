package dev.perptrader.domain;

/** Where a market order ended on the venue. */
public enum OrderState {
    FILLED,
    PARTIAL,
    REJECTED;

    /** How the bot records an order that ended in this state. */
    public OrderStatus status() {
        return switch (this) {
            case FILLED -> OrderStatus.FILLED;
            case PARTIAL -> OrderStatus.PARTIAL;
            case REJECTED -> OrderStatus.REJECTED;
        };
    }
}
