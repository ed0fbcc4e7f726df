package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** One venue's collateral ratio (equity / maintenance margin) as the monitor saw it at {@code at}. */
public record VenueRatio(Venue venue, Instant at, BigDecimal ratio) {
    public VenueRatio {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(ratio, "ratio");
    }
}
