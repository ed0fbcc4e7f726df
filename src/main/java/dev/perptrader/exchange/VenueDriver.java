package dev.perptrader.exchange;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;

/**
 * Everything the rest of the program needs from one venue's package: how to build its client
 * from the configuration, live or public-only, and how the simulator lists its markets. Each
 * venue's package has one implementation, registered with one line in
 * {@code META-INF/services/dev.perptrader.domain.Venue$Registration}; nothing else in the code
 * names the venue.
 */
public interface VenueDriver extends Venue.Registration {

    /** A signed client from {@code exchanges.<name>.*} (live mode, {@code check --mode live}). */
    PerpExchange live(AppConfig.ExchangeCredentials settings, Clock clock);

    /** A client without keys, on the venue's public market data (paper mode, {@code record}). */
    PerpExchange publicOnly(AppConfig.ExchangeCredentials settings, Clock clock);

    /**
     * The venue's rules for a simulated {@code asset} (sim mode and {@code simulate}), in the
     * venue's own symbol and increments; empty when the venue does not list it.
     */
    Optional<MarketRules> simMarket(String asset);

    /**
     * Whether one order can be both post-only and reduce-only there ({@link
     * PerpExchange#postOnlyReduceOnly}): the sim venue named after it answers the same.
     */
    boolean postOnlyReduceOnly();

    /** The driver that registered {@code venue}. */
    static VenueDriver of(Venue venue) {
        if (venue.registration() instanceof VenueDriver d) {
            return d;
        }
        throw new IllegalStateException(
                "venue " + venue.configName() + " is registered without a driver: " + venue.registration());
    }

    /** Shorthand for a simulated market's rules, always open. */
    static MarketRules simRules(
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
}
