package dev.perptrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One venue's trading rules for a perpetual market.
 *
 * @param asset       the base asset, venue-neutral ("BTC")
 * @param symbol      the venue's exact symbol ("BTC_USDC_PERP")
 * @param tickSize    price increment
 * @param stepSize    quantity increment
 * @param minQty      smallest order quantity
 * @param minNotional smallest order notional in quote currency (zero when the venue has none)
 * @param open        whether the market accepts orders now
 */
public record MarketRules(
        String asset,
        String symbol,
        BigDecimal tickSize,
        BigDecimal stepSize,
        BigDecimal minQty,
        BigDecimal minNotional,
        boolean open) {

    public MarketRules {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(symbol, "symbol");
        requirePositive(tickSize, "tickSize");
        requirePositive(stepSize, "stepSize");
        if (minQty.signum() < 0) {
            throw new IllegalArgumentException("minQty < 0: " + minQty);
        }
        if (minNotional.signum() < 0) {
            throw new IllegalArgumentException("minNotional < 0: " + minNotional);
        }
    }

    private static void requirePositive(BigDecimal v, String name) {
        if (v == null || v.signum() <= 0) {
            throw new IllegalArgumentException(name + " <= 0: " + v);
        }
    }

    /** Rounds a quantity down to this market's step. */
    public BigDecimal floorQty(BigDecimal qty) {
        return Quantities.floorToStep(qty, stepSize);
    }

    /** Rounds a price to the nearest tick (half up). */
    public BigDecimal roundPrice(BigDecimal price) {
        BigDecimal ticks = price.divide(tickSize, 0, RoundingMode.HALF_UP);
        return ticks.multiply(tickSize).stripTrailingZeros();
    }

    /** Whether an order of {@code qty} at {@code price} meets this market's minimums. */
    public boolean meetsMinimums(BigDecimal qty, BigDecimal price) {
        return qty.signum() > 0
                && qty.compareTo(minQty) >= 0
                && qty.multiply(price).compareTo(minNotional) >= 0;
    }
}
