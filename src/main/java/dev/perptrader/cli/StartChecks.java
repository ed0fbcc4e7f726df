package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.PerpExchange;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} checks against the venues once they are built, before the loop starts:
 * every configured market is listed on at least one venue (else exit 2 naming it; a market on
 * only one venue is one WARN and is never picked), and each venue's free collateral can fund
 * the smallest configured margin (else one WARN saying that no pair opens until it can). A
 * venue that cannot be read yet is one WARN naming it and the retry interval; the checks are
 * then made on the first read where every venue answers ({@link #retry}).
 */
final class StartChecks {
    private static final Logger LOG = LoggerFactory.getLogger(StartChecks.class);

    private StartChecks() {}

    /**
     * The checks at start. Returns false when a venue could not be read: then
     * {@link #retry} should be called until it returns true.
     */
    static boolean run(AppConfig cfg, Map<Venue, PerpExchange> venues) {
        Map<Venue, Map<String, MarketRules>> listed = read(cfg, venues, true);
        markets(cfg, listed);
        return listed.size() == cfg.trading().venues().size();
    }

    /**
     * The same checks once every venue answers (paper mode started without network): true when
     * done. A market neither venue lists is then an ERROR (the run goes on; it is never picked).
     */
    static boolean retry(AppConfig cfg, Map<Venue, PerpExchange> venues) {
        Map<Venue, Map<String, MarketRules>> listed = read(cfg, venues, false);
        if (listed.size() < cfg.trading().venues().size()) {
            return false;
        }
        LOG.info("every venue answered: checking trading.markets and collateral now");
        for (Venue v : cfg.trading().venues()) {
            try {
                fundable(cfg, v, venues.get(v));
            } catch (ExchangeException e) {
                LOG.warn("{}: cannot read the account to check collateral: {}", v.configName(), e.getMessage());
            }
        }
        try {
            markets(cfg, listed);
        } catch (UsageError e) {
            LOG.error("{}; until then it is never picked", e.getMessage());
        }
        return true;
    }

    private static Map<Venue, Map<String, MarketRules>> read(
            AppConfig cfg, Map<Venue, PerpExchange> venues, boolean atStart) {
        Map<Venue, Map<String, MarketRules>> listed = new TreeMap<>();
        for (Venue v : cfg.trading().venues()) {
            PerpExchange ex = venues.get(v);
            try {
                listed.put(v, ex.markets());
                if (atStart) {
                    fundable(cfg, v, ex);
                }
            } catch (ExchangeException e) {
                if (atStart) {
                    LOG.warn(
                            "{} is unreachable ({}): cannot check trading.markets or collateral yet; the bot "
                                    + "keeps running, retries every {} s and checks on its first successful read",
                            v.configName(),
                            e.getMessage(),
                            retrySeconds(cfg));
                }
            }
        }
        return listed;
    }

    /** How often the loop (and the pending check) tries the venues again. */
    static long retrySeconds(AppConfig cfg) {
        return Math.max(1, cfg.monitor().interval().toSeconds());
    }

    /** Exit 2 for a market no answering venue lists, when every venue answered; a WARN for one venue only. */
    static void markets(AppConfig cfg, Map<Venue, Map<String, MarketRules>> listed) {
        List<Venue> configured = cfg.trading().venues();
        for (String market : cfg.trading().markets()) {
            List<String> on = new ArrayList<>();
            for (Venue v : configured) {
                Map<String, MarketRules> m = listed.get(v);
                if (m != null && m.containsKey(market)) {
                    on.add(v.configName());
                }
            }
            if (on.isEmpty() && listed.size() == configured.size()) {
                throw new UsageError("trading.markets: " + market + " is listed on neither "
                        + configured.get(0).configName() + " nor "
                        + configured.get(1).configName()
                        + " (" + cfg.mode().configName() + " mode): remove it or name a market both list");
            }
            if (on.size() == 1 && listed.size() == configured.size()) {
                LOG.warn(
                        "trading.markets: {} is listed only on {}: it is skipped (a pair needs both venues)",
                        market,
                        on.get(0));
            }
        }
    }

    private static void fundable(AppConfig cfg, Venue v, PerpExchange ex) {
        AppConfig.Trading t = cfg.trading();
        BigDecimal needed = t.minMarginUsd().multiply(BigDecimal.ONE.add(t.collateralBuffer()));
        BigDecimal free = ex.account().freeCollateral();
        if (free.compareTo(needed) < 0) {
            LOG.warn(
                    "{} has {} USD free collateral but the smallest margin (trading.min_margin_usd {} plus "
                            + "trading.collateral_buffer) needs {} USD: no pair opens until collateral is added; "
                            + "each attempt is skipped with an INSUFFICIENT_COLLATERAL alert",
                    v.configName(),
                    Money.usd(free),
                    t.minMarginUsd().toPlainString(),
                    Money.usd(needed));
        }
    }
}
