package dev.perptrader.exchange.sim;

import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.VenueDriver;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simulated assets: starting price and each venue's market rules (from the venue's driver).
 * To add an asset, add a row to {@link #DEFAULT} and its rules to every driver; a state file
 * created earlier picks it up at its next open.
 */
final class SimCatalog {

    static final SimCatalog DEFAULT =
            new SimCatalog(List.of(asset("BTC", "60000"), asset("ETH", "3000"), asset("SOL", "150")));

    private final List<Asset> assets;
    private final Map<String, Asset> byAsset = new LinkedHashMap<>();
    private final Map<Venue, Map<String, Asset>> bySymbol = new TreeMap<>();

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

    /** {@code asset} on every registered venue, with the rules its driver gives it ({@link VenueDriver#simMarket}). */
    private static Asset asset(String asset, String startPrice) {
        Map<Venue, MarketRules> rules = new TreeMap<>();
        for (Venue v : Venue.values()) {
            rules.put(
                    v,
                    VenueDriver.of(v)
                            .simMarket(asset)
                            .orElseThrow(() -> new IllegalStateException(
                                    "venue " + v.configName() + " lists no sim market for " + asset)));
        }
        return new Asset(asset, new BigDecimal(startPrice), rules);
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
            rules = Collections.unmodifiableMap(new TreeMap<>(rules));
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
