package dev.perptrader.exchange;

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

    /** What resting instead of taking saves per unit of notional. */
    public BigDecimal makerSaving() {
        return taker.subtract(maker);
    }
}
