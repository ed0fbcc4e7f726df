package dev.perptrader.config;

import static dev.perptrader.config.ConfigReader.atLeast;
import static dev.perptrader.config.ConfigReader.atMost;
import static dev.perptrader.config.ConfigReader.atMostKey;
import static dev.perptrader.config.ConfigReader.duration;
import static dev.perptrader.config.ConfigReader.greaterThan;
import static dev.perptrader.config.ConfigReader.lessThan;
import static dev.perptrader.config.ConfigReader.lessThanKey;
import static dev.perptrader.config.ConfigReader.quote;

import dev.perptrader.config.AppConfig.Direction;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.PointsModel;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads every key of the merged configuration into {@link AppConfig}, checking each rule in the
 * order the keys appear in {@code defaults.conf} and throwing the first {@link ConfigError}.
 */
final class ConfigBinder {

    static final long HOUR_MILLIS = 3_600_000L;
    static final long MINUTE_MILLIS = 60_000L;
    static final long SECOND_MILLIS = 1_000L;

    private static final BigDecimal ZERO = BigDecimal.ZERO;
    private static final BigDecimal ONE = BigDecimal.ONE;
    /** No margin, notional or balance above this many USD is a setting anyone means. */
    static final BigDecimal MAX_USD = new BigDecimal("1e9");

    private static final Pattern MARKET = Pattern.compile("[A-Z0-9]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{20,100}");
    private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,20}");
    /** An IPv4 address, a host name, or an IPv6 address (with or without brackets). */
    private static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private static final Pattern URL_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

    private final ConfigReader r;
    private final Path base;

    ConfigBinder(ConfigReader reader, Path base) {
        this.r = reader;
        this.base = base;
    }

    AppConfig bind() {
        Mode mode = mode();
        AppConfig.Database database = database(mode);
        AppConfig.Trading trading = trading();
        AppConfig.Monitor monitor = monitor(trading);
        AppConfig.Closer closer = closer();
        AppConfig.Alerts alerts = alerts();
        AppConfig.Http http = http(database);
        AppConfig.Points points = points();
        AppConfig.Risk risk = risk();
        AppConfig.Reconcile reconcile = reconcile();
        AppConfig.Sim sim = sim(trading.venues());
        AppConfig.Paper paper = new AppConfig.Paper(r.path("paper.state_file", base));
        Duration clockCheck = clockCheck();
        Map<Venue, AppConfig.ExchangeCredentials> exchanges = new TreeMap<>();
        for (Venue venue : Venue.values()) {
            exchanges.put(venue, credentials(venue, clockCheck));
        }
        return new AppConfig(
                mode, database, trading, monitor, closer, alerts, http, points, risk, reconcile, sim, paper, exchanges);
    }

    private Mode mode() {
        String key = "mode";
        Mode mode;
        try {
            mode = Mode.parse(r.text(key));
        } catch (IllegalArgumentException e) {
            // simulate is a mode a database records, not one to choose here: not listed
            throw new ConfigError(key + ": unknown mode " + quote(r.text(key)) + " (known: sim, paper, live)");
        }
        if (mode == Mode.SIMULATE) {
            throw new ConfigError(key + ": simulate is what 'perp-trader simulate' records in its own database,"
                    + " not a mode to run in (use sim, paper or live)");
        }
        return mode;
    }

    private AppConfig.Database database(Mode mode) {
        String key = "database.url";
        String url = r.text(key).strip();
        if (url.isEmpty()) {
            return new AppConfig.Database(url, base.resolve(AppConfig.Database.defaultFile(mode)));
        }
        return new AppConfig.Database(url, databasePath(key, url));
    }

    private Path databasePath(String key, String url) {
        String file;
        if (url.regionMatches(true, 0, "jdbc:sqlite:", 0, 12)) {
            file = url.substring(12);
        } else if (url.regionMatches(true, 0, "sqlite://", 0, 9)) {
            file = url.substring(9);
        } else if (url.regionMatches(true, 0, "sqlite:", 0, 7)) {
            file = url.substring(7);
        } else if (URL_SCHEME.matcher(url).find() || url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            throw new ConfigError(
                    key + ": only SQLite is supported (sqlite://FILE, sqlite:FILE, jdbc:sqlite:FILE or a path): "
                            + quote(url));
        } else {
            file = url;
        }
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.isBlank()) {
            throw new ConfigError(key + ": no database file in " + quote(url));
        }
        if (file.equals(":memory:")) {
            throw new ConfigError(key + ": an in-memory database would lose every pair on restart; name a file");
        }
        try {
            return base.resolve(file).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigError(key + ": invalid path: " + quote(file));
        }
    }

    private AppConfig.Trading trading() {
        List<Venue> venues = venues("trading.venues");
        Direction direction = direction("trading.direction");
        List<String> markets = markets("trading.markets");

        String minLevKey = "trading.min_leverage";
        String maxLevKey = "trading.max_leverage";
        Range leverage = range(minLevKey, maxLevKey, true);
        BigDecimal minLeverage = leverage.min();
        BigDecimal maxLeverage = leverage.max();
        atMost(maxLevKey, maxLeverage, BigDecimal.valueOf(50));

        String minDurKey = "trading.min_duration_hours";
        String maxDurKey = "trading.max_duration_hours";
        Range durationHours = range(minDurKey, maxDurKey, true);
        BigDecimal minDuration = durationHours.min();
        BigDecimal maxDuration = durationHours.max();
        atMost(maxDurKey, maxDuration, BigDecimal.valueOf(720));
        duration(minDurKey, minDuration, HOUR_MILLIS);
        duration(maxDurKey, maxDuration, HOUR_MILLIS);

        String minMarginKey = "trading.min_margin_usd";
        String maxMarginKey = "trading.max_margin_usd";
        Range margin = range(minMarginKey, maxMarginKey, true);
        BigDecimal minMargin = margin.min();
        BigDecimal maxMargin = margin.max();
        atMost(minMarginKey, minMargin, MAX_USD);
        atMost(maxMarginKey, maxMargin, MAX_USD);

        String bufferKey = "trading.collateral_buffer";
        BigDecimal buffer = r.decimal(bufferKey);
        atLeast(bufferKey, buffer, ZERO);
        atMost(bufferKey, buffer, BigDecimal.TEN);

        String ratioKey = "trading.min_collateral_ratio";
        BigDecimal minRatio = r.decimal(ratioKey);
        greaterThan(ratioKey, minRatio, ONE);
        atMost(ratioKey, minRatio, BigDecimal.valueOf(100));

        BigDecimal divergence = fraction("trading.max_pnl_divergence");

        long pairs = integerBetween("trading.max_open_pairs", 1, 20);
        long perAsset = integerBetween("trading.max_pairs_per_asset", 1, 50);

        String minCoolKey = "trading.min_cooldown_seconds";
        String maxCoolKey = "trading.max_cooldown_seconds";
        Range cooldown = range(minCoolKey, maxCoolKey, false);
        BigDecimal minCool = cooldown.min();
        BigDecimal maxCool = cooldown.max();
        Duration minCooldown = duration(minCoolKey, minCool, SECOND_MILLIS);
        Duration maxCooldown = duration(maxCoolKey, maxCool, SECOND_MILLIS);

        Path killSwitch = r.path("trading.kill_switch_file", base);
        boolean closeOnShutdown = r.bool("trading.close_on_shutdown");
        AppConfig.Orders orders = orders(venues);

        return new AppConfig.Trading(
                venues,
                direction,
                markets,
                minLeverage,
                maxLeverage,
                minDuration,
                maxDuration,
                minMargin,
                maxMargin,
                buffer,
                minRatio,
                divergence,
                (int) pairs,
                (int) perAsset,
                minCooldown,
                maxCooldown,
                killSwitch,
                closeOnShutdown,
                orders);
    }

    private AppConfig.OrderStyle orderStyle(String key) {
        String style = r.text(key).strip();
        if (style.equalsIgnoreCase("taker")) {
            return AppConfig.OrderStyle.TAKER;
        }
        if (style.equalsIgnoreCase("maker_first")) {
            return AppConfig.OrderStyle.MAKER_FIRST;
        }
        throw new ConfigError(key + ": unknown style " + quote(style) + " (known: taker, maker_first)");
    }

    private AppConfig.Orders orders(List<Venue> venues) {
        AppConfig.OrderStyle entry = orderStyle("trading.entry");
        AppConfig.OrderStyle exit = orderStyle("trading.exit");
        String venueKey = "trading.maker_venue";
        String name = r.text(venueKey).strip();
        Optional<Venue> makerVenue = Optional.empty();
        if (!name.isEmpty()) {
            Venue v;
            try {
                v = Venue.parse(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigError(venueKey + ": " + e.getMessage());
            }
            if (!venues.contains(v)) {
                throw new ConfigError(venueKey + ": " + quote(name) + " is not one of trading.venues");
            }
            makerVenue = Optional.of(v);
        }
        long ticks = integerBetween("trading.maker_requote_ticks", 1, 1000);
        long timeout = integerBetween("trading.maker_timeout_seconds", 1, 3600);
        long poll = integerBetween("trading.maker_poll_ms", 50, 60_000);
        return new AppConfig.Orders(
                entry, exit, makerVenue, (int) ticks, Duration.ofSeconds(timeout), Duration.ofMillis(poll));
    }

    private List<Venue> venues(String key) {
        List<Venue> venues = new ArrayList<>();
        for (String name : r.list(key)) {
            Venue venue;
            try {
                venue = Venue.parse(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigError(key + ": " + e.getMessage());
            }
            if (venues.contains(venue)) {
                throw new ConfigError(key + ": venue '" + venue.configName() + "' is listed twice");
            }
            venues.add(venue);
        }
        if (venues.size() != 2) {
            throw new ConfigError(key + ": must name exactly 2 venues, got " + venues.size());
        }
        return venues;
    }

    private Direction direction(String key) {
        String s = r.text(key).strip();
        for (Direction d : Direction.values()) {
            if (d.name().equalsIgnoreCase(s)) {
                return d;
            }
        }
        throw new ConfigError(key + ": unknown direction " + quote(s) + " (known: fixed, random, funding)");
    }

    private List<String> markets(String key) {
        List<String> markets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String entry : r.list(key)) {
            String market = entry.toUpperCase(Locale.ROOT);
            if (!MARKET.matcher(market).matches()) {
                throw new ConfigError(
                        key + ": " + quote(entry) + " is not a base asset (letters and digits only, e.g. BTC)");
            }
            if (!seen.add(market)) {
                throw new ConfigError(key + ": market '" + market + "' is listed twice");
            }
            markets.add(market);
        }
        if (markets.isEmpty()) {
            throw new ConfigError(key + ": must name at least one market");
        }
        return markets;
    }

    private AppConfig.Monitor monitor(AppConfig.Trading trading) {
        String intervalKey = "monitor.interval_seconds";
        BigDecimal interval = r.decimal(intervalKey);
        greaterThan(intervalKey, interval, ZERO);
        atMost(intervalKey, interval, BigDecimal.valueOf(3600));

        String criticalKey = "monitor.critical_collateral_ratio";
        BigDecimal critical = r.decimal(criticalKey);
        greaterThan(criticalKey, critical, ONE);
        lessThanKey(criticalKey, critical, "trading.min_collateral_ratio", trading.minCollateralRatio());

        long keepDays = integerBetween("monitor.keep_marks_days", 1, 3650);

        String summaryKey = "monitor.summary_minutes";
        BigDecimal summary = r.decimal(summaryKey);
        atLeast(summaryKey, summary, ZERO);
        atMost(summaryKey, summary, BigDecimal.valueOf(1440));
        return new AppConfig.Monitor(
                duration(intervalKey, interval, SECOND_MILLIS),
                critical,
                Duration.ofDays(keepDays),
                duration(summaryKey, summary, MINUTE_MILLIS));
    }

    /** A [min, max] pair of keys: min > 0 (or >= 0 when zero is allowed) and min <= max. */
    private record Range(BigDecimal min, BigDecimal max) {}

    private Range range(String minKey, String maxKey, boolean minPositive) {
        BigDecimal min = r.decimal(minKey);
        BigDecimal max = r.decimal(maxKey);
        if (minPositive) {
            greaterThan(minKey, min, ZERO);
        } else {
            atLeast(minKey, min, ZERO);
        }
        atMostKey(minKey, min, maxKey, max);
        return new Range(min, max);
    }

    private AppConfig.Closer closer() {
        String baseKey = "closer.retry_base_seconds";
        String maxKey = "closer.retry_max_seconds";
        Range retry = range(baseKey, maxKey, true);
        BigDecimal retryBase = retry.min();
        BigDecimal retryMax = retry.max();

        String stuckKey = "closer.stuck_alert_minutes";
        BigDecimal stuck = r.decimal(stuckKey);
        greaterThan(stuckKey, stuck, ZERO);
        return new AppConfig.Closer(
                duration(baseKey, retryBase, SECOND_MILLIS),
                duration(maxKey, retryMax, SECOND_MILLIS),
                duration(stuckKey, stuck, MINUTE_MILLIS));
    }

    private AppConfig.Alerts alerts() {
        String key = "alerts.repeat_minutes";
        BigDecimal repeat = r.decimal(key);
        atLeast(key, repeat, ZERO);
        String unhealthyKey = "alerts.unhealthy_after_minutes";
        BigDecimal unhealthy = r.decimal(unhealthyKey);
        greaterThan(unhealthyKey, unhealthy, ZERO);
        atMost(unhealthyKey, unhealthy, BigDecimal.valueOf(1440));
        return new AppConfig.Alerts(
                duration(key, repeat, MINUTE_MILLIS),
                duration(unhealthyKey, unhealthy, MINUTE_MILLIS),
                webhook(),
                telegram());
    }

    private AppConfig.Webhook webhook() {
        String urlKey = "alerts.webhook.url";
        Secret url = secret(urlKey);
        if (url.isPresent() && !isHttpUrl(url.reveal())) {
            // the URL often holds a token: say what is wrong, never what it is
            throw new ConfigError(urlKey + ": must start with http:// or https:// and name a host"
                    + " (the value is a secret and is not shown)");
        }
        AppConfig.WebhookFormat format =
                choice("alerts.webhook.format", AppConfig.WebhookFormat.values(), "format", true);
        AppConfig.AlertLevel minLevel =
                choice("alerts.webhook.min_level", AppConfig.AlertLevel.values(), "level", false);
        Duration throttle = throttle("alerts.webhook.throttle_seconds");
        return new AppConfig.Webhook(url, format, minLevel, throttle);
    }

    private AppConfig.Telegram telegram() {
        String tokenKey = "alerts.telegram.bot_token";
        Secret token = secret(tokenKey);
        if (token.isPresent() && !BOT_TOKEN.matcher(token.reveal()).matches()) {
            throw new ConfigError(tokenKey + ": not a bot token (BotFather gives digits, a colon and letters, "
                    + "e.g. 123456789:AAE...; the value is a secret and is not shown)");
        }
        String chatKey = "alerts.telegram.chat_id";
        String chat = r.text(chatKey).strip();
        long chatId = chat.isEmpty() ? 0 : chatId(chatKey, chat);
        if (token.isPresent() && chat.isEmpty()) {
            throw new ConfigError(tokenKey + " is set but " + chatKey + " is not: set both (the chat alerts go to"
                    + " and commands come from), or neither to turn Telegram off");
        }
        if (!token.isPresent() && !chat.isEmpty()) {
            throw new ConfigError(
                    chatKey + " is set but " + tokenKey + " is not: set both, or neither to turn" + " Telegram off");
        }
        String allowedKey = "alerts.telegram.allowed_chat_ids";
        List<Long> allowed = new ArrayList<>();
        for (String entry : r.list(allowedKey)) {
            allowed.add(chatId(allowedKey, entry));
        }
        AppConfig.AlertLevel minLevel =
                choice("alerts.telegram.min_level", AppConfig.AlertLevel.values(), "level", false);
        Duration throttle = throttle("alerts.telegram.throttle_seconds");
        String apiUrl = r.url("alerts.telegram.api_url");
        return new AppConfig.Telegram(token, chatId, allowed, minLevel, throttle, apiUrl);
    }

    /** An http(s) URL that names a host; checked without ever quoting it. */
    private static boolean isHttpUrl(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://"))
                || s.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        String rest = s.substring(s.indexOf("//") + 2);
        return !rest.isEmpty() && !rest.startsWith("/") && !rest.startsWith("?") && !rest.startsWith("#");
    }

    /** A Telegram chat id: a non-zero integer, negative for groups and channels. */
    private static long chatId(String key, String text) {
        if (!CHAT_ID.matcher(text).matches()) {
            throw new ConfigError(key + ": not a chat id (an integer such as 123456789, or -100123456789 "
                    + "for a group): " + quote(text));
        }
        try {
            long id = Long.parseLong(text);
            if (id == 0) {
                throw new ConfigError(key + ": a chat id is never 0");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new ConfigError(key + ": out of range for a chat id: " + quote(text));
        }
    }

    /** One of an enum's constants, by name, ignoring case; listed as documented (lower or upper case). */
    private <E extends Enum<E>> E choice(String key, E[] values, String what, boolean lowerCase) {
        String s = r.text(key).strip();
        for (E v : values) {
            if (v.name().equalsIgnoreCase(s)) {
                return v;
            }
        }
        String known = Arrays.stream(values)
                .map(v -> lowerCase ? v.name().toLowerCase(Locale.ROOT) : v.name())
                .collect(Collectors.joining(", "));
        throw new ConfigError(key + ": unknown " + what + " " + quote(s) + " (known: " + known + ")");
    }

    /** A sink's throttle in seconds: 0 to a day, decimals allowed. */
    private Duration throttle(String key) {
        BigDecimal seconds = between(key, ZERO, BigDecimal.valueOf(86_400));
        return duration(key, seconds, SECOND_MILLIS);
    }

    private AppConfig.Http http(AppConfig.Database database) {
        boolean enabled = r.bool("http.enabled");
        String bindKey = "http.bind";
        String bind = r.text(bindKey).strip();
        if (!HOST.matcher(bind).matches()) {
            throw new ConfigError(bindKey + ": not an IP address or host name: " + quote(bind));
        }
        int port = (int) integerBetween("http.port", 1, 65535);
        String fileKey = "http.health_file";
        String file = r.text(fileKey).strip();
        if (file.isEmpty()) {
            return new AppConfig.Http(enabled, bind, port, Optional.empty());
        }
        Path folder = database.path().getParent() != null ? database.path().getParent() : base;
        try {
            return new AppConfig.Http(
                    enabled, bind, port, Optional.of(folder.resolve(file).normalize()));
        } catch (InvalidPathException e) {
            throw new ConfigError(fileKey + ": invalid path: " + quote(file));
        }
    }

    private AppConfig.Points points() {
        BigDecimal volume = checked("points.per_1000_usd_volume", POINTS_RATE);
        BigDecimal oiHour = checked("points.per_1000_usd_oi_hour", POINTS_RATE);
        PointsModel.Rates defaults = new PointsModel.Rates(volume, oiHour);
        Map<Venue, PointsModel.Rates> venues = new TreeMap<>();
        for (Venue venue : Venue.values()) {
            String p = "points.venues." + venue.configName() + ".";
            venues.put(
                    venue,
                    new PointsModel.Rates(
                            override(p + "per_1000_usd_volume", POINTS_RATE, defaults.per1000UsdVolume()),
                            override(p + "per_1000_usd_oi_hour", POINTS_RATE, defaults.per1000UsdOiHour())));
        }
        return new AppConfig.Points(defaults, new PointsModel(venues));
    }

    private AppConfig.Risk risk() {
        String lossKey = "risk.daily_loss_limit_usd";
        BigDecimal loss = r.decimal(lossKey);
        atLeast(lossKey, loss, ZERO);
        atMost(lossKey, loss, MAX_USD);
        String notionalKey = "risk.max_notional_usd";
        BigDecimal notional = r.decimal(notionalKey);
        greaterThan(notionalKey, notional, ZERO);
        atMost(notionalKey, notional, MAX_USD);
        BigDecimal basis = fraction("risk.max_entry_basis");
        BigDecimal jump = fraction("risk.max_mark_jump");
        long failed = integerBetween("risk.max_consecutive_failed_opens", 1, 100);
        long deadline = integerBetween("risk.open_deadline_seconds", 1, 600);
        return new AppConfig.Risk(loss, notional, basis, jump, (int) failed, Duration.ofSeconds(deadline));
    }

    /** A fraction strictly between 0 and 1. */
    private BigDecimal fraction(String key) {
        BigDecimal v = r.decimal(key);
        greaterThan(key, v, ZERO);
        lessThan(key, v, ONE);
        return v;
    }

    /** An integer setting within [min, max]. */
    private long integerBetween(String key, long min, long max) {
        long v = r.integer(key);
        atLeast(key, BigDecimal.valueOf(v), BigDecimal.valueOf(min));
        atMost(key, BigDecimal.valueOf(v), BigDecimal.valueOf(max));
        return v;
    }

    private AppConfig.Reconcile reconcile() {
        boolean closeOrphans = r.bool("reconcile.close_orphans");
        long reads = integerBetween("reconcile.confirm_reads", 1, 20);
        String secondsKey = "reconcile.confirm_seconds";
        BigDecimal seconds = r.decimal(secondsKey);
        atLeast(secondsKey, seconds, ZERO);
        atMost(secondsKey, seconds, BigDecimal.valueOf(600));
        return new AppConfig.Reconcile(closeOrphans, (int) reads, duration(secondsKey, seconds, SECOND_MILLIS));
    }

    private AppConfig.Sim sim(List<Venue> traded) {
        long seed = r.integer("sim.seed");
        Path stateFile = r.path("sim.state_file", base);

        String balanceKey = "sim.starting_balance_usd";
        BigDecimal balance = r.decimal(balanceKey);
        greaterThan(balanceKey, balance, ZERO);
        atMost(balanceKey, balance, MAX_USD);

        BigDecimal makerFee = checked("sim.maker_fee_rate", FEE_RATE);
        BigDecimal takerFee = checked("sim.taker_fee_rate", FEE_RATE);
        BigDecimal spread = checked("sim.spread_bps", BPS);
        BigDecimal slippage = checked("sim.slippage_bps", BPS);
        BigDecimal impact = checked("sim.impact_bps_per_100k_usd", BPS);
        BigDecimal basis = checked("sim.basis_bps", SIGNED_BPS);
        BigDecimal basisNoise = checked("sim.basis_noise_bps", BPS);
        String fundingKey = "sim.funding_interval_hours";
        Duration fundingInterval = fundingInterval(fundingKey, r.decimal(fundingKey));
        BigDecimal maxFunding = checked("sim.max_funding_rate", FUNDING_RATE);
        BigDecimal maintenance = checked("sim.maintenance_margin_rate", MAINTENANCE_RATE);
        BigDecimal liquidation = checked("sim.liquidation_fee_rate", LIQUIDATION_FEE_RATE);
        BigDecimal volatility = between("sim.volatility_annual", ZERO, BigDecimal.valueOf(5));
        long latency = integerBetween("sim.order_latency_ms", 0, 10_000);

        AppConfig.VenueModel defaults = new AppConfig.VenueModel(
                makerFee,
                takerFee,
                spread,
                slippage,
                impact,
                fundingInterval,
                maxFunding,
                maintenance,
                liquidation,
                basis,
                basisNoise);
        Map<Venue, AppConfig.VenueModel> venues = new TreeMap<>();
        for (Venue venue : Venue.values()) {
            venues.put(venue, venueModel(venue, defaults));
        }
        return new AppConfig.Sim(
                seed, stateFile, balance, volatility, defaults, venues, Duration.ofMillis(latency), traded);
    }

    /** The range rules shared by a global key (sim.*, points.*) and its per-venue overrides. */
    private interface Rule {
        void check(String key, BigDecimal value);
    }

    private static final Rule FEE_RATE = (k, v) -> {
        atLeast(k, v, ZERO);
        lessThan(k, v, new BigDecimal("0.01"));
    };
    private static final Rule BPS = (k, v) -> {
        atLeast(k, v, ZERO);
        atMost(k, v, BigDecimal.valueOf(100));
    };
    private static final Rule SIGNED_BPS = (k, v) -> {
        atLeast(k, v, BigDecimal.valueOf(-100));
        atMost(k, v, BigDecimal.valueOf(100));
    };
    private static final Rule FUNDING_RATE = FEE_RATE;
    private static final Rule POINTS_RATE = (k, v) -> atLeast(k, v, ZERO);
    private static final Rule MAINTENANCE_RATE = (k, v) -> {
        greaterThan(k, v, ZERO);
        lessThan(k, v, new BigDecimal("0.5"));
    };
    private static final Rule LIQUIDATION_FEE_RATE = (k, v) -> {
        atLeast(k, v, ZERO);
        lessThan(k, v, new BigDecimal("0.1"));
    };

    private BigDecimal checked(String key, Rule rule) {
        BigDecimal v = r.decimal(key);
        rule.check(key, v);
        return v;
    }

    /** Hours between funding settlements: > 0, a whole number of milliseconds. */
    private static Duration fundingInterval(String key, BigDecimal hours) {
        greaterThan(key, hours, ZERO);
        return duration(key, hours, HOUR_MILLIS);
    }

    /** sim.venues.&lt;venue&gt;.*: each key as its global one, or that global value when empty. */
    private AppConfig.VenueModel venueModel(Venue venue, AppConfig.VenueModel d) {
        String p = "sim.venues." + venue.configName() + ".";
        BigDecimal makerFee = override(p + "maker_fee_rate", FEE_RATE, d.makerFeeRate());
        BigDecimal takerFee = override(p + "taker_fee_rate", FEE_RATE, d.takerFeeRate());
        BigDecimal spread = override(p + "spread_bps", BPS, d.spreadBps());
        BigDecimal slippage = override(p + "slippage_bps", BPS, d.slippageBps());
        BigDecimal impact = override(p + "impact_bps_per_100k_usd", BPS, d.impactBpsPer100kUsd());
        BigDecimal basis = override(p + "basis_bps", SIGNED_BPS, d.basisBps());
        BigDecimal basisNoise = override(p + "basis_noise_bps", BPS, d.basisNoiseBps());
        String fundingKey = p + "funding_interval_hours";
        Duration funding = venueValue(fundingKey)
                .map(hours -> fundingInterval(fundingKey, hours))
                .orElse(d.fundingInterval());
        BigDecimal maxFunding = override(p + "max_funding_rate", FUNDING_RATE, d.maxFundingRate());
        BigDecimal maintenance = override(p + "maintenance_margin_rate", MAINTENANCE_RATE, d.maintenanceMarginRate());
        BigDecimal liquidation = override(p + "liquidation_fee_rate", LIQUIDATION_FEE_RATE, d.liquidationFeeRate());
        return new AppConfig.VenueModel(
                makerFee,
                takerFee,
                spread,
                slippage,
                impact,
                funding,
                maxFunding,
                maintenance,
                liquidation,
                basis,
                basisNoise);
    }

    private BigDecimal override(String key, Rule rule, BigDecimal global) {
        Optional<BigDecimal> own = venueValue(key);
        own.ifPresent(v -> rule.check(key, v));
        return own.orElse(global);
    }

    /** A per-venue key's number, empty when the key is "" (use the global key). */
    private Optional<BigDecimal> venueValue(String key) {
        return r.text(key).isBlank() ? Optional.empty() : Optional.of(r.decimal(key));
    }

    /** A decimal in the closed range [low, high]. */
    private BigDecimal between(String key, BigDecimal low, BigDecimal high) {
        BigDecimal v = r.decimal(key);
        atLeast(key, v, low);
        atMost(key, v, high);
        return v;
    }

    private Duration clockCheck() {
        String key = "exchanges.clock_check_minutes";
        BigDecimal minutes = r.decimal(key);
        greaterThan(key, minutes, ZERO);
        atMost(key, minutes, BigDecimal.valueOf(1440));
        return duration(key, minutes, MINUTE_MILLIS);
    }

    /** exchanges.&lt;venue&gt;.*: each key the venue registered, checked by its kind. */
    private AppConfig.ExchangeCredentials credentials(Venue venue, Duration clockCheck) {
        String p = "exchanges." + venue.configName() + ".";
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (Venue.Key k : venue.registration().keys()) {
            String key = p + k.name();
            switch (k.kind()) {
                case SECRET -> secrets.put(k.name(), secret(key));
                case URL -> values.put(k.name(), r.url(key));
                case DIGITS -> values.put(k.name(), accountId(key));
                case ADDRESS -> values.put(k.name(), address(key));
                case TEXT -> values.put(k.name(), choice(key, k.choices()));
            }
        }
        return new AppConfig.ExchangeCredentials(
                values, secrets, lateExecution(p + "late_execution_seconds"), clockCheck);
    }

    /** "" or a 0x-prefixed 20-byte hex address, kept as written (checksummed or not). */
    private String address(String key) {
        String a = r.text(key).strip();
        if (!a.isEmpty() && !ADDRESS.matcher(a).matches()) {
            throw new ConfigError(key + ": not a 0x address of 40 hex digits: " + quote(a));
        }
        return a;
    }

    /** Any text when {@code choices} is empty, else "" or one of them (any case, kept lower-case). */
    private String choice(String key, List<String> choices) {
        String v = r.text(key).strip();
        if (choices.isEmpty() || v.isEmpty()) {
            return v;
        }
        for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
                return c;
            }
        }
        throw new ConfigError(key + ": unknown value " + quote(v) + " (known: " + String.join(", ", choices) + ")");
    }

    private Duration lateExecution(String key) {
        BigDecimal seconds = r.decimal(key);
        greaterThan(key, seconds, ZERO);
        atMost(key, seconds, BigDecimal.valueOf(120));
        return duration(key, seconds, SECOND_MILLIS);
    }

    private Secret secret(String key) {
        return Secret.of(r.text(key));
    }

    private String accountId(String key) {
        String id = r.text(key).strip();
        if (!id.isEmpty() && !DIGITS.matcher(id).matches()) {
            throw new ConfigError(key + ": not an integer: " + quote(id));
        }
        return id;
    }
}
