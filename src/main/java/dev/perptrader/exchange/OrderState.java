package dev.perptrader.exchange;

/** Where a market order ended on the venue. */
public enum OrderState {
    FILLED, PARTIAL, REJECTED
}
