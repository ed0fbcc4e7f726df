package dev.perptrader.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The markets both local venues list: BTC, ETH, SOL and synthetic assets A01, A02, … with seeded
 * base prices between 0.5 and 5000. Each market's step is the power of ten worth about one cent,
 * its tick the power of ten nearest 0.001 % of its price, so a few hundred dollars of notional is
 * always a valid order. Backpack names it {@code A01_USDC_PERP}, Hibachi {@code A01/USDT-P}.
 */
final class BenchMarkets {

    /**
     * One market.
     *
     * @param contractId Hibachi's contract id (signed into every order)
     * @param decimals   Hibachi's underlyingDecimals: the step is 10^-decimals
     */
    record Market(String asset, long contractId, BigDecimal basePrice, BigDecimal tick, BigDecimal step, int decimals) {
        String backpackSymbol() {
            return asset + "_USDC_PERP";
        }

        String hibachiSymbol() {
            return asset + "/USDT-P";
        }
    }

    /** ETH, BTC and SOL: listed before the synthetic markets. */
    private static final int FIXED = 3;

    private static final BigDecimal HALF = new BigDecimal("0.5");
    /** √10 to ten digits: a mantissa from here up rounds to the next power of ten. */
    private static final BigDecimal SQRT_TEN = new BigDecimal("3.162277660");

    private final List<Market> all;
    private final Map<String, Market> byBackpack = new LinkedHashMap<>();
    private final Map<String, Market> byHibachi = new LinkedHashMap<>();

    private BenchMarkets(List<Market> all) {
        this.all = List.copyOf(all);
        for (Market m : all) {
            byBackpack.put(m.backpackSymbol(), m);
            byHibachi.put(m.hibachiSymbol(), m);
        }
    }

    /** BTC, ETH, SOL and {@code synthetic} assets A01… priced from {@code seed}. */
    static BenchMarkets of(int synthetic, long seed) {
        if (synthetic < 0 || synthetic > 99) {
            throw new IllegalArgumentException("synthetic not in 0..99: " + synthetic);
        }
        List<Market> out = new ArrayList<>();
        out.add(market("ETH", 1, new BigDecimal("3000")));
        out.add(market("BTC", 2, new BigDecimal("60000")));
        out.add(market("SOL", 3, new BigDecimal("150")));
        Random random = new Random(seed);
        for (int i = 1; i <= synthetic; i++) {
            // 0.5 to about 5000: a mantissa 1.00..9.99 times 0.5 times a power of ten 0..3
            BigDecimal mantissa = BigDecimal.valueOf(100 + random.nextInt(900), 2);
            BigDecimal price = mantissa.multiply(HALF).scaleByPowerOfTen(random.nextInt(4));
            out.add(market(String.format("A%02d", i), 100 + i, price));
        }
        return new BenchMarkets(out);
    }

    /**
     * The first {@code count} of ETH, BTC, SOL, A01, A02, …: the same markets at the same prices
     * for a seed, whatever the count.
     */
    static BenchMarkets listing(int count, long seed) {
        if (count < 1 || count > FIXED + 99) {
            throw new IllegalArgumentException("count not in 1.." + (FIXED + 99) + ": " + count);
        }
        BenchMarkets all = of(Math.max(0, count - FIXED), seed);
        return new BenchMarkets(all.all.subList(0, count));
    }

    private static Market market(String asset, long contractId, BigDecimal price) {
        // steps worth about 0.01 of quote, ticks of about 1e-5 of the price (powers of ten)
        int magnitude = roundedLog10(price);
        int stepExponent = Math.min(0, -2 - magnitude);
        int tickExponent = magnitude - 5;
        BigDecimal step = BigDecimal.ONE.scaleByPowerOfTen(stepExponent);
        BigDecimal tick = BigDecimal.ONE.scaleByPowerOfTen(tickExponent);
        BigDecimal base = price.divide(tick, 0, RoundingMode.HALF_EVEN).multiply(tick);
        return new Market(asset, contractId, base, tick, step, -stepExponent);
    }

    /** log10(x) rounded to the nearest integer, for x > 0, without leaving BigDecimal. */
    static int roundedLog10(BigDecimal x) {
        int floor = x.precision() - x.scale() - 1;
        return x.scaleByPowerOfTen(-floor).compareTo(SQRT_TEN) >= 0 ? floor + 1 : floor;
    }

    List<Market> all() {
        return all;
    }

    /** The base assets, in listing order. */
    List<String> assets() {
        return all.stream().map(Market::asset).toList();
    }

    Optional<Market> backpack(String symbol) {
        return Optional.ofNullable(symbol == null ? null : byBackpack.get(symbol));
    }

    Optional<Market> hibachi(String symbol) {
        return Optional.ofNullable(symbol == null ? null : byHibachi.get(symbol));
    }
}
