package dev.perptrader.exchange.sim;

import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay mode's {@link MarketFeed}: the marks, funding rates and funding intervals of a
 * {@link PriceReplay}, as they were at the world's clock, exactly as recorded (no tick rounding,
 * no basis, no noise). A venue lists the assets it has lines for, with the {@link SimCatalog}'s
 * tick, step and minimums under the recorded symbol; assets the catalog does not know are left
 * out. A market is open from its first line on; before that it is closed and has no mark.
 * Nothing random: the same file and clock readings give the same market. Not thread-safe:
 * {@link SimWorld} guards it.
 */
final class ReplayFeed extends FeedTime {
    private static final Logger log = LoggerFactory.getLogger(ReplayFeed.class);

    private final PriceReplay prices;
    /** Per venue, by asset: the rules while the market has data, and before. */
    private final Map<Venue, Map<String, MarketRules>> open = new TreeMap<>();

    private final Map<Venue, Map<String, MarketRules>> closed = new TreeMap<>();
    private final Map<Venue, Map<String, String>> assetBySymbol = new TreeMap<>();

    ReplayFeed(PriceReplay prices, SimCatalog catalog) {
        this.prices = prices;
        List<String> unknown = new ArrayList<>();
        for (Venue v : Venue.values()) {
            Map<String, MarketRules> openRules = new LinkedHashMap<>();
            Map<String, MarketRules> closedRules = new LinkedHashMap<>();
            Map<String, String> bySymbol = new LinkedHashMap<>();
            for (String asset : prices.assets(v)) {
                Optional<SimCatalog.Asset> known = catalog.asset(asset);
                if (known.isEmpty()) {
                    unknown.add(v.configName() + " " + asset);
                    continue;
                }
                MarketRules r = known.get().rules(v);
                String symbol = prices.symbol(v, asset).orElseThrow();
                openRules.put(
                        asset,
                        new MarketRules(asset, symbol, r.tickSize(), r.stepSize(), r.minQty(), r.minNotional(), true));
                closedRules.put(
                        asset,
                        new MarketRules(asset, symbol, r.tickSize(), r.stepSize(), r.minQty(), r.minNotional(), false));
                bySymbol.put(symbol, asset);
            }
            open.put(v, Collections.unmodifiableMap(openRules));
            closed.put(v, closedRules);
            assetBySymbol.put(v, bySymbol);
        }
        if (!unknown.isEmpty()) {
            log.warn(
                    "replay: no simulated market rules for {}: their lines are not replayed (known assets: {})",
                    unknown,
                    catalog.assets().stream().map(SimCatalog.Asset::asset).toList());
        }
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public Map<String, MarketRules> markets(Venue venue) {
        Map<String, MarketRules> out = new LinkedHashMap<>();
        open.get(venue).keySet().forEach(asset -> out.put(asset, rulesOf(venue, asset)));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public Optional<MarketRules> rules(Venue venue, String symbol) {
        return Optional.ofNullable(assetBySymbol.get(venue).get(symbol)).map(asset -> rulesOf(venue, asset));
    }

    @Override
    public BigDecimal mark(Venue venue, String asset) {
        return row(venue, asset).markPrice();
    }

    /** The recorded interval (the venue's own), not the sim.* keys. */
    @Override
    public Duration fundingInterval(Venue venue, String symbol) {
        String asset = assetBySymbol.get(venue).get(symbol);
        if (asset == null) {
            throw new ExchangeException(venue, ExchangeError.REJECTED, "no recorded market " + symbol);
        }
        return row(venue, asset).fundingInterval();
    }

    @Override
    public BigDecimal fundingRate(Venue venue, String asset) {
        return row(venue, asset).fundingRate();
    }

    private MarketRules rulesOf(Venue venue, String asset) {
        boolean started = !prices.start(venue, asset).orElseThrow().isAfter(lastUpdate());
        return (started ? open : closed).get(venue).get(asset);
    }

    private PriceRow row(Venue venue, String asset) {
        if (!open.get(venue).containsKey(asset)) {
            throw new ExchangeException(venue, ExchangeError.VENUE_DOWN, "no recorded prices of " + asset);
        }
        return prices.at(venue, asset, lastUpdate())
                .orElseThrow(() -> new ExchangeException(
                        venue,
                        ExchangeError.VENUE_DOWN,
                        "no recorded price of " + asset + " at " + lastUpdate() + ": its lines begin at "
                                + prices.start(venue, asset).orElseThrow()));
    }
}
