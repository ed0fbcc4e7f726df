package dev.perptrader.exchange;

import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The account's fee rates as fractions of notional (0.0002 = 2 bps); a negative maker rate is a
 * rebate.
 */
public record FeeRates(BigDecimal maker, BigDecimal taker) {
    public FeeRates {
        Objects.requireNonNull(maker, "maker");
        Objects.requireNonNull(taker, "taker");
    }

    /**
     * Of two venues, the one whose account saves more by resting (its taker − maker rate); the
     * first on a tie.
     */
    public static Venue cheaperToRest(Venue first, FeeRates firstRates, Venue second, FeeRates secondRates) {
        return secondRates.makerSaving().compareTo(firstRates.makerSaving()) > 0 ? second : first;
    }

    /** What resting instead of taking saves per unit of notional. */
    public BigDecimal makerSaving() {
        return taker.subtract(maker);
    }
}
