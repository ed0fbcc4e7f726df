package dev.perptrader.bench;

import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The local venues' mark prices: each market's base price on a slow, seeded swing (a sine of
 * {@value #PERIOD_SECONDS} s period and ±0.2 % amplitude, its phase drawn per market), Hibachi's
 * mark 0.02 % above Backpack's. Prices are rounded to the market's tick. Thread-safe.
 */
final class BenchPrices {
    static final int PERIOD_SECONDS = 600;
    private static final double AMPLITUDE = 0.002;
    private static final BigDecimal HIBACHI_BASIS = new BigDecimal("1.0002");

    private final long startNanos;
    private final Map<String, Double> phases = new HashMap<>();

    BenchPrices(BenchMarkets markets, long seed) {
        this.startNanos = System.nanoTime();
        Random random = new Random(seed ^ 0x5DEECE66DL);
        for (BenchMarkets.Market m : markets.all()) {
            phases.put(m.asset(), random.nextDouble() * 2 * Math.PI);
        }
    }

    /** {@code market}'s mark on {@code venue} now. */
    BigDecimal mark(BenchMarkets.Market market, Venue venue) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double swing = 1 + AMPLITUDE * Math.sin(2 * Math.PI * seconds / PERIOD_SECONDS + phases.get(market.asset()));
        BigDecimal price = market.basePrice().multiply(BigDecimal.valueOf(swing));
        if (venue == HibachiExchange.VENUE) {
            price = price.multiply(HIBACHI_BASIS);
        }
        return price.divide(market.tick(), 0, RoundingMode.HALF_EVEN)
                .multiply(market.tick())
                .stripTrailingZeros()
                .max(market.tick());
    }
}
