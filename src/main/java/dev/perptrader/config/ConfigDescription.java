package dev.perptrader.config;

import dev.perptrader.domain.PointsModel;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders an {@link AppConfig} as {@code key = value} lines with secrets masked. */
final class ConfigDescription {

    private final StringBuilder out = new StringBuilder();

    private ConfigDescription() {}

    static String of(AppConfig c) {
        ConfigDescription d = new ConfigDescription();
        d.describe(c);
        return d.out.toString();
    }

    private void describe(AppConfig c) {
        line("mode", c.mode().configName());
        line(
                "database.url",
                (c.database().isModeDefault()
                                ? "\"\"  (the " + c.mode().configName() + " mode's file "
                                : c.database().url() + "  (file ")
                        + c.database().path() + ")");

        AppConfig.Trading t = c.trading();
        line("trading.venues", list(t.venues().stream().map(Venue::configName).collect(Collectors.toList())));
        line("trading.direction", t.direction().name().toLowerCase(Locale.ROOT));
        line("trading.markets", list(t.markets()));
        line("trading.min_leverage", t.minLeverage());
        line("trading.max_leverage", t.maxLeverage());
        line("trading.min_duration_hours", t.minDurationHours());
        line("trading.max_duration_hours", t.maxDurationHours());
        line("trading.min_margin_usd", t.minMarginUsd());
        line("trading.max_margin_usd", t.maxMarginUsd());
        line("trading.collateral_buffer", t.collateralBuffer());
        line("trading.min_collateral_ratio", t.minCollateralRatio());
        line("trading.max_pnl_divergence", t.maxPnlDivergence());
        line("trading.max_open_pairs", String.valueOf(t.maxOpenPairs()));
        line("trading.max_pairs_per_asset", String.valueOf(t.maxPairsPerAsset()));
        line("trading.min_cooldown_seconds", in(t.minCooldown(), ConfigBinder.SECOND_MILLIS));
        line("trading.max_cooldown_seconds", in(t.maxCooldown(), ConfigBinder.SECOND_MILLIS));
        line("trading.kill_switch_file", t.killSwitchFile().toString());
        line("trading.close_on_shutdown", String.valueOf(t.closeOnShutdown()));
        line("trading.entry", t.orders().entry().name().toLowerCase(Locale.ROOT));
        line("trading.exit", t.orders().exit().name().toLowerCase(Locale.ROOT));
        line(
                "trading.maker_venue",
                t.orders().makerVenue().map(Venue::configName).orElse("\"\"  (the larger fee saving)"));
        line("trading.maker_requote_ticks", String.valueOf(t.orders().requoteTicks()));
        line(
                "trading.maker_timeout_seconds",
                String.valueOf(t.orders().timeout().toSeconds()));
        line("trading.maker_poll_ms", String.valueOf(t.orders().poll().toMillis()));

        line("monitor.interval_seconds", in(c.monitor().interval(), ConfigBinder.SECOND_MILLIS));
        line("monitor.critical_collateral_ratio", c.monitor().criticalCollateralRatio());
        line("monitor.keep_marks_days", String.valueOf(c.monitor().keepMarks().toDays()));
        line("monitor.summary_minutes", in(c.monitor().summaryEvery(), ConfigBinder.MINUTE_MILLIS));

        line("closer.retry_base_seconds", in(c.closer().retryBase(), ConfigBinder.SECOND_MILLIS));
        line("closer.retry_max_seconds", in(c.closer().retryMax(), ConfigBinder.SECOND_MILLIS));
        line("closer.stuck_alert_minutes", in(c.closer().stuckAlertAfter(), ConfigBinder.MINUTE_MILLIS));

        line("alerts.repeat_minutes", in(c.alerts().repeatEvery(), ConfigBinder.MINUTE_MILLIS));
        line("alerts.unhealthy_after_minutes", in(c.alerts().unhealthyAfter(), ConfigBinder.MINUTE_MILLIS));
        AppConfig.Webhook w = c.alerts().webhook();
        line("alerts.webhook.url", w.url().masked());
        line("alerts.webhook.format", w.format().name().toLowerCase(Locale.ROOT));
        line("alerts.webhook.min_level", w.minLevel().name());
        line("alerts.webhook.throttle_seconds", in(w.throttle(), ConfigBinder.SECOND_MILLIS));
        AppConfig.Telegram tg = c.alerts().telegram();
        line("alerts.telegram.bot_token", tg.botToken().masked());
        line("alerts.telegram.chat_id", tg.enabled() ? String.valueOf(tg.chatId()) : "(not set)");
        line(
                "alerts.telegram.allowed_chat_ids",
                list(tg.allowedChatIds().stream().map(String::valueOf).toList()));
        line("alerts.telegram.min_level", tg.minLevel().name());
        line("alerts.telegram.throttle_seconds", in(tg.throttle(), ConfigBinder.SECOND_MILLIS));
        line("alerts.telegram.api_url", tg.apiUrl());
        line("http.enabled", String.valueOf(c.http().enabled()));
        line("http.bind", c.http().bind());
        line("http.port", String.valueOf(c.http().port()));
        line("http.health_file", c.http().healthFile().map(Path::toString).orElse("\"\"  (none)"));
        line("points.per_1000_usd_volume", c.points().per1000UsdVolume());
        line("points.per_1000_usd_oi_hour", c.points().per1000UsdOiHour());
        for (Venue venue : Venue.values()) {
            // what the venue earns at: its own value, or the points.* one it falls back to
            PointsModel.Rates rates = c.points().model().rates(venue);
            String p = "points.venues." + venue.configName() + ".";
            line(p + "per_1000_usd_volume", rates.per1000UsdVolume());
            line(p + "per_1000_usd_oi_hour", rates.per1000UsdOiHour());
        }

        line("risk.daily_loss_limit_usd", c.risk().dailyLossLimitUsd());
        line("risk.max_notional_usd", c.risk().maxNotionalUsd());
        line("risk.max_entry_basis", c.risk().maxEntryBasis());
        line("risk.max_mark_jump", c.risk().maxMarkJump());
        line("risk.max_consecutive_failed_opens", String.valueOf(c.risk().maxConsecutiveFailedOpens()));
        line(
                "risk.open_deadline_seconds",
                String.valueOf(c.risk().openDeadline().toSeconds()));
        line("reconcile.close_orphans", String.valueOf(c.reconcile().closeOrphans()));
        line("reconcile.confirm_reads", String.valueOf(c.reconcile().confirmReads()));
        line("reconcile.confirm_seconds", in(c.reconcile().confirmWindow(), ConfigBinder.SECOND_MILLIS));

        AppConfig.Sim s = c.sim();
        line("sim.seed", String.valueOf(s.seed()));
        line("sim.state_file", s.stateFile().toString());
        line("sim.starting_balance_usd", s.startingBalanceUsd());
        model("sim.", s.defaults());
        line("sim.volatility_annual", s.volatilityAnnual());
        line("sim.order_latency_ms", String.valueOf(s.orderLatency().toMillis()));
        for (Venue venue : Venue.values()) {
            // what the venue uses: its own value, or the sim.* one it falls back to
            model("sim.venues." + venue.configName() + ".", s.venue(venue));
        }
        line("paper.state_file", c.paper().stateFile().toString());

        c.exchanges().values().stream()
                .findFirst()
                .ifPresent(x ->
                        line("exchanges.clock_check_minutes", in(x.clockCheckEvery(), ConfigBinder.MINUTE_MILLIS)));
        for (Venue venue : Venue.values()) {
            AppConfig.ExchangeCredentials x = c.exchanges().get(venue);
            String p = "exchanges." + venue.configName() + ".";
            if (x == null) {
                line(p.substring(0, p.length() - 1), "(not configured)");
                continue;
            }
            for (Venue.Key k : venue.registration().keys()) {
                String value = switch (k.kind()) {
                    case SECRET -> x.secret(k.name()).masked();
                    case DIGITS, ADDRESS -> x.text(k.name()).isEmpty() ? "(not set)" : x.text(k.name());
                    case URL, TEXT -> x.text(k.name());
                };
                line(p + k.name(), value);
            }
            line(p + "late_execution_seconds", in(x.lateExecution(), ConfigBinder.SECOND_MILLIS));
        }
    }

    private void model(String p, AppConfig.VenueModel m) {
        line(p + "maker_fee_rate", m.makerFeeRate());
        line(p + "taker_fee_rate", m.takerFeeRate());
        line(p + "spread_bps", m.spreadBps());
        line(p + "slippage_bps", m.slippageBps());
        line(p + "impact_bps_per_100k_usd", m.impactBpsPer100kUsd());
        line(p + "basis_bps", m.basisBps());
        line(p + "basis_noise_bps", m.basisNoiseBps());
        line(p + "funding_interval_hours", in(m.fundingInterval(), ConfigBinder.HOUR_MILLIS));
        line(p + "max_funding_rate", m.maxFundingRate());
        line(p + "maintenance_margin_rate", m.maintenanceMarginRate());
        line(p + "liquidation_fee_rate", m.liquidationFeeRate());
    }

    private void line(String key, BigDecimal value) {
        line(key, value.toPlainString());
    }

    private void line(String key, String value) {
        out.append(key).append(" = ").append(value).append('\n');
    }

    private static String list(List<String> items) {
        return "[" + String.join(", ", items) + "]";
    }

    /** The duration in the key's unit, e.g. 7200000 ms in hours is "2". */
    private static String in(Duration d, long unitMillis) {
        return BigDecimal.valueOf(d.toMillis())
                .divide(BigDecimal.valueOf(unitMillis), 9, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
