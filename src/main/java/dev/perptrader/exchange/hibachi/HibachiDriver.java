package dev.perptrader.exchange.hibachi;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.VenueDriver;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hibachi's registration: HMAC (exchange-managed) or ECDSA (trustless) signing, funding every 8
 * hours, symbols like BTC/USDT-P, a trading and a market-data host.
 */
public final class HibachiDriver implements VenueDriver {
    private static final Map<String, MarketRules> SIM = Map.of(
            "BTC", VenueDriver.simRules("BTC", "BTC/USDT-P", "1", "0.0001", "0.0001", "10"),
            "ETH", VenueDriver.simRules("ETH", "ETH/USDT-P", "0.1", "0.001", "0.001", "10"),
            "SOL", VenueDriver.simRules("SOL", "SOL/USDT-P", "0.01", "0.1", "0.1", "10"));

    @Override
    public String name() {
        return "hibachi";
    }

    @Override
    public String tag() {
        return "hb";
    }

    @Override
    public List<Venue.Key> keys() {
        return List.of(
                Venue.Key.of("api_key", Venue.Kind.SECRET),
                Venue.Key.of("api_secret", Venue.Kind.SECRET),
                Venue.Key.of("private_key", Venue.Kind.SECRET),
                Venue.Key.of("account_id", Venue.Kind.DIGITS),
                Venue.Key.of("api_url", Venue.Kind.URL),
                Venue.Key.of("data_url", Venue.Kind.URL));
    }

    @Override
    public PerpExchange live(AppConfig.ExchangeCredentials settings, Clock clock) {
        return HibachiExchange.live(settings, clock);
    }

    @Override
    public PerpExchange publicOnly(AppConfig.ExchangeCredentials settings, Clock clock) {
        return HibachiExchange.publicOnly(settings.text("data_url"), clock);
    }

    /** Hibachi's {@code orderFlags} takes one value: POST_ONLY or REDUCE_ONLY, never both. */
    @Override
    public boolean postOnlyReduceOnly() {
        return false;
    }

    @Override
    public Optional<MarketRules> simMarket(String asset) {
        return Optional.ofNullable(SIM.get(asset));
    }
}
