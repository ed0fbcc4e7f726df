package dev.perptrader.exchange.backpack;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.VenueDriver;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Backpack's registration: ED25519-signed REST, hourly funding, symbols like BTC_USDC_PERP. */
public final class BackpackDriver implements VenueDriver {
    private static final Map<String, MarketRules> SIM = Map.of(
            "BTC", VenueDriver.simRules("BTC", "BTC_USDC_PERP", "0.1", "0.00001", "0.00001", "0"),
            "ETH", VenueDriver.simRules("ETH", "ETH_USDC_PERP", "0.01", "0.0001", "0.0001", "0"),
            "SOL", VenueDriver.simRules("SOL", "SOL_USDC_PERP", "0.01", "0.01", "0.01", "0"));

    @Override
    public String name() {
        return "backpack";
    }

    @Override
    public String tag() {
        return "bp";
    }

    @Override
    public List<Venue.Key> keys() {
        return List.of(
                Venue.Key.of("api_key", Venue.Kind.SECRET),
                Venue.Key.of("api_secret", Venue.Kind.SECRET),
                Venue.Key.of("base_url", Venue.Kind.URL));
    }

    @Override
    public PerpExchange live(AppConfig.ExchangeCredentials settings, Clock clock) {
        return BackpackExchange.live(settings, clock);
    }

    @Override
    public PerpExchange publicOnly(AppConfig.ExchangeCredentials settings, Clock clock) {
        return BackpackExchange.publicOnly(settings.text("base_url"), clock);
    }

    /** Backpack takes {@code postOnly} and {@code reduceOnly} on one order. */
    @Override
    public boolean postOnlyReduceOnly() {
        return true;
    }

    @Override
    public Optional<MarketRules> simMarket(String asset) {
        return Optional.ofNullable(SIM.get(asset));
    }
}
