package dev.perptrader.exchange;

/** The typed failures every venue maps its errors to. */
public enum ExchangeError {
    /** The venue refused the order (bad parameters, market closed, reduce-only conflict…). */
    REJECTED,
    /** Not enough free collateral for the order. */
    INSUFFICIENT_MARGIN,
    /** Quantity or notional under the market's minimum, or too many decimals. */
    BELOW_MINIMUM,
    /** Throttled by the venue; try later. */
    RATE_LIMITED,
    /** The request may or may not have taken effect (timeout, 5xx after sending). */
    UNKNOWN_OUTCOME,
    /** Maintenance, outage or an unusable reply: nothing happened. */
    VENUE_DOWN,
    /**
     * The venue refused our signature or key (wrong key, wrong account): nothing happened, and
     * the same request will be refused again until the owner fixes the setup.
     */
    AUTH_FAILED,
    /**
     * The venue refused the request's timestamp or nonce as outside its window (clock skew):
     * nothing happened. The client has re-measured its clock offset; a new request may succeed.
     */
    CLOCK_REJECTED,
    /**
     * A post-only order would have taken at once, so the venue refused it (or expired it unfilled):
     * nothing executed. The book moved; a new price may rest.
     */
    WOULD_TAKE;

    /** Whether the order may have been accepted despite the error. */
    public boolean mayHaveExecuted() {
        return this == UNKNOWN_OUTCOME;
    }
}
