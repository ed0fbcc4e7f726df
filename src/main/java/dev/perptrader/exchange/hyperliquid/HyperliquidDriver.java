package dev.perptrader.exchange.hyperliquid;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigError;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.exchange.VenueDriver;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hyperliquid's registration: L1-signed actions (an API wallet's key or the account's own),
 * hourly funding, coin names as symbols ("BTC"), mainnet or testnet.
 */
public final class HyperliquidDriver implements VenueDriver {
    private static final Logger LOG = LoggerFactory.getLogger(HyperliquidDriver.class);
    static final String NAME = "hyperliquid";

    private static final Map<String, MarketRules> SIM = Map.of(
            "BTC", VenueDriver.simRules("BTC", "BTC", "1", "0.00001", "0.00001", "10"),
            "ETH", VenueDriver.simRules("ETH", "ETH", "0.1", "0.0001", "0.0001", "10"),
            "SOL", VenueDriver.simRules("SOL", "SOL", "0.01", "0.01", "0.01", "10"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String tag() {
        return "hl";
    }

    @Override
    public List<Venue.Key> keys() {
        return List.of(
                Venue.Key.of("base_url", Venue.Kind.URL),
                Venue.Key.choice("network", "mainnet", "testnet"),
                Venue.Key.of("account_address", Venue.Kind.ADDRESS),
                Venue.Key.of("private_key", Venue.Kind.SECRET));
    }

    /** A signed client; the keys are checked first (a one-line {@link ConfigError} naming the key). */
    @Override
    public PerpExchange live(AppConfig.ExchangeCredentials settings, Clock clock) {
        HyperliquidCredentials keys =
                HyperliquidCredentials.of(settings.text("account_address"), settings.secret("private_key"));
        HyperliquidExchange client = client(settings, keys, clock);
        LOG.info("hyperliquid {}: {}", client.network().name().toLowerCase(Locale.ROOT), keys.describe());
        return client;
    }

    @Override
    public PerpExchange publicOnly(AppConfig.ExchangeCredentials settings, Clock clock) {
        return HyperliquidExchange.publicOnly(Venue.parse(NAME), settings.text("base_url"), clock);
    }

    private static HyperliquidExchange client(
            AppConfig.ExchangeCredentials settings, HyperliquidCredentials keys, Clock clock) {
        String baseUrl = settings.text("base_url");
        HyperliquidExchange.Settings tuning =
                HyperliquidExchange.Settings.DEFAULT.withLateExecution(settings.lateExecution());
        return new HyperliquidExchange(
                Venue.parse(NAME),
                tuning.http().newClient(),
                baseUrl,
                network(settings.text("network"), baseUrl),
                Optional.of(keys),
                clock,
                Sleeper.SYSTEM,
                tuning);
    }

    /**
     * {@code exchanges.hyperliquid.network}, or, when empty, what the base URL names (testnet when
     * its host says so, as the SDKs decide). It changes every signature.
     */
    static HyperliquidNetwork network(String configured, String baseUrl) {
        if (configured == null || configured.isBlank()) {
            return HyperliquidNetwork.ofBaseUrl(baseUrl);
        }
        return HyperliquidNetwork.valueOf(configured.strip().toUpperCase(Locale.ROOT));
    }

    /**
     * An order's reduce-only flag ({@code r}) and its time in force ({@code Alo}) are separate
     * fields of the order wire (api doc §3), and the venue refuses a reduce-only order only when
     * it would increase the position: a post-only exit can rest here.
     */
    @Override
    public boolean postOnlyReduceOnly() {
        return true;
    }

    @Override
    public Optional<MarketRules> simMarket(String asset) {
        return Optional.ofNullable(SIM.get(asset));
    }
}
