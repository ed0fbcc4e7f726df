package dev.perptrader.bench;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The configuration a bench run trades with: live mode against the local venues, built from the
 * built-in defaults only (no config file, {@code .env} or environment variable of the user's is
 * read), with the database in the run's temporary folder, every local market tradable, the
 * Hibachi account's HMAC secret or ECDSA private key as the local venue expects, no
 * cooldown, a monitor tick every second, no daily loss limit and no pause after rollbacks (the
 * bench causes them on purpose), then {@code trading.max_open_pairs} lifted past its usual 20.
 */
final class BenchConfig {
    /** Seconds between monitor ticks. */
    static final String MONITOR_INTERVAL_SECONDS = "1";

    private BenchConfig() {}

    static AppConfig build(Path dir, LocalVenues venues, int maxOpenPairs) {
        BenchKeys keys = venues.keys();
        Map<String, String> o = new HashMap<>();
        o.put("mode", "live");
        o.put("database.url", dir.resolve("perp_trader.db").toString());
        o.put("trading.markets", String.join(",", venues.markets().assets()));
        o.put("trading.min_cooldown_seconds", "0");
        o.put("trading.max_cooldown_seconds", "0");
        o.put("trading.kill_switch_file", dir.resolve("STOP").toString());
        o.put("monitor.interval_seconds", MONITOR_INTERVAL_SECONDS);
        o.put("monitor.summary_minutes", "0");
        o.put("risk.daily_loss_limit_usd", "0");
        o.put("risk.max_consecutive_failed_opens", "100");
        o.put("exchanges.backpack.api_key", keys.backpackKey());
        o.put("exchanges.backpack.api_secret", keys.backpackSecret());
        o.put("exchanges.backpack.base_url", venues.url(BackpackExchange.VENUE));
        o.put("exchanges.hibachi.api_key", keys.hibachiKey());
        switch (venues.hibachiSigning()) {
            case HMAC -> o.put("exchanges.hibachi.api_secret", keys.hibachiSecret());
            case ECDSA -> o.put("exchanges.hibachi.private_key", keys.hibachiPrivateKey());
        }
        o.put("exchanges.hibachi.account_id", Long.toString(keys.hibachiAccount()));
        o.put("exchanges.hibachi.api_url", venues.url(HibachiExchange.VENUE));
        o.put("exchanges.hibachi.data_url", venues.url(HibachiExchange.VENUE));
        AppConfig c = ConfigLoader.load(null, false, dir, Map.of(), o);
        AppConfig.Trading t = c.trading();
        AppConfig.Trading lifted = new AppConfig.Trading(
                t.venues(),
                t.direction(),
                t.markets(),
                t.minLeverage(),
                t.maxLeverage(),
                t.minDurationHours(),
                t.maxDurationHours(),
                t.minMarginUsd(),
                t.maxMarginUsd(),
                t.collateralBuffer(),
                t.minCollateralRatio(),
                t.maxPnlDivergence(),
                maxOpenPairs,
                t.maxPairsPerAsset(),
                t.minCooldown(),
                t.maxCooldown(),
                t.killSwitchFile(),
                t.closeOnShutdown(),
                t.orders());
        return new AppConfig(
                c.mode(),
                c.database(),
                lifted,
                c.monitor(),
                c.closer(),
                c.alerts(),
                c.http(),
                c.points(),
                c.risk(),
                c.reconcile(),
                c.sim(),
                c.paper(),
                c.exchanges());
    }
}
