package dev.perptrader.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.perptrader.config.AppConfig.Direction;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.PointsModel;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ConfigLoaderTest {

    private static final String SECRET = "s3cr3t-Value-9f8e7d";
    private static final Path REPO_ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- helpers

    private AppConfig load(Map<String, String> env) {
        return ConfigLoader.load(null, false, dir, env, Map.of());
    }

    private AppConfig loadWithOverrides(Map<String, String> overrides) {
        return ConfigLoader.load(null, false, dir, Map.of(), overrides);
    }

    private AppConfig loadFile(String hocon) {
        return loadFile(hocon, Map.of());
    }

    private AppConfig loadFile(String hocon, Map<String, String> env) {
        Path file = write("test.conf", hocon);
        return ConfigLoader.load(file, true, dir, env, Map.of());
    }

    private ConfigError errorFromOverrides(Map<String, String> overrides) {
        return catchThrowableOfType(ConfigError.class, () -> loadWithOverrides(overrides));
    }

    private ConfigError errorFromFile(String hocon) {
        return catchThrowableOfType(ConfigError.class, () -> loadFile(hocon));
    }

    private ConfigError errorFromEnv(Map<String, String> env) {
        return catchThrowableOfType(ConfigError.class, () -> load(env));
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertDecimal(BigDecimal actual, String expected) {
        assertThat(actual).isEqualByComparingTo(new BigDecimal(expected));
    }

    // ---------------------------------------------------------------- defaults

    @Test
    void defaultsLoadWithNoFileNoEnvAndNoOverrides() {
        AppConfig c = load(Map.of());

        assertThat(c.mode()).isEqualTo(Mode.SIM);
        assertThat(c.database().url()).isEmpty();
        assertThat(c.database().path()).isEqualTo(dir.resolve("perp_trader_book_sim.db"));

        AppConfig.Trading t = c.trading();
        assertThat(t.venues()).containsExactly(BackpackExchange.VENUE, HibachiExchange.VENUE);
        assertThat(t.direction()).isEqualTo(Direction.FIXED);
        assertThat(t.markets()).containsExactly("BTC", "ETH", "SOL");
        assertDecimal(t.minLeverage(), "2.0");
        assertDecimal(t.maxLeverage(), "3.0");
        assertDecimal(t.minDurationHours(), "4");
        assertDecimal(t.maxDurationHours(), "8");
        assertDecimal(t.minMarginUsd(), "100");
        assertDecimal(t.maxMarginUsd(), "200");
        assertDecimal(t.collateralBuffer(), "0.2");
        assertDecimal(t.minCollateralRatio(), "1.5");
        assertDecimal(t.maxPnlDivergence(), "0.05");
        assertThat(t.maxOpenPairs()).isEqualTo(1);
        assertThat(t.minCooldown()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.maxCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.killSwitchFile()).isEqualTo(dir.resolve("STOP"));
        assertThat(t.closeOnShutdown()).isFalse();

        assertThat(c.monitor().interval()).isEqualTo(Duration.ofSeconds(60));
        assertDecimal(c.monitor().criticalCollateralRatio(), "1.2");
        assertThat(c.closer().retryBase()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.closer().retryMax()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.closer().stuckAlertAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.alerts().repeatEvery()).isEqualTo(Duration.ofMinutes(15));
        assertDecimal(c.points().per1000UsdVolume(), "1");

        AppConfig.Sim s = c.sim();
        assertThat(s.seed()).isEqualTo(42L);
        assertThat(s.stateFile()).isEqualTo(dir.resolve("perp_trader_sim.db"));
        assertDecimal(s.startingBalanceUsd(), "10000");
        assertDecimal(s.takerFeeRate(), "0.0005");
        assertDecimal(s.slippageBps(), "2");
        assertDecimal(s.basisNoiseBps(), "3");
        assertDecimal(s.volatilityAnnual(), "0.6");
        assertThat(s.fundingInterval()).isEqualTo(Duration.ofHours(1));
        assertDecimal(s.maxFundingRate(), "0.0001");
        assertDecimal(s.maintenanceMarginRate(), "0.01");
        assertDecimal(s.liquidationFeeRate(), "0.005");

        assertThat(c.exchanges()).containsOnlyKeys(Venue.values());
        AppConfig.ExchangeCredentials backpack = c.exchanges().get(BackpackExchange.VENUE);
        assertThat(backpack)
                .isEqualTo(new AppConfig.ExchangeCredentials(
                        Map.of("base_url", "https://api.backpack.exchange"),
                        Map.of(),
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(5)));
        AppConfig.ExchangeCredentials hibachi = c.exchanges().get(HibachiExchange.VENUE);
        assertThat(hibachi)
                .isEqualTo(new AppConfig.ExchangeCredentials(
                        Map.of("api_url", "https://api.hibachi.xyz", "data_url", "https://data-api.hibachi.xyz"),
                        Map.of(),
                        Duration.ofSeconds(15),
                        Duration.ofMinutes(5)));
    }

    @Test
    void relativeWorkDirIsMadeAbsolute() {
        Path relative = REPO_ROOT.relativize(dir);
        AppConfig c = ConfigLoader.load(null, false, relative, Map.of(), Map.of());
        assertThat(c.trading().killSwitchFile()).isEqualTo(dir.resolve("STOP"));
    }

    // ---------------------------------------------------------------- precedence

    @Test
    void eachLayerOverridesTheOneBelowIt() {
        assertDecimal(load(Map.of()).trading().minLeverage(), "2.0");

        write("config.conf", "trading.min_leverage = 2.1");
        assertDecimal(load(Map.of()).trading().minLeverage(), "2.1");

        write(".env", "APP__TRADING__MIN_LEVERAGE=2.2\n");
        assertDecimal(load(Map.of()).trading().minLeverage(), "2.2");

        Map<String, String> env = Map.of("APP__TRADING__MIN_LEVERAGE", "2.3");
        assertDecimal(load(env).trading().minLeverage(), "2.3");

        AppConfig top = ConfigLoader.load(null, false, dir, env, Map.of("trading.min_leverage", "2.4"));
        assertDecimal(top.trading().minLeverage(), "2.4");
    }

    @Test
    void layersMergeKeyByKeyNotSectionBySection() {
        write("config.conf", "trading { max_leverage = 5, markets = [BTC] }");
        write(".env", "APP__TRADING__MIN_LEVERAGE=1.5\nAPP__MODE=paper\n");
        AppConfig c = ConfigLoader.load(
                null, false, dir, Map.of("APP__MODE", "live", "APP__TRADING__MARKETS", "ETH"), Map.of("mode", "sim"));

        assertThat(c.mode()).isEqualTo(Mode.SIM);
        assertDecimal(c.trading().minLeverage(), "1.5");
        assertDecimal(c.trading().maxLeverage(), "5");
        assertThat(c.trading().markets()).containsExactly("ETH");
        assertDecimal(c.trading().minDurationHours(), "4");
    }

    @Test
    void realEnvironmentWinsOverDotEnv() {
        write(".env", "APP__MODE=paper\nAPP__TRADING__DIRECTION=random\n");
        AppConfig c = load(Map.of("APP__MODE", "live"));
        assertThat(c.mode()).isEqualTo(Mode.LIVE);
        assertThat(c.trading().direction()).isEqualTo(Direction.RANDOM);
    }

    @Test
    void overridesWinOverEnvironment() {
        AppConfig c = ConfigLoader.load(null, false, dir, Map.of("APP__MODE", "live"), Map.of("mode", "paper"));
        assertThat(c.mode()).isEqualTo(Mode.PAPER);
    }

    @Test
    void nullOverrideValuesAreSkipped() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("mode", null);
        AppConfig c = ConfigLoader.load(null, false, dir, Map.of("APP__MODE", "paper"), overrides);
        assertThat(c.mode()).isEqualTo(Mode.PAPER);
    }

    @Test
    void workDirConfigConfIsReadWhenNoFileIsNamed() {
        write("config.conf", "trading.direction = funding");
        assertThat(load(Map.of()).trading().direction()).isEqualTo(Direction.FUNDING);
    }

    @Test
    void namedFileReplacesWorkDirConfigConf() {
        write("config.conf", "trading.direction = funding");
        AppConfig c = loadFile("trading.direction = random");
        assertThat(c.trading().direction()).isEqualTo(Direction.RANDOM);
    }

    @Test
    void relativeConfigFileIsResolvedAgainstWorkDir() {
        write("other.conf", "mode = paper");
        AppConfig c = ConfigLoader.load(Path.of("other.conf"), true, dir, Map.of(), Map.of());
        assertThat(c.mode()).isEqualTo(Mode.PAPER);
    }

    @Test
    void missingImplicitConfigFileIsSkipped() {
        AppConfig c = ConfigLoader.load(Path.of("config.conf"), false, dir, Map.of(), Map.of());
        assertThat(c.mode()).isEqualTo(Mode.SIM);
    }

    @Test
    void missingExplicitConfigFileIsAnError() {
        Path missing = dir.resolve("missing.conf");
        assertThatThrownBy(() -> ConfigLoader.load(missing, true, dir, Map.of(), Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessage("config file not found: " + missing);
    }

    @Test
    void directoryAsConfigFileIsAnError() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub.conf"));
        assertThatThrownBy(() -> ConfigLoader.load(sub, true, dir, Map.of(), Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessage("config file is not a regular file: " + sub);
    }

    // ---------------------------------------------------------------- environment names

    static Stream<Arguments> seedNames() {
        return Stream.of(
                Arguments.of("APP__MODE", "live", (Function<AppConfig, Object>) c -> c.mode(), Mode.LIVE),
                Arguments.of(
                        "APP__DATABASE__URL",
                        "sqlite://other.db",
                        (Function<AppConfig, Object>) c -> c.database().url(),
                        "sqlite://other.db"),
                Arguments.of(
                        "APP__TRADING__MIN_LEVERAGE",
                        "1.5",
                        (Function<AppConfig, Object>) c -> c.trading().minLeverage(),
                        new BigDecimal("1.5")),
                Arguments.of(
                        "APP__TRADING__MAX_LEVERAGE",
                        "4.5",
                        (Function<AppConfig, Object>) c -> c.trading().maxLeverage(),
                        new BigDecimal("4.5")),
                Arguments.of(
                        "APP__TRADING__MIN_DURATION_HOURS",
                        "1",
                        (Function<AppConfig, Object>) c -> c.trading().minDurationHours(),
                        new BigDecimal("1")),
                Arguments.of(
                        "APP__TRADING__MAX_DURATION_HOURS",
                        "12",
                        (Function<AppConfig, Object>) c -> c.trading().maxDurationHours(),
                        new BigDecimal("12")),
                Arguments.of(
                        "APP__TRADING__MIN_COLLATERAL_RATIO",
                        "1.8",
                        (Function<AppConfig, Object>) c -> c.trading().minCollateralRatio(),
                        new BigDecimal("1.8")),
                Arguments.of(
                        "APP__TRADING__MAX_PNL_DIVERGENCE",
                        "0.1",
                        (Function<AppConfig, Object>) c -> c.trading().maxPnlDivergence(),
                        new BigDecimal("0.1")),
                Arguments.of(
                        "APP__EXCHANGES__BACKPACK__API_KEY",
                        "bp-key",
                        (Function<AppConfig, Object>)
                                c -> c.exchanges().get(BackpackExchange.VENUE).secret("api_key"),
                        Secret.of("bp-key")),
                Arguments.of(
                        "APP__EXCHANGES__BACKPACK__API_SECRET",
                        "bp-secret",
                        (Function<AppConfig, Object>)
                                c -> c.exchanges().get(BackpackExchange.VENUE).secret("api_secret"),
                        Secret.of("bp-secret")),
                Arguments.of(
                        "APP__EXCHANGES__HIBACHI__API_KEY",
                        "hb-key",
                        (Function<AppConfig, Object>)
                                c -> c.exchanges().get(HibachiExchange.VENUE).secret("api_key"),
                        Secret.of("hb-key")),
                Arguments.of(
                        "APP__EXCHANGES__HIBACHI__API_SECRET",
                        "hb-secret",
                        (Function<AppConfig, Object>)
                                c -> c.exchanges().get(HibachiExchange.VENUE).secret("api_secret"),
                        Secret.of("hb-secret")),
                Arguments.of(
                        "APP__EXCHANGES__HIBACHI__PRIVATE_KEY",
                        "0x" + "11".repeat(32),
                        (Function<AppConfig, Object>)
                                c -> c.exchanges().get(HibachiExchange.VENUE).secret("private_key"),
                        Secret.of("0x" + "11".repeat(32))),
                Arguments.of(
                        "APP__EXCHANGES__HIBACHI__ACCOUNT_ID",
                        "1234",
                        (Function<AppConfig, Object>)
                                c -> c.exchanges().get(HibachiExchange.VENUE).text("account_id"),
                        "1234"),
                Arguments.of(
                        "APP__EXCHANGES__BACKPACK__BASE_URL",
                        "https://bp.example",
                        (Function<AppConfig, Object>)
                                c -> c.exchanges().get(BackpackExchange.VENUE).text("base_url"),
                        "https://bp.example"),
                Arguments.of(
                        "APP__SIM__SEED",
                        "-7",
                        (Function<AppConfig, Object>) c -> c.sim().seed(),
                        -7L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedNames")
    void environmentNameMapsToItsKey(String name, String value, Function<AppConfig, Object> getter, Object expected) {
        assertThat(getter.apply(load(Map.of(name, value)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedNames")
    void dotEnvNameMapsToItsKey(String name, String value, Function<AppConfig, Object> getter, Object expected) {
        write(".env", name + "=" + value + "\n");
        assertThat(getter.apply(load(Map.of()))).isEqualTo(expected);
    }

    @Test
    void variablesWithoutThePrefixAreIgnored() {
        AppConfig c = load(Map.of(
                "PATH", "/usr/bin", "APP_MODE", "live", "MY_APP__MODE", "live", "app__mode", "live", "APP", "x"));
        assertThat(c.mode()).isEqualTo(Mode.SIM);
    }

    @Test
    void commaSeparatedListsFromEnvironment() {
        AppConfig c =
                load(Map.of("APP__TRADING__MARKETS", "btc, eth ,DOGE", "APP__TRADING__VENUES", "hibachi,backpack"));
        assertThat(c.trading().markets()).containsExactly("BTC", "ETH", "DOGE");
        assertThat(c.trading().venues()).containsExactly(HibachiExchange.VENUE, BackpackExchange.VENUE);
    }

    @Test
    void listsFromHoconAndCommaStringsInHocon() {
        AppConfig c = loadFile("trading { markets = [sol, \"1000PEPE\"], venues = \"hibachi, backpack\" }");
        assertThat(c.trading().markets()).containsExactly("SOL", "1000PEPE");
        assertThat(c.trading().venues()).containsExactly(HibachiExchange.VENUE, BackpackExchange.VENUE);
    }

    @Test
    void dotEnvSyntax() {
        write(
                ".env",
                String.join(
                        "\n",
                        "# a comment",
                        "",
                        "export APP__MODE=paper",
                        "APP__TRADING__DIRECTION = \"random\"",
                        "APP__TRADING__MARKETS='BTC,ETH'  # inline comment",
                        "APP__EXCHANGES__BACKPACK__API_KEY=abc#def # comment",
                        "APP__EXCHANGES__HIBACHI__API_SECRET=\"with # hash\"",
                        "OTHER_TOOL_SETTING=\"unterminated",
                        "APP__EXCHANGES__HIBACHI__ACCOUNT_ID=",
                        ""));
        AppConfig c = load(Map.of());
        assertThat(c.mode()).isEqualTo(Mode.PAPER);
        assertThat(c.trading().direction()).isEqualTo(Direction.RANDOM);
        assertThat(c.trading().markets()).containsExactly("BTC", "ETH");
        assertThat(c.exchanges().get(BackpackExchange.VENUE).secret("api_key").reveal())
                .isEqualTo("abc#def");
        assertThat(c.exchanges().get(HibachiExchange.VENUE).secret("api_secret").reveal())
                .isEqualTo("with # hash");
        assertThat(c.exchanges().get(HibachiExchange.VENUE).text("account_id")).isEmpty();
    }

    @Test
    void dotEnvLineWithoutEqualsNamesFileAndLineButNotTheText() {
        write(".env", "APP__MODE=sim\n" + SECRET + "\n");
        ConfigError e = errorFromEnv(Map.of());
        assertThat(e).hasMessage(dir.resolve(".env") + " line 2: expected KEY=VALUE");
    }

    @Test
    void dotEnvUnterminatedQuote() {
        write(".env", "APP__EXCHANGES__BACKPACK__API_KEY=\"" + SECRET + "\n");
        ConfigError e = errorFromEnv(Map.of());
        assertThat(e)
                .hasMessage(dir.resolve(".env") + " line 1 (APP__EXCHANGES__BACKPACK__API_KEY): unterminated quote");
    }

    // ---------------------------------------------------------------- numbers and durations

    @Test
    void eachVenueModelFallsBackToTheGlobalSimKeysAndHibachiSettlesEveryEightHours() {
        AppConfig.Sim s = load(Map.of()).sim();
        AppConfig.VenueModel global = s.defaults();
        assertDecimal(global.makerFeeRate(), "0.0002");
        assertDecimal(global.takerFeeRate(), "0.0005");
        assertDecimal(global.spreadBps(), "0");
        assertDecimal(global.slippageBps(), "2");
        assertDecimal(global.impactBpsPer100kUsd(), "1");
        assertDecimal(global.basisBps(), "0");
        assertThat(s.venue(BackpackExchange.VENUE)).isEqualTo(global);
        assertThat(s.venue(HibachiExchange.VENUE).fundingInterval()).isEqualTo(Duration.ofHours(8));
        assertThat(s.venue(HibachiExchange.VENUE))
                .as("Hibachi differs from the global keys only in its funding interval")
                .usingRecursiveComparison()
                .ignoringFields("fundingInterval")
                .isEqualTo(global);

        // an unset venue key follows its global key; a set one wins for that venue only
        AppConfig.Sim changed = load(Map.of(
                        "APP__SIM__TAKER_FEE_RATE", "0.0007",
                        "APP__SIM__FUNDING_INTERVAL_HOURS", "2",
                        "APP__SIM__VENUES__HIBACHI__TAKER_FEE_RATE", "0.00035",
                        "APP__SIM__VENUES__BACKPACK__SLIPPAGE_BPS", "4.5",
                        "APP__SIM__VENUES__BACKPACK__BASIS_BPS", "-2",
                        "APP__SIM__VENUES__HIBACHI__MAINTENANCE_MARGIN_RATE", "0.03"))
                .sim();
        AppConfig.VenueModel bp = changed.venue(BackpackExchange.VENUE);
        AppConfig.VenueModel hb = changed.venue(HibachiExchange.VENUE);
        assertDecimal(changed.takerFeeRate(), "0.0007");
        assertDecimal(bp.takerFeeRate(), "0.0007");
        assertDecimal(hb.takerFeeRate(), "0.00035");
        assertDecimal(bp.slippageBps(), "4.5");
        assertDecimal(hb.slippageBps(), "2");
        assertDecimal(bp.basisBps(), "-2");
        assertDecimal(hb.basisBps(), "0");
        assertDecimal(bp.maintenanceMarginRate(), "0.01");
        assertDecimal(hb.maintenanceMarginRate(), "0.03");
        assertThat(bp.fundingInterval()).as("backpack's own key is empty").isEqualTo(Duration.ofHours(2));
        assertThat(hb.fundingInterval()).as("hibachi's own key is 8").isEqualTo(Duration.ofHours(8));

        // "" in a file is the same as unset
        AppConfig.Sim empty = loadFile(
                        "sim.venues.hibachi.funding_interval_hours = \"\"\nsim.funding_interval_hours = 3")
                .sim();
        assertThat(empty.venue(HibachiExchange.VENUE).fundingInterval()).isEqualTo(Duration.ofHours(3));
        assertThat(ConfigLoader.describe(load(Map.of())))
                .contains("sim.venues.hibachi.funding_interval_hours = 8\n")
                .contains("sim.venues.backpack.taker_fee_rate = 0.0005\n");
    }

    @Test
    void pointsAreVolumeOnlyByDefaultAndEachVenueFallsBackToTheGlobalKeys() {
        AppConfig.Points p = load(Map.of()).points();
        assertDecimal(p.per1000UsdVolume(), "1");
        assertDecimal(p.per1000UsdOiHour(), "0");
        for (Venue v : Venue.values()) {
            assertThat(p.model().rates(v)).as(v.configName()).isEqualTo(p.defaults());
        }

        // an unset venue key follows its global key; a set one wins for that venue only
        AppConfig.Points changed = load(Map.of(
                        "APP__POINTS__PER_1000_USD_VOLUME", "0.8",
                        "APP__POINTS__PER_1000_USD_OI_HOUR", "0.25",
                        "APP__POINTS__VENUES__HIBACHI__PER_1000_USD_VOLUME", "2",
                        "APP__POINTS__VENUES__BACKPACK__PER_1000_USD_OI_HOUR", "0"))
                .points();
        PointsModel.Rates bp = changed.model().rates(BackpackExchange.VENUE);
        PointsModel.Rates hb = changed.model().rates(HibachiExchange.VENUE);
        assertDecimal(bp.per1000UsdVolume(), "0.8");
        assertDecimal(bp.per1000UsdOiHour(), "0");
        assertDecimal(hb.per1000UsdVolume(), "2");
        assertDecimal(hb.per1000UsdOiHour(), "0.25");

        // "" in a file is the same as unset; a venue's own 0 is not ""
        AppConfig.Points empty = loadFile("points.per_1000_usd_oi_hour = 3\n"
                        + "points.venues.backpack.per_1000_usd_oi_hour = \"\"\n"
                        + "points.venues.hibachi.per_1000_usd_volume = 0")
                .points();
        assertDecimal(empty.model().rates(BackpackExchange.VENUE).per1000UsdOiHour(), "3");
        assertDecimal(empty.model().rates(BackpackExchange.VENUE).per1000UsdVolume(), "1");
        assertDecimal(empty.model().rates(HibachiExchange.VENUE).per1000UsdVolume(), "0");
        assertDecimal(empty.model().rates(HibachiExchange.VENUE).per1000UsdOiHour(), "3");

        assertThat(ConfigLoader.describe(load(Map.of("APP__POINTS__VENUES__HIBACHI__PER_1000_USD_OI_HOUR", "1.5"))))
                .contains("points.per_1000_usd_volume = 1\n")
                .contains("points.per_1000_usd_oi_hour = 0\n")
                .contains("points.venues.backpack.per_1000_usd_volume = 1\n")
                .contains("points.venues.backpack.per_1000_usd_oi_hour = 0\n")
                .contains("points.venues.hibachi.per_1000_usd_volume = 1\n")
                .contains("points.venues.hibachi.per_1000_usd_oi_hour = 1.5\n");
    }

    @Test
    void fractionalDurationsAreExactMillis() {
        AppConfig c = loadWithOverrides(Map.of(
                "sim.funding_interval_hours", "0.002",
                "trading.min_duration_hours", "0.002",
                "trading.max_duration_hours", "0.5",
                "trading.min_cooldown_seconds", "0.25",
                "monitor.interval_seconds", "1.5",
                "closer.stuck_alert_minutes", "0.5",
                "alerts.repeat_minutes", "0"));
        assertThat(c.sim().fundingInterval()).isEqualTo(Duration.ofMillis(7200));
        assertDecimal(c.trading().minDurationHours(), "0.002");
        assertDecimal(c.trading().maxDurationHours(), "0.5");
        assertThat(c.trading().minCooldown()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.monitor().interval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.closer().stuckAlertAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.alerts().repeatEvery()).isEqualTo(Duration.ZERO);
    }

    @Test
    void decimalsKeepEveryDigitOfHoconNumbers() {
        AppConfig c = loadFile("sim.taker_fee_rate = 0.00012345678901234567890123\nsim.seed = 9223372036854775807");
        assertThat(c.sim().takerFeeRate()).isEqualTo(new BigDecimal("0.00012345678901234567890123"));
        assertThat(c.sim().seed()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void numbersMayBeHoconStrings() {
        AppConfig c = loadFile("trading { min_leverage = \"2.5\", max_open_pairs = \"3\" }\nsim.seed = \"7\"");
        assertDecimal(c.trading().minLeverage(), "2.5");
        assertThat(c.trading().maxOpenPairs()).isEqualTo(3);
        assertThat(c.sim().seed()).isEqualTo(7L);
    }

    @Test
    void pairsPerAssetDefaultToOneAndTakeTheEnvironment() {
        assertThat(load(Map.of()).trading().maxPairsPerAsset()).isEqualTo(1);
        assertThat(load(Map.of("APP__TRADING__MAX_PAIRS_PER_ASSET", "50"))
                        .trading()
                        .maxPairsPerAsset())
                .isEqualTo(50);
    }

    @ParameterizedTest
    @CsvSource({"true,true", "false,false", "yes,true", "no,false", "on,true", "off,false", "TRUE,true"})
    void booleanForms(String text, boolean expected) {
        AppConfig c = loadWithOverrides(Map.of("trading.close_on_shutdown", text));
        assertThat(c.trading().closeOnShutdown()).isEqualTo(expected);
    }

    @Test
    void hoconBooleanAndNumericAccountId() {
        AppConfig c = loadFile("trading.close_on_shutdown = true\nexchanges.hibachi.account_id = 1234");
        assertThat(c.trading().closeOnShutdown()).isTrue();
        assertThat(c.exchanges().get(HibachiExchange.VENUE).text("account_id")).isEqualTo("1234");
    }

    // ---------------------------------------------------------------- database url

    @ParameterizedTest
    @CsvSource({
        "sqlite://perp_trader.db, perp_trader.db",
        "sqlite:x.db, x.db",
        "jdbc:sqlite:x.db, x.db",
        "data/x.db, data/x.db",
        "x.db, x.db",
        "sqlite://x.db?mode=rwc, x.db",
        "SQLITE://y.db, y.db"
    })
    void relativeDatabaseUrlForms(String url, String relative) {
        AppConfig c = load(Map.of("APP__DATABASE__URL", url));
        assertThat(c.database().url()).isEqualTo(url);
        assertThat(c.database().path()).isEqualTo(dir.resolve(relative));
    }

    @Test
    void eachModeHasItsOwnDatabaseFileUnlessTheUrlIsSet() {
        assertThat(load(Map.of("APP__MODE", "live")).database().path()).isEqualTo(dir.resolve("perp_trader.db"));
        assertThat(load(Map.of("APP__MODE", "sim")).database().path())
                .isEqualTo(dir.resolve("perp_trader_book_sim.db"));
        AppConfig paper = load(Map.of("APP__MODE", "paper"));
        assertThat(paper.database().path()).isEqualTo(dir.resolve("perp_trader_book_paper.db"));
        assertThat(paper.database().isModeDefault()).isTrue();
        assertThat(paper.database().path())
                .as("never the venue state file")
                .isNotEqualTo(paper.paper().stateFile());
        assertThat(load(Map.of()).database().path())
                .isNotEqualTo(load(Map.of()).sim().stateFile());
        assertThat(ConfigLoader.describe(paper))
                .contains("database.url = \"\"  (the paper mode's file " + dir.resolve("perp_trader_book_paper.db")
                        + ")");

        AppConfig explicit = load(Map.of("APP__MODE", "live", "APP__DATABASE__URL", "sqlite://mine.db"));
        assertThat(explicit.database().path()).isEqualTo(dir.resolve("mine.db"));
        assertThat(explicit.database().isModeDefault()).isFalse();
    }

    @Test
    void httpIsOffOnLocalhostAndTheHealthFileSitsBesideTheDatabase() {
        AppConfig c = load(Map.of());
        assertThat(c.http().enabled()).isFalse();
        assertThat(c.http().bind()).isEqualTo("127.0.0.1");
        assertThat(c.http().port()).isEqualTo(9464);
        assertThat(c.http().healthFile()).contains(dir.resolve("health.json"));
        assertThat(c.alerts().unhealthyAfter()).isEqualTo(Duration.ofMinutes(5));

        AppConfig elsewhere = load(Map.of(
                "APP__DATABASE__URL",
                "sqlite://books/bot.db",
                "APP__HTTP__PORT",
                "9000",
                "APP__HTTP__BIND",
                "::1",
                "APP__ALERTS__UNHEALTHY_AFTER_MINUTES",
                "0.5"));
        assertThat(elsewhere.http().healthFile()).contains(dir.resolve("books/health.json"));
        assertThat(elsewhere.http().port()).isEqualTo(9000);
        assertThat(elsewhere.http().bind()).isEqualTo("::1");
        assertThat(elsewhere.alerts().unhealthyAfter()).isEqualTo(Duration.ofSeconds(30));

        Path absolute = dir.resolve("run/state/health.json");
        assertThat(load(Map.of("APP__HTTP__HEALTH_FILE", absolute.toString()))
                        .http()
                        .healthFile())
                .contains(absolute);
        assertThat(load(Map.of("APP__HTTP__HEALTH_FILE", "")).http().healthFile())
                .isEmpty();
        assertThat(ConfigLoader.describe(load(Map.of("APP__HTTP__HEALTH_FILE", ""))))
                .contains("http.health_file = \"\"  (none)\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite://", "sqlite:", "jdbc:sqlite:", "/"})
    void absoluteDatabaseUrlForms(String prefix) {
        Path abs = dir.resolve("abs.db");
        AppConfig c = load(Map.of("APP__DATABASE__URL", (prefix.equals("/") ? "" : prefix) + abs));
        assertThat(c.database().path()).isEqualTo(abs);
    }

    // ---------------------------------------------------------------- validation

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                rule("mode", "foo", "mode: unknown mode 'foo' (known: sim, paper, live)"),
                rule("trading.exit", "limit", "trading.exit: unknown style 'limit' (known: taker, maker_first)"),
                rule("trading.entry", "maker", "trading.entry: unknown style 'maker' (known: taker, maker_first)"),
                rule(
                        "trading.maker_venue",
                        "binance",
                        "trading.maker_venue: unknown venue 'binance' (known: backpack, hibachi, hyperliquid)"),
                rule("trading.maker_requote_ticks", "0", "trading.maker_requote_ticks (0) must be >= 1"),
                rule("trading.maker_timeout_seconds", "0", "trading.maker_timeout_seconds (0) must be >= 1"),
                rule("trading.maker_poll_ms", "60001", "trading.maker_poll_ms (60001) must be <= 60000"),
                rule(
                        "database.url",
                        "postgres://db/x",
                        "database.url: only SQLite is supported "
                                + "(sqlite://FILE, sqlite:FILE, jdbc:sqlite:FILE or a path): 'postgres://db/x'"),
                rule(
                        "database.url",
                        "jdbc:postgresql:x",
                        "database.url: only SQLite is supported "
                                + "(sqlite://FILE, sqlite:FILE, jdbc:sqlite:FILE or a path): 'jdbc:postgresql:x'"),
                rule("database.url", "sqlite://", "database.url: no database file in 'sqlite://'"),
                rule(
                        "database.url",
                        "sqlite::memory:",
                        "database.url: an in-memory database would lose every pair on restart; name a file"),
                rule(
                        "trading.venues",
                        "backpack,binance",
                        "trading.venues: unknown venue 'binance' (known: backpack, hibachi, hyperliquid)"),
                rule("trading.venues", "backpack", "trading.venues: must name exactly 2 venues, got 1"),
                rule("trading.venues", "", "trading.venues: must name exactly 2 venues, got 0"),
                rule("trading.venues", "hibachi,HIBACHI", "trading.venues: venue 'hibachi' is listed twice"),
                rule(
                        "trading.direction",
                        "sideways",
                        "trading.direction: unknown direction 'sideways' (known: fixed, random, funding)"),
                rule("trading.markets", "", "trading.markets: must name at least one market"),
                rule("trading.markets", "BTC,btc", "trading.markets: market 'BTC' is listed twice"),
                rule(
                        "trading.markets",
                        "BTC-PERP",
                        "trading.markets: 'BTC-PERP' is not a base asset (letters and digits only, e.g. BTC)"),
                rule("trading.markets", "BTC,,ETH", "trading.markets: empty entry in the list"),
                rule("trading.min_leverage", "abc", "trading.min_leverage: not a number: 'abc'"),
                rule("trading.min_leverage", "", "trading.min_leverage: not a number: ''"),
                rule("trading.min_leverage", "0", "trading.min_leverage (0) must be > 0"),
                rule("trading.min_leverage", "-1", "trading.min_leverage (-1) must be > 0"),
                rule("trading.min_leverage", "3.5", "trading.min_leverage (3.5) must be <= trading.max_leverage (3.0)"),
                rule("trading.max_leverage", "abc", "trading.max_leverage: not a number: 'abc'"),
                rules(Map.of("trading.max_leverage", "51"), "trading.max_leverage (51) must be <= 50"),
                rule("trading.min_duration_hours", "0", "trading.min_duration_hours (0) must be > 0"),
                rule(
                        "trading.min_duration_hours",
                        "9",
                        "trading.min_duration_hours (9) must be <= trading.max_duration_hours (8)"),
                rule("trading.max_duration_hours", "721", "trading.max_duration_hours (721) must be <= 720"),
                rule(
                        "trading.min_duration_hours",
                        "0.0000000001",
                        "trading.min_duration_hours (0.0000000001) must be a whole number of milliseconds"),
                rule("trading.min_margin_usd", "0", "trading.min_margin_usd (0) must be > 0"),
                rule(
                        "trading.min_margin_usd",
                        "300",
                        "trading.min_margin_usd (300) must be <= trading.max_margin_usd (200)"),
                rule("trading.max_margin_usd", "x", "trading.max_margin_usd: not a number: 'x'"),
                rule("trading.max_margin_usd", "1e309", "trading.max_margin_usd (1E+309) must be <= 1000000000"),
                rules(
                        new LinkedHashMap<>(Map.of("trading.min_margin_usd", "2e9")) {
                            {
                                put("trading.max_margin_usd", "3e9");
                            }
                        },
                        "trading.min_margin_usd (2000000000) must be <= 1000000000"),
                rule("trading.collateral_buffer", "-0.1", "trading.collateral_buffer (-0.1) must be >= 0"),
                rule("trading.collateral_buffer", "11", "trading.collateral_buffer (11) must be <= 10"),
                rule("trading.min_collateral_ratio", "1", "trading.min_collateral_ratio (1) must be > 1"),
                rule("trading.min_collateral_ratio", "101", "trading.min_collateral_ratio (101) must be <= 100"),
                rule("trading.max_pnl_divergence", "0", "trading.max_pnl_divergence (0) must be > 0"),
                rule("trading.max_pnl_divergence", "1", "trading.max_pnl_divergence (1) must be < 1"),
                rule("trading.max_open_pairs", "0", "trading.max_open_pairs (0) must be >= 1"),
                rule("trading.max_open_pairs", "21", "trading.max_open_pairs (21) must be <= 20"),
                rule("trading.max_open_pairs", "1.5", "trading.max_open_pairs: not an integer: '1.5'"),
                rule("trading.max_open_pairs", "two", "trading.max_open_pairs: not an integer: 'two'"),
                rule("trading.max_pairs_per_asset", "0", "trading.max_pairs_per_asset (0) must be >= 1"),
                rule("trading.max_pairs_per_asset", "51", "trading.max_pairs_per_asset (51) must be <= 50"),
                rule("trading.max_pairs_per_asset", "2.5", "trading.max_pairs_per_asset: not an integer: '2.5'"),
                rule("trading.min_cooldown_seconds", "-1", "trading.min_cooldown_seconds (-1) must be >= 0"),
                rule(
                        "trading.min_cooldown_seconds",
                        "31",
                        "trading.min_cooldown_seconds (31) must be <= trading.max_cooldown_seconds (30)"),
                rule("trading.kill_switch_file", " ", "trading.kill_switch_file: must not be empty"),
                rule(
                        "trading.close_on_shutdown",
                        "maybe",
                        "trading.close_on_shutdown: not a boolean: 'maybe' (use true or false)"),
                rule("monitor.interval_seconds", "0", "monitor.interval_seconds (0) must be > 0"),
                rule("monitor.interval_seconds", "3601", "monitor.interval_seconds (3601) must be <= 3600"),
                rule("monitor.critical_collateral_ratio", "1", "monitor.critical_collateral_ratio (1) must be > 1"),
                rule(
                        "monitor.critical_collateral_ratio",
                        "1.5",
                        "monitor.critical_collateral_ratio (1.5) must be < trading.min_collateral_ratio (1.5)"),
                rule("closer.retry_base_seconds", "0", "closer.retry_base_seconds (0) must be > 0"),
                rule(
                        "closer.retry_base_seconds",
                        "301",
                        "closer.retry_base_seconds (301) must be <= closer.retry_max_seconds (300)"),
                rule("closer.stuck_alert_minutes", "0", "closer.stuck_alert_minutes (0) must be > 0"),
                rule("alerts.repeat_minutes", "-1", "alerts.repeat_minutes (-1) must be >= 0"),
                rule("alerts.unhealthy_after_minutes", "0", "alerts.unhealthy_after_minutes (0) must be > 0"),
                rule("alerts.unhealthy_after_minutes", "1441", "alerts.unhealthy_after_minutes (1441) must be <= 1440"),
                rule(
                        "alerts.webhook.url",
                        "hooks.example.com/T0/secret",
                        "alerts.webhook.url: must start with "
                                + "http:// or https:// and name a host (the value is a secret and is not shown)"),
                rule(
                        "alerts.webhook.url",
                        "https:///path",
                        "alerts.webhook.url: must start with "
                                + "http:// or https:// and name a host (the value is a secret and is not shown)"),
                rule(
                        "alerts.webhook.format",
                        "teams",
                        "alerts.webhook.format: unknown format 'teams' (known: json, slack, discord)"),
                rule(
                        "alerts.webhook.min_level",
                        "INFO",
                        "alerts.webhook.min_level: unknown level 'INFO' (known: WARN, ERROR)"),
                rule("alerts.webhook.throttle_seconds", "-1", "alerts.webhook.throttle_seconds (-1) must be >= 0"),
                rule(
                        "alerts.webhook.throttle_seconds",
                        "86401",
                        "alerts.webhook.throttle_seconds (86401) must be <= 86400"),
                rule(
                        "alerts.telegram.bot_token",
                        "not-a-token",
                        "alerts.telegram.bot_token: not a bot token "
                                + "(BotFather gives digits, a colon and letters, e.g. 123456789:AAE...; the value is a secret "
                                + "and is not shown)"),
                rule(
                        "alerts.telegram.bot_token",
                        "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
                        "alerts.telegram.bot_token is set but alerts.telegram.chat_id is not: set both (the chat "
                                + "alerts go to and commands come from), or neither to turn Telegram off"),
                rule(
                        "alerts.telegram.chat_id",
                        "123",
                        "alerts.telegram.chat_id is set but alerts.telegram.bot_token "
                                + "is not: set both, or neither to turn Telegram off"),
                rule(
                        "alerts.telegram.chat_id",
                        "@mychannel",
                        "alerts.telegram.chat_id: not a chat id "
                                + "(an integer such as 123456789, or -100123456789 for a group): '@mychannel'"),
                rule("alerts.telegram.chat_id", "0", "alerts.telegram.chat_id: a chat id is never 0"),
                rule(
                        "alerts.telegram.allowed_chat_ids",
                        "1,x",
                        "alerts.telegram.allowed_chat_ids: not a chat id "
                                + "(an integer such as 123456789, or -100123456789 for a group): 'x'"),
                rule(
                        "alerts.telegram.min_level",
                        "debug",
                        "alerts.telegram.min_level: unknown level 'debug' (known: WARN, ERROR)"),
                rule("alerts.telegram.throttle_seconds", "x", "alerts.telegram.throttle_seconds: not a number: 'x'"),
                rule(
                        "alerts.telegram.api_url",
                        "telegram",
                        "alerts.telegram.api_url: must start with http:// or https:// and name a host: 'telegram'"),
                rule("http.enabled", "maybe", "http.enabled: not a boolean: 'maybe' (use true or false)"),
                rule("http.bind", "", "http.bind: not an IP address or host name: ''"),
                rule("http.bind", "local host", "http.bind: not an IP address or host name: 'local host'"),
                rule("http.bind", "http://127.0.0.1", "http.bind: not an IP address or host name: 'http://127.0.0.1'"),
                rule("http.port", "0", "http.port (0) must be >= 1"),
                rule("http.port", "65536", "http.port (65536) must be <= 65535"),
                rule("http.port", "94.64", "http.port: not an integer: '94.64'"),
                rule("points.per_1000_usd_volume", "-1", "points.per_1000_usd_volume (-1) must be >= 0"),
                rule("points.per_1000_usd_oi_hour", "-0.5", "points.per_1000_usd_oi_hour (-0.5) must be >= 0"),
                rule("points.per_1000_usd_oi_hour", "lots", "points.per_1000_usd_oi_hour: not a number: 'lots'"),
                rule(
                        "points.venues.backpack.per_1000_usd_volume",
                        "-2",
                        "points.venues.backpack.per_1000_usd_volume (-2) must be >= 0"),
                rule(
                        "points.venues.hibachi.per_1000_usd_volume",
                        "-0.001",
                        "points.venues.hibachi.per_1000_usd_volume (-0.001) must be >= 0"),
                rule(
                        "points.venues.backpack.per_1000_usd_oi_hour",
                        "-1",
                        "points.venues.backpack.per_1000_usd_oi_hour (-1) must be >= 0"),
                rule(
                        "points.venues.hibachi.per_1000_usd_oi_hour",
                        "-3",
                        "points.venues.hibachi.per_1000_usd_oi_hour (-3) must be >= 0"),
                rule(
                        "points.venues.hibachi.per_1000_usd_oi_hour",
                        "one",
                        "points.venues.hibachi.per_1000_usd_oi_hour: not a number: 'one'"),
                rule("risk.daily_loss_limit_usd", "-5", "risk.daily_loss_limit_usd (-5) must be >= 0"),
                rule("risk.max_notional_usd", "0", "risk.max_notional_usd (0) must be > 0"),
                rule("risk.open_deadline_seconds", "0", "risk.open_deadline_seconds (0) must be >= 1"),
                rule("risk.open_deadline_seconds", "601", "risk.open_deadline_seconds (601) must be <= 600"),
                rule("risk.max_notional_usd", "1000000001", "risk.max_notional_usd (1000000001) must be <= 1000000000"),
                rule(
                        "risk.daily_loss_limit_usd",
                        "1e10",
                        "risk.daily_loss_limit_usd (10000000000) must be <= 1000000000"),
                rule("sim.starting_balance_usd", "1e309", "sim.starting_balance_usd (1E+309) must be <= 1000000000"),
                rule("monitor.keep_marks_days", "0", "monitor.keep_marks_days (0) must be >= 1"),
                rule("monitor.summary_minutes", "-1", "monitor.summary_minutes (-1) must be >= 0"),
                rule("sim.order_latency_ms", "-1", "sim.order_latency_ms (-1) must be >= 0"),
                rule("sim.seed", "4.2", "sim.seed: not an integer: '4.2'"),
                rule(
                        "sim.seed",
                        "99999999999999999999",
                        "sim.seed: out of range for a 64-bit integer: '99999999999999999999'"),
                rule("sim.state_file", "", "sim.state_file: must not be empty"),
                rule("sim.starting_balance_usd", "0", "sim.starting_balance_usd (0) must be > 0"),
                rule("sim.taker_fee_rate", "-0.1", "sim.taker_fee_rate (-0.1) must be >= 0"),
                rule("sim.taker_fee_rate", "0.01", "sim.taker_fee_rate (0.01) must be < 0.01"),
                rule("sim.slippage_bps", "-1", "sim.slippage_bps (-1) must be >= 0"),
                rule("sim.slippage_bps", "101", "sim.slippage_bps (101) must be <= 100"),
                rule("sim.basis_noise_bps", "-1", "sim.basis_noise_bps (-1) must be >= 0"),
                rule("sim.basis_noise_bps", "100.5", "sim.basis_noise_bps (100.5) must be <= 100"),
                rule("sim.volatility_annual", "-0.1", "sim.volatility_annual (-0.1) must be >= 0"),
                rule("sim.volatility_annual", "5.1", "sim.volatility_annual (5.1) must be <= 5"),
                rule("sim.funding_interval_hours", "0", "sim.funding_interval_hours (0) must be > 0"),
                rule("sim.max_funding_rate", "-0.0001", "sim.max_funding_rate (-0.0001) must be >= 0"),
                rule("sim.max_funding_rate", "0.01", "sim.max_funding_rate (0.01) must be < 0.01"),
                rule("sim.maintenance_margin_rate", "0", "sim.maintenance_margin_rate (0) must be > 0"),
                rule("sim.maintenance_margin_rate", "0.5", "sim.maintenance_margin_rate (0.5) must be < 0.5"),
                rule("sim.liquidation_fee_rate", "-0.1", "sim.liquidation_fee_rate (-0.1) must be >= 0"),
                rule("sim.liquidation_fee_rate", "0.1", "sim.liquidation_fee_rate (0.1) must be < 0.1"),
                rule("sim.maker_fee_rate", "-0.0001", "sim.maker_fee_rate (-0.0001) must be >= 0"),
                rule("sim.maker_fee_rate", "0.01", "sim.maker_fee_rate (0.01) must be < 0.01"),
                rule("sim.spread_bps", "-1", "sim.spread_bps (-1) must be >= 0"),
                rule("sim.spread_bps", "101", "sim.spread_bps (101) must be <= 100"),
                rule("sim.impact_bps_per_100k_usd", "-0.5", "sim.impact_bps_per_100k_usd (-0.5) must be >= 0"),
                rule("sim.impact_bps_per_100k_usd", "x", "sim.impact_bps_per_100k_usd: not a number: 'x'"),
                rule("sim.basis_bps", "-100.5", "sim.basis_bps (-100.5) must be >= -100"),
                rule("sim.basis_bps", "101", "sim.basis_bps (101) must be <= 100"),
                rule(
                        "sim.venues.backpack.maker_fee_rate",
                        "-1",
                        "sim.venues.backpack.maker_fee_rate (-1) must be >= 0"),
                rule(
                        "sim.venues.hibachi.taker_fee_rate",
                        "0.01",
                        "sim.venues.hibachi.taker_fee_rate (0.01) must be < 0.01"),
                rule(
                        "sim.venues.backpack.taker_fee_rate",
                        "five",
                        "sim.venues.backpack.taker_fee_rate: not a number: 'five'"),
                rule("sim.venues.hibachi.spread_bps", "-2", "sim.venues.hibachi.spread_bps (-2) must be >= 0"),
                rule(
                        "sim.venues.backpack.slippage_bps",
                        "100.01",
                        "sim.venues.backpack.slippage_bps (100.01) must be <= 100"),
                rule(
                        "sim.venues.hibachi.impact_bps_per_100k_usd",
                        "-3",
                        "sim.venues.hibachi.impact_bps_per_100k_usd (-3) must be >= 0"),
                rule("sim.venues.backpack.basis_bps", "-101", "sim.venues.backpack.basis_bps (-101) must be >= -100"),
                rule(
                        "sim.venues.hibachi.basis_noise_bps",
                        "-0.1",
                        "sim.venues.hibachi.basis_noise_bps (-0.1) must be >= 0"),
                rule(
                        "sim.venues.hibachi.funding_interval_hours",
                        "0",
                        "sim.venues.hibachi.funding_interval_hours (0) must be > 0"),
                rule(
                        "sim.venues.backpack.funding_interval_hours",
                        "0.0000000001",
                        "sim.venues.backpack.funding_interval_hours (0.0000000001) must be a whole number of milliseconds"),
                rule(
                        "sim.venues.backpack.max_funding_rate",
                        "0.02",
                        "sim.venues.backpack.max_funding_rate (0.02) must be < 0.01"),
                rule(
                        "sim.venues.hibachi.maintenance_margin_rate",
                        "0",
                        "sim.venues.hibachi.maintenance_margin_rate (0) must be > 0"),
                rule(
                        "sim.venues.backpack.maintenance_margin_rate",
                        "0.5",
                        "sim.venues.backpack.maintenance_margin_rate (0.5) must be < 0.5"),
                rule(
                        "sim.venues.hibachi.liquidation_fee_rate",
                        "0.1",
                        "sim.venues.hibachi.liquidation_fee_rate (0.1) must be < 0.1"),
                rule(
                        "exchanges.backpack.base_url",
                        "ftp://api.backpack.exchange",
                        "exchanges.backpack.base_url: must start with http:// or https:// and name a host: "
                                + "'ftp://api.backpack.exchange'"),
                rule(
                        "exchanges.hibachi.api_url",
                        "api.hibachi.xyz",
                        "exchanges.hibachi.api_url: must start with http:// or https:// and name a host: 'api.hibachi.xyz'"),
                rule(
                        "exchanges.hibachi.data_url",
                        "https://",
                        "exchanges.hibachi.data_url: must start with http:// or https:// and name a host: 'https://'"),
                rule(
                        "exchanges.hibachi.account_id",
                        "acct-1",
                        "exchanges.hibachi.account_id: not an integer: 'acct-1'"),
                rule("exchanges.clock_check_minutes", "0", "exchanges.clock_check_minutes (0) must be > 0"),
                rule("exchanges.clock_check_minutes", "1441", "exchanges.clock_check_minutes (1441) must be <= 1440"),
                rule(
                        "exchanges.backpack.late_execution_seconds",
                        "0",
                        "exchanges.backpack.late_execution_seconds (0) must be > 0"),
                rule(
                        "exchanges.backpack.late_execution_seconds",
                        "120.5",
                        "exchanges.backpack.late_execution_seconds (120.5) must be <= 120"),
                rule(
                        "exchanges.hibachi.late_execution_seconds",
                        "-1",
                        "exchanges.hibachi.late_execution_seconds (-1) must be > 0"),
                rule(
                        "exchanges.hibachi.late_execution_seconds",
                        "0.0001",
                        "exchanges.hibachi.late_execution_seconds (0.0001) must be a whole number of milliseconds"));
    }

    private static Arguments rule(String key, String value, String message) {
        return rules(Map.of(key, value), message);
    }

    private static Arguments rules(Map<String, String> overrides, String message) {
        return Arguments.of(overrides, message);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("brokenRules")
    void brokenRuleIsAOneLineErrorNamingTheKey(Map<String, String> overrides, String message) {
        ConfigError e = errorFromOverrides(overrides);
        assertThat(e).as("no ConfigError for %s", overrides).isNotNull();
        assertThat(e).hasMessage(message);
        assertThat(e.getMessage())
                .startsWith(overrides.keySet().iterator().next())
                .doesNotContain("\n");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("brokenRules")
    void brokenRuleFromEnvironmentGivesTheSameError(Map<String, String> overrides, String message) {
        Map<String, String> env = new HashMap<>();
        overrides.forEach((k, v) -> env.put("APP__" + k.replace(".", "__").toUpperCase(Locale.ROOT), v));
        assertThat(errorFromEnv(env)).hasMessage(message);
    }

    @Test
    void firstBrokenRuleInKeyOrderIsReported() {
        ConfigError e = errorFromOverrides(Map.of("sim.seed", "x", "mode", "foo", "trading.min_leverage", "0"));
        assertThat(e).hasMessage("mode: unknown mode 'foo' (known: sim, paper, live)");
    }

    static Stream<String> knownKeys() {
        return ConfigLoader.knownKeys().stream();
    }

    @ParameterizedTest
    @MethodSource("knownKeys")
    void everyKnownKeyIsReadAndTypeChecked(String key) {
        ConfigError e = errorFromFile(key + " = { nested = 1 }");
        assertThat(e).hasMessage(key + ": expected a single value, got an object");
    }

    @Test
    void knownKeysAreTheDocumentedOnes() {
        assertThat(ConfigLoader.knownKeys())
                .hasSize(133)
                .contains(
                        "exchanges.hyperliquid.base_url",
                        "exchanges.hyperliquid.network",
                        "exchanges.hyperliquid.account_address",
                        "exchanges.hyperliquid.private_key",
                        "exchanges.hyperliquid.late_execution_seconds",
                        "sim.venues.hyperliquid.funding_interval_hours",
                        "points.venues.hyperliquid.per_1000_usd_volume",
                        "trading.entry",
                        "trading.exit",
                        "trading.maker_venue",
                        "trading.maker_requote_ticks",
                        "trading.maker_timeout_seconds",
                        "trading.maker_poll_ms",
                        "points.per_1000_usd_oi_hour",
                        "points.venues.backpack.per_1000_usd_volume",
                        "points.venues.backpack.per_1000_usd_oi_hour",
                        "points.venues.hibachi.per_1000_usd_volume",
                        "points.venues.hibachi.per_1000_usd_oi_hour",
                        "sim.maker_fee_rate",
                        "sim.spread_bps",
                        "sim.impact_bps_per_100k_usd",
                        "sim.basis_bps",
                        "sim.venues.backpack.maker_fee_rate",
                        "sim.venues.backpack.taker_fee_rate",
                        "sim.venues.backpack.spread_bps",
                        "sim.venues.backpack.slippage_bps",
                        "sim.venues.backpack.impact_bps_per_100k_usd",
                        "sim.venues.backpack.basis_bps",
                        "sim.venues.backpack.basis_noise_bps",
                        "sim.venues.backpack.funding_interval_hours",
                        "sim.venues.backpack.max_funding_rate",
                        "sim.venues.backpack.maintenance_margin_rate",
                        "sim.venues.backpack.liquidation_fee_rate",
                        "sim.venues.hibachi.maker_fee_rate",
                        "sim.venues.hibachi.taker_fee_rate",
                        "sim.venues.hibachi.spread_bps",
                        "sim.venues.hibachi.slippage_bps",
                        "sim.venues.hibachi.impact_bps_per_100k_usd",
                        "sim.venues.hibachi.basis_bps",
                        "sim.venues.hibachi.basis_noise_bps",
                        "sim.venues.hibachi.funding_interval_hours",
                        "sim.venues.hibachi.max_funding_rate",
                        "sim.venues.hibachi.maintenance_margin_rate",
                        "sim.venues.hibachi.liquidation_fee_rate",
                        "risk.open_deadline_seconds",
                        "alerts.webhook.url",
                        "alerts.webhook.format",
                        "alerts.webhook.min_level",
                        "alerts.webhook.throttle_seconds",
                        "alerts.telegram.bot_token",
                        "alerts.telegram.chat_id",
                        "alerts.telegram.allowed_chat_ids",
                        "alerts.telegram.min_level",
                        "alerts.telegram.throttle_seconds",
                        "alerts.telegram.api_url",
                        "monitor.keep_marks_days",
                        "monitor.summary_minutes",
                        "mode",
                        "database.url",
                        "trading.venues",
                        "trading.close_on_shutdown",
                        "trading.max_pairs_per_asset",
                        "paper.state_file",
                        "risk.daily_loss_limit_usd",
                        "risk.max_notional_usd",
                        "sim.order_latency_ms",
                        "reconcile.close_orphans",
                        "reconcile.confirm_reads",
                        "reconcile.confirm_seconds",
                        "risk.max_entry_basis",
                        "risk.max_mark_jump",
                        "risk.max_consecutive_failed_opens",
                        "monitor.critical_collateral_ratio",
                        "closer.stuck_alert_minutes",
                        "alerts.repeat_minutes",
                        "alerts.unhealthy_after_minutes",
                        "http.enabled",
                        "http.bind",
                        "http.port",
                        "http.health_file",
                        "points.per_1000_usd_volume",
                        "sim.liquidation_fee_rate",
                        "exchanges.backpack.base_url",
                        "exchanges.hibachi.data_url",
                        "exchanges.hibachi.account_id",
                        "exchanges.clock_check_minutes",
                        "exchanges.backpack.late_execution_seconds",
                        "exchanges.hibachi.late_execution_seconds");
    }

    @Test
    void hoconTypeErrors() {
        assertThat(errorFromFile("trading.min_leverage = [1, 2]"))
                .hasMessage("trading.min_leverage: expected a single value, got a list");
        assertThat(errorFromFile("trading.markets = [[BTC]]"))
                .hasMessage("trading.markets: list entries must be single values, got a list");
        assertThat(errorFromFile("mode = null")).hasMessage("mode: must be set, got null");
        assertThat(errorFromFile("trading = 5").getMessage())
                .startsWith("trading: must be a section { ... }, got a number (");
        assertThat(errorFromEnv(Map.of("APP__TRADING", "5")))
                .hasMessage("trading: is a section, not a single setting (environment variable APP__TRADING)");
    }

    // ---------------------------------------------------------------- unknown keys

    @Test
    void typoInConfigFileIsAnUnknownKeyWithASuggestion() {
        ConfigError e = errorFromFile("trading {\n  min_levrage = 2.5\n}\n");
        assertThat(e.getMessage())
                .startsWith("trading.min_levrage: unknown key, did you mean trading.min_leverage? (")
                .contains("test.conf: 2");
    }

    @Test
    void typoInEnvironmentIsAnUnknownKey() {
        assertThat(errorFromEnv(Map.of("APP__TRADING__MIN_LEVRAGE", "2.5")))
                .hasMessage("trading.min_levrage: unknown key, did you mean trading.min_leverage? "
                        + "(environment variable APP__TRADING__MIN_LEVRAGE)");
    }

    @Test
    void typoInDotEnvIsAnUnknownKey() {
        write(".env", "APP__MODE=sim\nAPP__TRADING__MAX_LEVRAGE=2.5\n");
        assertThat(errorFromEnv(Map.of()))
                .hasMessage("trading.max_levrage: unknown key, did you mean trading.max_leverage? ("
                        + dir.resolve(".env") + " line 2 (APP__TRADING__MAX_LEVRAGE))");
    }

    @Test
    void typoInOverrideIsAnUnknownKey() {
        assertThat(errorFromOverrides(Map.of("moed", "sim")))
                .hasMessage("moed: unknown key, did you mean mode? (command-line override)");
    }

    @Test
    void unknownSectionsAndVenuesAreUnknownKeys() {
        assertThat(errorFromEnv(Map.of("APP__EXCHANGES__BINANCE__API_KEY", "k")))
                .hasMessage(
                        "exchanges.binance.api_key: unknown key (environment variable APP__EXCHANGES__BINANCE__API_KEY)");
        assertThat(errorFromFile("tradnig.min_leverage = 2").getMessage())
                .startsWith("tradnig: unknown key, did you mean trading? (");
        assertThat(errorFromEnv(Map.of("APP__MODE__X", "1")))
                .hasMessage("mode.x: unknown key (environment variable APP__MODE__X)");
        assertThat(errorFromEnv(Map.of("APP__NOTHING", "1")))
                .hasMessage("nothing: unknown key (environment variable APP__NOTHING)");
    }

    @Test
    void malformedEnvironmentName() {
        assertThat(errorFromEnv(Map.of("APP__TRADING____MIN_LEVERAGE", "2")))
                .hasMessage(
                        "environment variable APP__TRADING____MIN_LEVERAGE: malformed name, expected APP__SECTION__KEY");
        assertThat(errorFromEnv(Map.of("APP__", "2")))
                .hasMessage("environment variable APP__: malformed name, expected APP__SECTION__KEY");
    }

    // ---------------------------------------------------------------- syntax and substitutions

    @Test
    void hoconSyntaxErrorIsOneLineWithThePath() {
        ConfigError e = errorFromFile("trading {\n  markets = [BTC,\n}\n");
        assertThat(e.getMessage())
                .startsWith("invalid config file: ")
                .contains(dir.resolve("test.conf").toString())
                .doesNotContain("\n");
    }

    @Test
    void unterminatedStringIsOneLine() {
        ConfigError e = errorFromFile("mode = \"sim\nsim.seed = 1\n");
        assertThat(e.getMessage())
                .startsWith("invalid config file: ")
                .doesNotContain("\n")
                .doesNotContain("\r");
    }

    @Test
    void substitutionsUseTheGivenEnvironment() {
        String hocon = "exchanges.backpack.api_key = ${?BP_KEY}\ntrading.max_leverage = ${trading.min_leverage}";
        AppConfig with = loadFile(hocon, Map.of("BP_KEY", "from-env"));
        assertThat(with.exchanges()
                        .get(BackpackExchange.VENUE)
                        .secret("api_key")
                        .reveal())
                .isEqualTo("from-env");
        assertDecimal(with.trading().maxLeverage(), "2.0");

        AppConfig without = loadFile(hocon, Map.of());
        assertThat(without.exchanges()
                        .get(BackpackExchange.VENUE)
                        .secret("api_key")
                        .isPresent())
                .isFalse();
    }

    @Test
    void hoconAppendToDefaultList() {
        AppConfig c = loadFile("trading.markets = ${trading.markets} [DOGE]");
        assertThat(c.trading().markets()).containsExactly("BTC", "ETH", "SOL", "DOGE");
    }

    @Test
    void unresolvedSubstitutionIsOneLineError() {
        ConfigError e = errorFromFile("mode = ${NO_SUCH_VARIABLE}");
        assertThat(e.getMessage())
                .startsWith("invalid configuration: ")
                .contains("NO_SUCH_VARIABLE")
                .doesNotContain("\n");
    }

    // ---------------------------------------------------------------- secrets

    @Test
    void secretsNeverAppearInErrorsDescribeOrToString() {
        Map<String, String> env = new HashMap<>();
        env.put("APP__EXCHANGES__BACKPACK__API_KEY", SECRET + "-bk");
        env.put("APP__EXCHANGES__BACKPACK__API_SECRET", SECRET + "-bs");
        env.put("APP__EXCHANGES__HIBACHI__API_KEY", SECRET + "-hk");
        env.put("APP__EXCHANGES__HIBACHI__API_SECRET", SECRET + "-hs");
        env.put("APP__EXCHANGES__HIBACHI__PRIVATE_KEY", SECRET + "-hp");

        AppConfig c = load(env);
        assertThat(c.exchanges()
                        .get(HibachiExchange.VENUE)
                        .secret("private_key")
                        .reveal())
                .isEqualTo(SECRET + "-hp");
        String described = ConfigLoader.describe(c);
        assertThat(described).doesNotContain(SECRET).contains("exchanges.backpack.api_key = ****(");
        assertThat(c.toString()).doesNotContain(SECRET);
        assertThat(c.exchanges().toString()).doesNotContain(SECRET);

        List<ConfigError> errors = new ArrayList<>();
        Map<String, String> typo = new HashMap<>(env);
        typo.put("APP__EXCHANGES__BACKPACK__API_SECERT", SECRET);
        errors.add(errorFromEnv(typo));
        Map<String, String> badLeverage = new HashMap<>(env);
        badLeverage.put("APP__TRADING__MIN_LEVERAGE", "0");
        errors.add(errorFromEnv(badLeverage));
        errors.add(catchThrowableOfType(
                ConfigError.class, () -> loadFile("exchanges.backpack.api_key = [\"" + SECRET + "\"]")));
        errors.add(catchThrowableOfType(
                ConfigError.class, () -> loadFile("exchanges.hibachi { private_key { value = \"" + SECRET + "\" } }")));
        errors.add(catchThrowableOfType(
                ConfigError.class, () -> loadFile("trading.markets = ${exchanges.backpack.api_secret} [BTC]", env)));
        errors.add(catchThrowableOfType(
                ConfigError.class,
                () -> ConfigLoader.load(null, false, dir, env, Map.of("exchanges.backpack.api_kye", SECRET))));
        errors.add(errorFromFile("exchanges.backpack.api_secret = \"" + SECRET + "\"\n"
                + "trading.markets = ${exchanges.backpack.api_secret} [BTC]"));
        write(".env", "APP__EXCHANGES__BACKPACK__API_KEY='" + SECRET + "\n");
        errors.add(errorFromEnv(env));

        assertThat(errors).hasSize(8).doesNotContainNull();
        for (ConfigError e : errors) {
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("\n");
        }
    }

    @Test
    void alertSinksAreSetFromTheEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("APP__ALERTS__TELEGRAM__BOT_TOKEN", " 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw ");
        env.put("APP__ALERTS__TELEGRAM__CHAT_ID", "-100123456789");
        env.put("APP__ALERTS__TELEGRAM__ALLOWED_CHAT_IDS", "42, 43");
        env.put("APP__ALERTS__TELEGRAM__MIN_LEVEL", "error");
        env.put("APP__ALERTS__TELEGRAM__THROTTLE_SECONDS", "0");
        env.put("APP__ALERTS__TELEGRAM__API_URL", "http://localhost:8080/");
        env.put("APP__ALERTS__WEBHOOK__URL", "https://hooks.slack.com/services/T0/B0/abc");
        env.put("APP__ALERTS__WEBHOOK__FORMAT", "Slack");
        env.put("APP__ALERTS__WEBHOOK__THROTTLE_SECONDS", "2.5");

        AppConfig.Alerts a = load(env).alerts();
        assertThat(a.telegram().enabled()).isTrue();
        assertThat(a.telegram().botToken().reveal()).isEqualTo("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
        assertThat(a.telegram().chatId()).isEqualTo(-100123456789L);
        assertThat(a.telegram().allowedChatIds()).containsExactly(42L, 43L);
        assertThat(a.telegram().minLevel()).isEqualTo(AppConfig.AlertLevel.ERROR);
        assertThat(a.telegram().throttle()).isZero();
        assertThat(a.telegram().apiUrl()).isEqualTo("http://localhost:8080");
        assertThat(a.webhook().enabled()).isTrue();
        assertThat(a.webhook().format()).isEqualTo(AppConfig.WebhookFormat.SLACK);
        assertThat(a.webhook().minLevel()).isEqualTo(AppConfig.AlertLevel.WARN);
        assertThat(a.webhook().throttle()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void alertSinksAreOffByDefault() {
        AppConfig.Alerts a = load(Map.of()).alerts();
        assertThat(a.webhook().enabled()).isFalse();
        assertThat(a.telegram().enabled()).isFalse();
        assertThat(a.webhook().format()).isEqualTo(AppConfig.WebhookFormat.JSON);
        assertThat(a.webhook().throttle()).isEqualTo(Duration.ofSeconds(60));
        assertThat(a.telegram().apiUrl()).isEqualTo("https://api.telegram.org");
        assertThat(a.telegram().allowedChatIds()).isEmpty();
        String described = ConfigLoader.describe(load(Map.of()));
        assertThat(described)
                .contains(
                        "alerts.webhook.url = (not set)\n",
                        "alerts.telegram.bot_token = (not set)\n",
                        "alerts.telegram.chat_id = (not set)\n",
                        "alerts.webhook.format = json\n");
    }

    @Test
    void alertSecretsNeverAppearInErrorsDescribeOrToString() {
        String token = "987654321:" + SECRET + "-bot-token-xyz";
        String url = "https://hooks.example.com/services/" + SECRET + "-hook";
        Map<String, String> env = new HashMap<>();
        env.put("APP__ALERTS__TELEGRAM__BOT_TOKEN", token);
        env.put("APP__ALERTS__TELEGRAM__CHAT_ID", "123");
        env.put("APP__ALERTS__WEBHOOK__URL", url);

        AppConfig c = load(env);
        assertThat(c.alerts().webhook().url().reveal()).isEqualTo(url);
        String described = ConfigLoader.describe(c);
        assertThat(described)
                .doesNotContain(SECRET)
                .contains("alerts.webhook.url = ****(")
                .contains("alerts.telegram.bot_token = ****(")
                .contains("alerts.telegram.chat_id = 123\n");
        assertThat(c.toString()).doesNotContain(SECRET);
        assertThat(c.alerts().toString()).doesNotContain(SECRET);

        List<ConfigError> errors = new ArrayList<>();
        Map<String, String> badFormat = new HashMap<>(env);
        badFormat.put("APP__ALERTS__WEBHOOK__FORMAT", "teams");
        errors.add(errorFromEnv(badFormat));
        errors.add(errorFromEnv(Map.of("APP__ALERTS__WEBHOOK__URL", "ftp://" + SECRET)));
        errors.add(errorFromEnv(
                Map.of("APP__ALERTS__TELEGRAM__BOT_TOKEN", SECRET, "APP__ALERTS__TELEGRAM__CHAT_ID", "1")));
        errors.add(catchThrowableOfType(
                ConfigError.class, () -> loadFile("trading.markets = ${alerts.telegram.bot_token} [BTC]", env)));
        errors.add(errorFromFile(
                "alerts.webhook.url = \"" + url + "\"\n" + "trading.markets = ${alerts.webhook.url} [BTC]"));
        errors.add(errorFromFile("alerts.telegram { bot_token = \"" + token + "\", chat_id = 1 }\n"
                + "trading.markets = ${alerts.telegram.bot_token} [BTC]"));
        errors.add(catchThrowableOfType(ConfigError.class, () -> loadFile("alerts.webhook.url = [\"" + url + "\"]")));

        assertThat(errors).hasSize(7).doesNotContainNull();
        for (ConfigError e : errors) {
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("\n");
        }
    }

    @Test
    void secretsAreTrimmedAndBlankMeansNotSet() {
        AppConfig c = load(
                Map.of("APP__EXCHANGES__BACKPACK__API_KEY", "  key  ", "APP__EXCHANGES__BACKPACK__API_SECRET", "   "));
        assertThat(c.exchanges().get(BackpackExchange.VENUE).secret("api_key").reveal())
                .isEqualTo("key");
        assertThat(c.exchanges().get(BackpackExchange.VENUE).secret("api_secret"))
                .isEqualTo(Secret.empty());
    }

    @Test
    void describeListsEveryKnownKey() {
        String described = ConfigLoader.describe(load(Map.of()));
        for (String key : ConfigLoader.knownKeys()) {
            assertThat(described.lines()).as(key).anyMatch(line -> line.startsWith(key + " = "));
        }
        assertThat(described)
                .startsWith("mode = sim\n")
                .contains("trading.venues = [backpack, hibachi]\n")
                .contains("trading.min_leverage = 2.0\n")
                .contains("sim.funding_interval_hours = 1\n")
                .contains("monitor.interval_seconds = 60\n")
                .contains("exchanges.hibachi.private_key = (not set)\n");
    }

    @Test
    void urlsLoseTrailingSlashes() {
        AppConfig c = loadWithOverrides(Map.of("exchanges.backpack.base_url", "http://localhost:8080/"));
        assertThat(c.exchanges().get(BackpackExchange.VENUE).text("base_url")).isEqualTo("http://localhost:8080");
    }

    // ---------------------------------------------------------------- example files

    @Test
    void configExampleEqualsTheDefaults() {
        Path example = REPO_ROOT.resolve("config.example.conf");
        AppConfig fromExample = ConfigLoader.load(example, true, dir, Map.of(), Map.of());
        assertThat(fromExample).isEqualTo(load(Map.of()));
        assertThat(ConfigLoader.describe(fromExample)).isEqualTo(ConfigLoader.describe(load(Map.of())));
    }

    @Test
    void configExampleSetsEveryKnownKey() {
        Config example =
                ConfigFactory.parseFile(REPO_ROOT.resolve("config.example.conf").toFile());
        List<String> keys = new ArrayList<>();
        leaves(example.root(), "", keys);
        assertThat(keys).containsExactlyInAnyOrderElementsOf(ConfigLoader.knownKeys());
    }

    private static void leaves(ConfigObject object, String prefix, List<String> out) {
        for (String name : new TreeSet<>(object.keySet())) {
            ConfigValue v = object.get(name);
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            if (v.valueType() == ConfigValueType.OBJECT) {
                leaves((ConfigObject) v, key, out);
            } else {
                out.add(key);
            }
        }
    }

    @Test
    void envExampleEqualsTheDefaultsAndKeepsTheSeedNames() throws IOException {
        String example = Files.readString(REPO_ROOT.resolve(".env.example"), StandardCharsets.UTF_8);
        assertThat(example)
                .contains(
                        "APP__MODE=sim\n",
                        "# APP__DATABASE__URL=sqlite://perp_trader.db\n",
                        "APP__TRADING__MIN_LEVERAGE=2.0\n",
                        "APP__TRADING__MAX_LEVERAGE=3.0\n",
                        "APP__TRADING__MIN_DURATION_HOURS=4\n",
                        "APP__TRADING__MAX_DURATION_HOURS=8\n",
                        "APP__TRADING__MIN_COLLATERAL_RATIO=1.5\n",
                        "APP__TRADING__MAX_PNL_DIVERGENCE=0.05\n",
                        "APP__EXCHANGES__BACKPACK__API_KEY=\n",
                        "APP__EXCHANGES__BACKPACK__API_SECRET=\n",
                        "APP__EXCHANGES__HIBACHI__API_KEY=\n",
                        "APP__EXCHANGES__HIBACHI__API_SECRET=\n",
                        "APP__EXCHANGES__HIBACHI__PRIVATE_KEY=\n",
                        "APP__EXCHANGES__HIBACHI__ACCOUNT_ID=\n");
        AppConfig defaults = load(Map.of());
        write(".env", example);
        assertThat(load(Map.of())).isEqualTo(defaults);
    }
}
