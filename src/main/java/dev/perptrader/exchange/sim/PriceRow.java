package dev.perptrader.exchange.sim;

import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a price file: what {@code venue} showed for {@code asset} at {@code at}.
 *
 * @param symbol          the venue's own name of the market ("BTC_USDC_PERP")
 * @param markPrice       the mark price, > 0
 * @param fundingRate     the funding rate per {@code fundingInterval}; positive = longs pay shorts
 * @param fundingInterval how often the venue settles funding on this market, > 0
 */
public record PriceRow(
        Instant at,
        Venue venue,
        String asset,
        String symbol,
        BigDecimal markPrice,
        BigDecimal fundingRate,
        Duration fundingInterval) {

    public PriceRow {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(fundingRate, "fundingRate");
        if (markPrice == null || markPrice.signum() <= 0) {
            throw new IllegalArgumentException("markPrice <= 0: " + markPrice);
        }
        if (fundingInterval == null || fundingInterval.toMillis() <= 0) {
            throw new IllegalArgumentException("fundingInterval <= 0: " + fundingInterval);
        }
    }
}
