package dev.perptrader.config;

import dev.perptrader.domain.Mode;
import dev.perptrader.domain.PointsModel;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The whole validated configuration. Built only by {@link ConfigLoader}, which checks every
 * rule; the records just carry values. Key names in comments are the HOCON paths.
 */
public record AppConfig(
        Mode mode,
        Database database,
        Trading trading,
        Monitor monitor,
        Closer closer,
        Alerts alerts,
        Http http,
        Points points,
        Risk risk,
        Reconcile reconcile,
        Sim sim,
        Paper paper,
        Map<Venue, ExchangeCredentials> exchanges) {

    public AppConfig {
        exchanges = Map.copyOf(exchanges);
    }

    /**
     * This configuration as {@code simulate} runs it: mode SIMULATE (what its database records),
     * its pairs in {@code database}, the sim venues' state in {@code simState}.
     */
    public AppConfig forSimulation(Path database, Path simState) {
        return new AppConfig(
                Mode.SIMULATE,
                new Database("sqlite://" + database, database),
                trading,
                monitor,
                closer,
                alerts,
                http,
                points,
                risk,
                reconcile,
                sim.withStateFile(simState),
                paper,
                exchanges);
    }

    /**
     * database.url: "sqlite://perp_trader.db", "jdbc:sqlite:x.db" or a plain path; empty means
     * the mode's own file in the working directory ({@link #defaultFile}), which is then
     * {@code path}.
     */
    public record Database(String url, Path path) {
        /** The file each mode uses when database.url is empty; never a sim/paper venue state file. */
        public static String defaultFile(Mode mode) {
            return switch (mode) {
                case LIVE -> "perp_trader.db";
                case SIM -> "perp_trader_book_sim.db";
                case PAPER -> "perp_trader_book_paper.db";
                case SIMULATE -> "perp_trader_simulate.db";
            };
        }

        /** True when database.url is empty: the file is the mode's default. */
        public boolean isModeDefault() {
            return url.isEmpty();
        }
    }

    /**
     * trading.*: venues (first = long when direction is fixed), direction, markets (base
     * assets), leverage and duration ranges, margin per leg in USD, collateral buffer (free
     * collateral must cover margin × (1 + buffer)), alert thresholds, concurrency (pairs in all,
     * pairs per asset) and cooldown, kill-switch file, close_on_shutdown.
     */
    public record Trading(
            List<Venue> venues,
            Direction direction,
            List<String> markets,
            BigDecimal minLeverage,
            BigDecimal maxLeverage,
            BigDecimal minDurationHours,
            BigDecimal maxDurationHours,
            BigDecimal minMarginUsd,
            BigDecimal maxMarginUsd,
            BigDecimal collateralBuffer,
            BigDecimal minCollateralRatio,
            BigDecimal maxPnlDivergence,
            int maxOpenPairs,
            int maxPairsPerAsset,
            Duration minCooldown,
            Duration maxCooldown,
            Path killSwitchFile,
            boolean closeOnShutdown,
            Orders orders) {
        public Trading {
            venues = List.copyOf(venues);
            markets = List.copyOf(markets);
        }
    }

    /**
     * trading.entry, trading.exit and the maker-first settings: trading.maker_venue (empty: the
     * venue whose account saves more by resting, read at start), trading.maker_requote_ticks,
     * trading.maker_timeout_seconds, trading.maker_poll_ms.
     */
    public record Orders(
            OrderStyle entry,
            OrderStyle exit,
            Optional<Venue> makerVenue,
            int requoteTicks,
            Duration timeout,
            Duration poll) {}

    /** trading.entry / trading.exit: how a pair is opened or closed. */
    public enum OrderStyle {
        /** Both legs with market orders at once. */
        TAKER,
        /** A post-only order rests on the maker venue; each fill is hedged with a taker order. */
        MAKER_FIRST
    }

    /** trading.direction: which venue takes the LONG. */
    public enum Direction {
        FIXED,
        RANDOM,
        FUNDING
    }

    /**
     * monitor.interval_seconds, monitor.critical_collateral_ratio (protective close below it),
     * monitor.keep_marks_days (marks older than this are thinned to one per pair per hour),
     * monitor.summary_minutes (one progress line this often; zero = none).
     */
    public record Monitor(
            Duration interval, BigDecimal criticalCollateralRatio, Duration keepMarks, Duration summaryEvery) {}

    /** closer.retry_base_seconds, closer.retry_max_seconds, closer.stuck_alert_minutes. */
    public record Closer(Duration retryBase, Duration retryMax, Duration stuckAlertAfter) {}

    /**
     * alerts.repeat_minutes: the same alert for the same pair and venue at most this often.
     * alerts.unhealthy_after_minutes: a venue unreachable this long makes the bot unhealthy, and
     * UNHEALTHY is raised once the bot has been unhealthy this long. alerts.webhook.* and
     * alerts.telegram.*: the sinks alerts are also sent to (off unless set).
     */
    public record Alerts(Duration repeatEvery, Duration unhealthyAfter, Webhook webhook, Telegram telegram) {}

    /** alerts.*.min_level: the lowest level a sink is sent. */
    public enum AlertLevel {
        WARN,
        ERROR
    }

    /** alerts.webhook.format: the body a webhook is sent. */
    public enum WebhookFormat {
        JSON,
        SLACK,
        DISCORD
    }

    /**
     * alerts.webhook.*: url (a secret: it often holds a token; empty = off), format, min_level,
     * throttle_seconds (the same kind, pair and venue at most once per this).
     */
    public record Webhook(Secret url, WebhookFormat format, AlertLevel minLevel, Duration throttle) {
        public boolean enabled() {
            return url.isPresent();
        }
    }

    /**
     * alerts.telegram.*: bot_token (a secret) and chat_id, both set or both empty (off; chatId is
     * then 0); allowed_chat_ids (more chats whose commands are obeyed), min_level,
     * throttle_seconds, api_url (the Bot API's base URL).
     */
    public record Telegram(
            Secret botToken,
            long chatId,
            List<Long> allowedChatIds,
            AlertLevel minLevel,
            Duration throttle,
            String apiUrl) {
        public Telegram {
            allowedChatIds = List.copyOf(allowedChatIds);
        }

        public boolean enabled() {
            return botToken.isPresent();
        }
    }

    /**
     * http.enabled, http.bind, http.port: the /health and /metrics endpoint. http.health_file:
     * where the health JSON is written (resolved against the database's folder); empty when
     * http.health_file is "" (no file).
     */
    public record Http(boolean enabled, String bind, int port, Optional<Path> healthFile) {
        public Http {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port not in 1..65535: " + port);
            }
        }
    }

    /**
     * risk.daily_loss_limit_usd: no new pairs once today's (UTC) realized net PnL plus the open
     * pairs' unrealized PnL is a loss at least this large (0 = no limit).
     * risk.max_notional_usd: a pair's notional is capped at this.
     * risk.max_entry_basis: no pair opens when the two venues' marks differ by more than this
     * fraction. risk.max_mark_jump: a mark that moved more than this fraction in one tick while
     * the other venue's did not is read again before any protective action.
     * risk.max_consecutive_failed_opens: this many pairs in a row rolled back or failed pause
     * opening until {@code resume}.
     */
    public record Risk(
            BigDecimal dailyLossLimitUsd,
            BigDecimal maxNotionalUsd,
            BigDecimal maxEntryBasis,
            BigDecimal maxMarkJump,
            int maxConsecutiveFailedOpens,
            Duration openDeadline) {}

    /**
     * reconcile.close_orphans: close (reduce-only) venue positions that no pair accounts for,
     * instead of only reporting them. reconcile.confirm_reads, reconcile.confirm_seconds: a
     * position that reads gone, flipped or resized is read this many more times over this long
     * (and checked against the venue's fill history) before the bot acts on it.
     */
    public record Reconcile(boolean closeOrphans, int confirmReads, Duration confirmWindow) {}

    /**
     * points.*: how points are estimated. {@code defaults} holds the global keys
     * (points.per_1000_usd_volume: points per 1000 USD of traded volume;
     * points.per_1000_usd_oi_hour: points per 1000 USD of open interest held for one hour),
     * {@code model} what each venue earns at: its points.venues.&lt;venue&gt;.* keys, an empty one
     * replaced by the global key of the same name.
     */
    public record Points(PointsModel.Rates defaults, PointsModel model) {
        public Points {
            Objects.requireNonNull(defaults, "defaults");
            Objects.requireNonNull(model, "model");
        }

        /** Every venue on the global rates. */
        public Points(PointsModel.Rates rates) {
            this(rates, PointsModel.uniform(rates));
        }

        /** points.per_1000_usd_volume: the global key (a venue may override it, see {@link #model}). */
        public BigDecimal per1000UsdVolume() {
            return defaults.per1000UsdVolume();
        }

        /** points.per_1000_usd_oi_hour: the global key. */
        public BigDecimal per1000UsdOiHour() {
            return defaults.per1000UsdOiHour();
        }
    }

    /**
     * sim.*: the simulated market and venues. seed, state_file, starting_balance_usd (per
     * venue), volatility_annual (of the mid both venues share), order_latency_ms (how long a
     * simulated order is in flight); {@code defaults} holds the global cost and market keys
     * (sim.taker_fee_rate, sim.slippage_bps, ...), {@code venues} what each venue uses: its
     * sim.venues.&lt;venue&gt;.* keys, an empty one replaced by the global key of the same name;
     * {@code modelled} the venues a sim, paper or replay world holds accounts and markets on
     * (trading.venues, in registration order): a venue not traded draws no random numbers and
     * costs no time.
     */
    public record Sim(
            long seed,
            Path stateFile,
            BigDecimal startingBalanceUsd,
            BigDecimal volatilityAnnual,
            VenueModel defaults,
            Map<Venue, VenueModel> venues,
            Duration orderLatency,
            List<Venue> modelled) {
        public Sim {
            Objects.requireNonNull(defaults, "defaults");
            modelled = List.copyOf(modelled);
            if (modelled.size() < 2 || modelled.stream().distinct().count() != modelled.size()) {
                throw new IllegalArgumentException("a sim world models two or more distinct venues: " + modelled);
            }
            modelled = modelled.stream().sorted().toList();
            TreeMap<Venue, VenueModel> copy = new TreeMap<>();
            for (Venue v : Venue.values()) {
                VenueModel m = venues.get(v);
                if (m == null) {
                    throw new IllegalArgumentException("no sim model for " + v.configName());
                }
                copy.put(v, m);
            }
            venues = Collections.unmodifiableMap(copy);
        }

        /**
         * Without order latency, every venue on the global values, no maker fee, spread, impact
         * or basis offset (tests and most callers): the model before per-venue keys existed.
         */
        public Sim(
                long seed,
                Path stateFile,
                BigDecimal startingBalanceUsd,
                BigDecimal takerFeeRate,
                BigDecimal slippageBps,
                BigDecimal basisNoiseBps,
                BigDecimal volatilityAnnual,
                Duration fundingInterval,
                BigDecimal maxFundingRate,
                BigDecimal maintenanceMarginRate,
                BigDecimal liquidationFeeRate) {
            this(
                    seed,
                    stateFile,
                    startingBalanceUsd,
                    volatilityAnnual,
                    VenueModel.uniform(
                            takerFeeRate,
                            slippageBps,
                            basisNoiseBps,
                            fundingInterval,
                            maxFundingRate,
                            maintenanceMarginRate,
                            liquidationFeeRate),
                    Duration.ZERO);
        }

        /** Every venue on {@code model}. */
        public Sim(
                long seed,
                Path stateFile,
                BigDecimal startingBalanceUsd,
                BigDecimal volatilityAnnual,
                VenueModel model,
                Duration orderLatency) {
            this(
                    seed,
                    stateFile,
                    startingBalanceUsd,
                    volatilityAnnual,
                    model,
                    everyVenue(model),
                    orderLatency,
                    DEFAULT_MODELLED);
        }

        /**
         * The settings of the {@code trading.venues} default, backpack and hibachi (the first two
         * registered), where no configuration names the venues.
         */
        public static final List<Venue> DEFAULT_MODELLED = Venue.values().subList(0, 2);

        /** The same settings, with worlds holding accounts and markets on {@code traded} only. */
        public Sim withModelled(List<Venue> traded) {
            return new Sim(
                    seed, stateFile, startingBalanceUsd, volatilityAnnual, defaults, venues, orderLatency, traded);
        }

        /** What {@code venue} uses: its own keys, the global ones where it has none. */
        public VenueModel venue(Venue venue) {
            return venues.get(Objects.requireNonNull(venue, "venue"));
        }

        /** The same settings with {@code venue} on {@code model}. */
        public Sim withVenue(Venue venue, VenueModel model) {
            Map<Venue, VenueModel> next = new TreeMap<>(venues);
            next.put(Objects.requireNonNull(venue, "venue"), Objects.requireNonNull(model, "model"));
            return new Sim(
                    seed, stateFile, startingBalanceUsd, volatilityAnnual, defaults, next, orderLatency, modelled);
        }

        /** The same settings on another state file. */
        public Sim withStateFile(Path file) {
            return new Sim(seed, file, startingBalanceUsd, volatilityAnnual, defaults, venues, orderLatency, modelled);
        }

        /** The same settings with another seed. */
        public Sim withSeed(long value) {
            return new Sim(
                    value, stateFile, startingBalanceUsd, volatilityAnnual, defaults, venues, orderLatency, modelled);
        }

        /** sim.taker_fee_rate: the global key (a venue may override it, see {@link #venue}). */
        public BigDecimal takerFeeRate() {
            return defaults.takerFeeRate();
        }

        /** sim.slippage_bps: the global key. */
        public BigDecimal slippageBps() {
            return defaults.slippageBps();
        }

        /** sim.basis_noise_bps: the global key. */
        public BigDecimal basisNoiseBps() {
            return defaults.basisNoiseBps();
        }

        /** sim.funding_interval_hours: the global key. */
        public Duration fundingInterval() {
            return defaults.fundingInterval();
        }

        /** sim.max_funding_rate: the global key. */
        public BigDecimal maxFundingRate() {
            return defaults.maxFundingRate();
        }

        /** sim.maintenance_margin_rate: the global key. */
        public BigDecimal maintenanceMarginRate() {
            return defaults.maintenanceMarginRate();
        }

        /** sim.liquidation_fee_rate: the global key. */
        public BigDecimal liquidationFeeRate() {
            return defaults.liquidationFeeRate();
        }

        private static Map<Venue, VenueModel> everyVenue(VenueModel model) {
            Map<Venue, VenueModel> out = new TreeMap<>();
            for (Venue v : Venue.values()) {
                out.put(v, model);
            }
            return out;
        }
    }

    /**
     * One simulated venue's costs and market (sim.venues.&lt;venue&gt;.*, or the global sim.* keys).
     * A market order fills at mark × (1 ± cost / 10000), a buy paying up, where cost in basis
     * points = spreadBps / 2 + slippageBps + impactBpsPer100kUsd × notional / 100000 (notional =
     * filled quantity × mark), and pays takerFeeRate × quantity × fill price. makerFeeRate is the
     * venue's fee for orders that rest on the book; the bot sends market orders only, so it is
     * carried for cost figures and not charged. Funding is settled every fundingInterval at a
     * rate bounded by ±maxFundingRate; equity below maintenanceMarginRate × notional is
     * liquidated at mark with liquidationFeeRate × notional as fee. In sim mode the venue's mark
     * is the shared mid × (1 + (basisBps + noise) / 10000), the noise drawn with standard
     * deviation basisNoiseBps at every market step.
     */
    public record VenueModel(
            BigDecimal makerFeeRate,
            BigDecimal takerFeeRate,
            BigDecimal spreadBps,
            BigDecimal slippageBps,
            BigDecimal impactBpsPer100kUsd,
            Duration fundingInterval,
            BigDecimal maxFundingRate,
            BigDecimal maintenanceMarginRate,
            BigDecimal liquidationFeeRate,
            BigDecimal basisBps,
            BigDecimal basisNoiseBps) {

        /** The pre-per-venue model: no maker fee, spread, impact or basis offset. */
        public static VenueModel uniform(
                BigDecimal takerFeeRate,
                BigDecimal slippageBps,
                BigDecimal basisNoiseBps,
                Duration fundingInterval,
                BigDecimal maxFundingRate,
                BigDecimal maintenanceMarginRate,
                BigDecimal liquidationFeeRate) {
            return new VenueModel(
                    BigDecimal.ZERO,
                    takerFeeRate,
                    BigDecimal.ZERO,
                    slippageBps,
                    BigDecimal.ZERO,
                    fundingInterval,
                    maxFundingRate,
                    maintenanceMarginRate,
                    liquidationFeeRate,
                    BigDecimal.ZERO,
                    basisNoiseBps);
        }
    }

    /**
     * paper.state_file: the simulated accounts of paper mode (real public prices, simulated
     * fills), kept apart from sim mode's.
     */
    public record Paper(Path stateFile) {}

    /**
     * exchanges.&lt;venue&gt;.*: the keys the venue registered ({@link Venue.Registration#keys}),
     * secrets apart from the rest, read and checked by their {@link Venue.Kind}; a key the venue
     * does not use reads as empty. exchanges.&lt;venue&gt;.late_execution_seconds: how long after
     * an order is sent the venue may still execute it (Backpack: also the signed X-Window, at most
     * 60 s; Hibachi: its nonce window is 15 s). exchanges.clock_check_minutes (one key for all
     * venues): how often the venue's clock offset is measured again.
     */
    public record ExchangeCredentials(
            Map<String, String> values, Map<String, Secret> secrets, Duration lateExecution, Duration clockCheckEvery) {
        public ExchangeCredentials {
            // an empty value is an unset one: text() and secret() read both the same way
            values = values.entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty())
                    .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
            secrets = secrets.entrySet().stream()
                    .filter(e -> e.getValue().isPresent())
                    .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
            if (lateExecution == null || lateExecution.isZero() || lateExecution.isNegative()) {
                throw new IllegalArgumentException("lateExecution <= 0: " + lateExecution);
            }
            if (clockCheckEvery == null || clockCheckEvery.isZero() || clockCheckEvery.isNegative()) {
                throw new IllegalArgumentException("clockCheckEvery <= 0: " + clockCheckEvery);
            }
        }

        /** The value of a key that is not a secret, "" when unset or not one of the venue's. */
        public String text(String key) {
            return values.getOrDefault(key, "");
        }

        /** A secret key's value, {@link Secret#empty} when unset or not one of the venue's. */
        public Secret secret(String key) {
            return secrets.getOrDefault(key, Secret.empty());
        }

        /** Tests and tools: credentials from plain values; the keys in {@code secretKeys} are secrets. */
        public static ExchangeCredentials of(
                Map<String, String> values, Set<String> secretKeys, Duration lateExecution, Duration clockCheckEvery) {
            Map<String, String> plain = new LinkedHashMap<>();
            Map<String, Secret> secrets = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                if (secretKeys.contains(k)) {
                    secrets.put(k, Secret.of(v));
                } else {
                    plain.put(k, v);
                }
            });
            return new ExchangeCredentials(plain, secrets, lateExecution, clockCheckEvery);
        }

        @Override
        public String toString() {
            return "ExchangeCredentials" + values + " secrets " + secrets.keySet();
        }
    }
}
