package dev.perptrader.exchange.sim;

import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated assets: starting price and each venue's market rules. To add an asset, add a
 * row to {@link #DEFAULT}; a state file created earlier picks it up at its next open.
 */
final class SimCatalog {

    static final SimCatalog DEFAULT = new SimCatalog(List.of(
            asset(
                    "BTC",
                    "60000",
                    rules("BTC", "BTC_USDC_PERP", "0.1", "0.00001", "0.00001", "0"),
                    rules("BTC", "BTC/USDT-P", "1", "0.0001", "0.0001", "10")),
            asset(
                    "ETH",
                    "3000",
                    rules("ETH", "ETH_USDC_PERP", "0.01", "0.0001", "0.0001", "0"),
                    rules("ETH", "ETH/USDT-P", "0.1", "0.001", "0.001", "10")),
            asset(
                    "SOL",
                    "150",
                    rules("SOL", "SOL_USDC_PERP", "0.01", "0.01", "0.01", "0"),
                    rules("SOL", "SOL/USDT-P", "0.01", "0.1", "0.1", "10"))));

    private final List<Asset> assets;
    private final Map<String, Asset> byAsset = new LinkedHashMap<>();
    private final Map<Venue, Map<String, Asset>> bySymbol = new EnumMap<>(Venue.class);

    SimCatalog(List<Asset> assets) {
        this.assets = List.copyOf(assets);
        for (Venue v : Venue.values()) {
            bySymbol.put(v, new LinkedHashMap<>());
        }
        for (Asset a : this.assets) {
            if (byAsset.put(a.asset(), a) != null) {
                throw new IllegalArgumentException("asset listed twice: " + a.asset());
            }
            for (Venue v : Venue.values()) {
                String symbol = a.rules(v).symbol();
                if (bySymbol.get(v).put(symbol, a) != null) {
                    throw new IllegalArgumentException("symbol listed twice: " + symbol);
                }
            }
        }
    }

    List<Asset> assets() {
        return assets;
    }

    Optional<Asset> asset(String asset) {
        return Optional.ofNullable(byAsset.get(asset));
    }

    Optional<Asset> bySymbol(Venue venue, String symbol) {
        return Optional.ofNullable(bySymbol.get(venue).get(symbol));
    }

    /** One venue's markets keyed by asset, in catalog order. */
    Map<String, MarketRules> markets(Venue venue) {
        Map<String, MarketRules> out = new LinkedHashMap<>();
        for (Asset a : assets) {
            out.put(a.asset(), a.rules(venue));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Asset asset(String asset, String startPrice, MarketRules backpack, MarketRules hibachi) {
        Map<Venue, MarketRules> rules = new EnumMap<>(Venue.class);
        rules.put(Venue.BACKPACK, backpack);
        rules.put(Venue.HIBACHI, hibachi);
        return new Asset(asset, new BigDecimal(startPrice), rules);
    }

    private static MarketRules rules(
            String asset, String symbol, String tick, String step, String minQty, String minNotional) {
        return new MarketRules(
                asset,
                symbol,
                new BigDecimal(tick),
                new BigDecimal(step),
                new BigDecimal(minQty),
                new BigDecimal(minNotional),
                true);
    }

    /**
     * One simulated asset.
     *
     * @param startPrice the mid when a state file first sees the asset
     * @param rules      one entry per {@link Venue}
     */
    record Asset(String asset, BigDecimal startPrice, Map<Venue, MarketRules> rules) {
        Asset {
            if (startPrice.signum() <= 0) {
                throw new IllegalArgumentException("startPrice <= 0: " + startPrice);
            }
            rules = Collections.unmodifiableMap(new EnumMap<>(rules));
            for (Venue v : Venue.values()) {
                MarketRules r = rules.get(v);
                if (r == null || !r.asset().equals(asset)) {
                    throw new IllegalArgumentException("no " + v + " rules for " + asset);
                }
            }
        }

        MarketRules rules(Venue venue) {
            return rules.get(venue);
        }

        /** The finest tick of all venues: the mid is kept on it. */
        BigDecimal midTick() {
            return rules.values().stream()
                    .map(MarketRules::tickSize)
                    .min(BigDecimal::compareTo)
                    .orElseThrow();
        }
    }
}
