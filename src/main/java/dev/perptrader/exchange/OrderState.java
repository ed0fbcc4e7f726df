package dev.perptrader.exchange;

/** Where a market order ended on the venue. */
public enum OrderState {
    FILLED, PARTIAL, REJECTED;

    /** How the bot records an order that ended in this state. */
    public dev.perptrader.domain.OrderStatus status() {
        return switch (this) {
            case FILLED -> dev.perptrader.domain.OrderStatus.FILLED;
            case PARTIAL -> dev.perptrader.domain.OrderStatus.PARTIAL;
            case REJECTED -> dev.perptrader.domain.OrderStatus.REJECTED;
        };
    }
}
