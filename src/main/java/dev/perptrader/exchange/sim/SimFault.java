package dev.perptrader.exchange.sim;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A failure injected into the next order on one simulated venue (see
 * {@link SimVenue#injectOrderFault}). Use the constants, or {@link #partial} for a partial fill.
 */
public sealed interface SimFault permits SimFault.Kind, SimFault.Partial {

    /** Refused with REJECTED; nothing executes. */
    SimFault REJECT = Kind.REJECT;
    /** Refused with INSUFFICIENT_MARGIN; nothing executes. */
    SimFault INSUFFICIENT_MARGIN = Kind.INSUFFICIENT_MARGIN;
    /** UNKNOWN_OUTCOME before the order reaches the venue: nothing executes, lookup is empty. */
    SimFault TIMEOUT_BEFORE_SEND = Kind.TIMEOUT_BEFORE_SEND;
    /** The order executes and is stored, then UNKNOWN_OUTCOME is thrown: lookup finds it. */
    SimFault TIMEOUT_AFTER_FILL = Kind.TIMEOUT_AFTER_FILL;
    /** Refused with VENUE_DOWN; nothing executes. */
    SimFault VENUE_DOWN = Kind.VENUE_DOWN;

    /** Fills {@code qty × fraction} rounded down to the step and answers PARTIAL. */
    static SimFault partial(BigDecimal fraction) {
        return new Partial(fraction);
    }

    /** The faults without parameters. */
    enum Kind implements SimFault {
        REJECT,
        INSUFFICIENT_MARGIN,
        TIMEOUT_BEFORE_SEND,
        TIMEOUT_AFTER_FILL,
        VENUE_DOWN
    }

    /** A partial fill of {@code fraction} (strictly between 0 and 1) of the requested quantity. */
    record Partial(BigDecimal fraction) implements SimFault {
        public Partial {
            Objects.requireNonNull(fraction, "fraction");
            if (fraction.signum() <= 0 || fraction.compareTo(BigDecimal.ONE) >= 0) {
                throw new IllegalArgumentException("fraction not in (0, 1): " + fraction);
            }
        }
    }
}
