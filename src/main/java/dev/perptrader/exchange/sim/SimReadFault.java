package dev.perptrader.exchange.sim;

import dev.perptrader.exchange.ExchangeError;

/**
 * A failure injected into the next read ({@code quotes}, {@code account}, {@code lookupOrder},
 * {@code restingOrder} or {@code topOfBook}) on one simulated venue (see {@link SimVenue#injectReadFault}). Reads change nothing, so
 * either kind leaves the venue as it was.
 */
public enum SimReadFault {
    /** The venue is unreachable. */
    VENUE_DOWN(ExchangeError.VENUE_DOWN),
    /** The reply never came (meant for {@code lookupOrder}: the trader must ask again). */
    UNKNOWN_OUTCOME(ExchangeError.UNKNOWN_OUTCOME);

    private final ExchangeError error;

    SimReadFault(ExchangeError error) {
        this.error = error;
    }

    public ExchangeError error() {
        return error;
    }
}
