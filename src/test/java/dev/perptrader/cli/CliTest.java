package dev.perptrader.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.store.Database;
import dev.perptrader.store.InstanceLock;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.Orchestrator;
import dev.perptrader.trader.Venues;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes, one-line errors, history and status output. */
final class CliTest {
    @TempDir
    Path dir;

    private static CliResult run(String... args) {
        return CliResult.run(args);
    }

    private static void assertOneLineError(CliResult r, String contains) {
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(contains).doesNotContain("Exception");
    }

    @Test
    void badFlagsAndValuesAreOneLineAndExitTwo() {
        assertOneLineError(run("run", "--bogus"), "Unknown option: '--bogus'");
        assertOneLineError(run("run", "--pairs", "0"), "--pairs must be at least 1");
        assertOneLineError(run("run", "--pairs", "two"), "'two' is not an int");
        assertOneLineError(run("history", "--format", "xml"), "xml");
        assertOneLineError(run("history", "--limit", "0"), "--limit must be at least 1");
        assertOneLineError(run("alerts", "--limit", "x"), "'x' is not an int");
        assertOneLineError(run("frobnicate"), "Unmatched argument");
    }

    @Test
    void versionIsTheProjectVersionForTheProgramAndEveryCommand() throws Exception {
        Matcher m = Pattern.compile("<artifactId>perp-trader</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        String expected = "perp-trader " + m.group(1);
        CliResult top = run("--version");
        assertThat(top.code()).isZero();
        assertThat(top.out().strip()).isEqualTo(expected);
        for (String cmd : List.of(
                "run", "status", "history", "alerts", "check", "close-all", "recover", "resume", "completion")) {
            CliResult r = run(cmd, "--version");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out().strip()).as(cmd + " --version").isEqualTo(expected);
        }
    }

    @Test
    void helpSubcommandShowsACommandsUsage() {
        CliResult r = run("help", "history");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: perp-trader history", "--format", "--limit");
        CliResult all = run("help");
        assertThat(all.out()).contains("Commands:", "status", "completion", "help");
    }

    @Test
    void aLineNamingOneCommandBuildsThatCommandAsTheWholeProgramWould() {
        picocli.CommandLine all = Main.commandLine("help");
        assertThat(all.getSubcommands().keySet())
                .containsExactly(
                        "run",
                        "status",
                        "history",
                        "alerts",
                        "report",
                        "check",
                        "close-all",
                        "recover",
                        "resume",
                        "bench",
                        "record",
                        "simulate",
                        "completion",
                        "help");
        for (String[] line : List.of(
                new String[0], new String[] {"--version"}, new String[] {"completion"}, new String[] {"bogus"})) {
            assertThat(Main.commandLine(line).getSubcommands().keySet())
                    .as("%s", List.of(line))
                    .isEqualTo(all.getSubcommands().keySet());
        }
        for (String name : all.getSubcommands().keySet()) {
            if (name.equals("help") || name.equals("completion")) {
                continue;
            }
            picocli.CommandLine one = Main.commandLine(name, "--some-flag");
            assertThat(one.getSubcommands().keySet()).as(name).containsExactly(name);
            picocli.CommandLine built = one.getSubcommands().get(name);
            picocli.CommandLine whole = all.getSubcommands().get(name);
            assertThat(built.getUsageMessage()).as(name).isEqualTo(whole.getUsageMessage());
            assertThat(built.isCaseInsensitiveEnumValuesAllowed()).as(name).isTrue();
            assertThat(built.getParameterExceptionHandler()).as(name).isSameAs(one.getParameterExceptionHandler());
            assertThat(built.getExecutionExceptionHandler()).as(name).isSameAs(one.getExecutionExceptionHandler());
        }
        CliResult unknown = run("bogus");
        assertThat(unknown.code()).isEqualTo(Main.USAGE);
        assertThat(unknown.err()).contains("bogus");
    }

    @Test
    void completionPrintsABashScriptForEveryCommandAndOption() {
        CliResult r = run("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F", "perp-trader", "close-all", "--dry-run", "--format");
        assertThat(r.out()).as("a script, not a banner or log line").startsWith("#!");
    }

    @Test
    void configProblemsAreOneLineAndExitTwo() throws Exception {
        assertOneLineError(run("run", "--config", dir.resolve("missing.conf").toString()), "config file not found");
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "trading { min_leverage = 4\n max_leverage = 3 }\n");
        assertOneLineError(
                run("run", "--config", bad.toString()), "trading.min_leverage (4) must be <= trading.max_leverage (3)");
        Path mode = dir.resolve("mode.conf");
        Files.writeString(mode, "mode = moon\n");
        assertOneLineError(run("status", "--config", mode.toString()), "unknown mode 'moon'");
    }

    @Test
    void liveWithoutKeysStopsWithOneLineBeforeTrading() throws Exception {
        Path conf = config();
        CliResult r = run("run", "--mode", "live", "--config", conf.toString());
        assertOneLineError(r, "exchanges.backpack.api_secret is required");
        assertThat(r.err()).startsWith("config error: ");
        assertThat(Files.exists(dir.resolve("bot.db")))
                .as("nothing traded, no database made")
                .isFalse();
    }

    @Test
    void checkInLiveModeSaysConfigurationOkOnlyWhenTheKeysAreValid() throws Exception {
        Path conf = config();
        CliResult missing = run("check", "--mode", "live", "--config", conf.toString());
        assertOneLineError(missing, "exchanges.backpack.api_secret is required");
        assertThat(missing.out()).doesNotContain("configuration OK");

        Files.writeString(conf, Files.readString(conf) + """
                exchanges.backpack { api_key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                     api_secret = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=" }
                """);
        if (posix()) {
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        }
        CliResult bad = run("check", "--mode", "live", "--config", conf.toString());
        assertOneLineError(bad, "exchanges.backpack.api_key");
        assertThat(bad.out()).doesNotContain("configuration OK");
    }

    @Test
    void liveWithAMismatchedBackpackKeyNamesTheKeyNotTheSecret() throws Exception {
        Path conf = config();
        Files.writeString(conf, Files.readString(conf) + """
                exchanges.backpack { api_key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                     api_secret = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=" }
                """);
        if (posix()) {
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------")); // live refuses others'
        }
        CliResult r = run("run", "--mode", "live", "--config", conf.toString());
        assertOneLineError(r, "exchanges.backpack.api_key");
        assertThat(r.err()).doesNotContain("AQEBAQEBAQEBAQEB");
    }

    @Test
    void readCommandsExplainAMissingDatabase() throws Exception {
        CliResult r = run("history", "--config", config().toString());
        assertOneLineError(r, "no database at");
    }

    @Test
    void historyShowsClosedPairsWithTotalsInEveryFormat() throws Exception {
        Path conf = config();
        runOneCycle(conf);

        CliResult table = run("history", "--config", conf.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out())
                .contains("ASSET", "NET", "POINTS", "EXPIRED", "TOTAL", "1 pairs", "backpack", "hibachi");

        CliResult csv = run("history", "--format", "csv", "--config", conf.toString());
        assertThat(csv.out().lines().toList()).hasSize(2);
        assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("id,asset,long_venue,short_venue");

        CliResult json = run("history", "--format", "JSON", "--config", conf.toString());
        assertThat(json.out()).contains("\"pairs\"", "\"totals\"", "\"net_pnl\"");

        CliResult status = run("status", "--config", conf.toString());
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("no open pairs");
    }

    @Test
    void historyTotalCoversEveryClosedPairNotOnlyTheRowsShown() throws Exception {
        Path conf = config();
        List<HedgePair> pairs = runDailyCycles(conf, 3);
        BigDecimal net = pairs.stream()
                .map(p -> p.realizedPnl().subtract(p.fees()).add(p.funding()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);

        CliResult table = run("history", "--limit", "1", "--config", conf.toString());
        assertThat(table.code()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(1)).startsWith("ID ").contains("NET_PNL", "CLOSE_REASON", "LONG_VENUE");
        assertThat(lines.get(2).strip()).startsWith("3 ");
        assertThat(lines.get(3))
                .startsWith("TOTAL (all time, 3 pairs)")
                .contains(" " + net.setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " ");
        assertThat(lines.get(4)).contains("showing the newest 1 of 3 pairs");

        JsonNode json = json(run("history", "--limit", "1", "--format", "json", "--config", conf.toString()));
        assertThat(json.get("pairs")).hasSize(1);
        assertThat(json.get("pairs").get(0).get("id").asLong()).isEqualTo(3);
        assertThat(json.at("/totals/covers").asText()).isEqualTo("all time");
        assertThat(json.at("/totals/pairs").asInt()).isEqualTo(3);
        assertThat(new BigDecimal(json.at("/totals/net_pnl").asText())).isEqualByComparingTo(net);
    }

    @Test
    void historySinceIsInclusiveAndUntilExclusiveOnTheCloseTime() throws Exception {
        Path conf = config();
        List<HedgePair> pairs = runDailyCycles(conf, 3);
        String secondClosed = pairs.get(1).closedAt().toString();
        assertThat(secondClosed).startsWith("2026-03-03T");

        JsonNode day = json(run(
                "history",
                "--since",
                "2026-03-03",
                "--until",
                "2026-03-04",
                "--format",
                "json",
                "--config",
                conf.toString()));
        assertThat(ids(day)).containsExactly(2L);
        assertThat(day.at("/totals/covers").asText()).isEqualTo("selection");
        assertThat(day.at("/totals/since").asText()).isEqualTo("2026-03-03T00:00:00Z");
        assertThat(day.at("/totals/pairs").asInt()).isEqualTo(1);

        assertThat(ids(json(run("history", "--since", secondClosed, "--format", "json", "--config", conf.toString()))))
                .containsExactly(3L, 2L);
        assertThat(ids(json(run("history", "--until", secondClosed, "--format", "json", "--config", conf.toString()))))
                .containsExactly(1L);
        String noZone = secondClosed.substring(0, 16); // 2026-03-03T11:00, UTC
        assertThat(ids(json(run("history", "--until", noZone, "--format", "json", "--config", conf.toString()))))
                .containsExactly(1L);

        CliResult table = run("history", "--since", "2026-03-03", "--config", conf.toString());
        assertThat(table.out()).contains("TOTAL (selection: since 2026-03-03T00:00:00Z, 2 pairs)");
        CliResult none = run("history", "--since", "2027-01-01", "--config", conf.toString());
        assertThat(none.code()).isZero();
        assertThat(none.out()).contains("no closed pairs in the selection (since 2027-01-01T00:00:00Z)");
    }

    @Test
    void historyRefusesABadTimeWithOneLine() throws Exception {
        Path conf = config();
        runOneCycle(conf);
        assertOneLineError(
                run("history", "--since", "2026-13-01", "--config", conf.toString()),
                "'2026-13-01' is not a UTC date (2026-03-02) or date-time");
        assertOneLineError(run("history", "--until", "yesterday", "--config", conf.toString()), "--until");
        assertOneLineError(
                run("history", "--since", "2026-03-04", "--until", "2026-03-03", "--config", conf.toString()),
                "--since (2026-03-04T00:00:00Z) must be before --until (2026-03-03T00:00:00Z)");
        assertOneLineError(run("history", "--by", "month", "--config", conf.toString()), "month");
    }

    @Test
    void historyByDayWeekAndAssetGroupsTheSelectedPairs() throws Exception {
        Path conf = config();
        List<HedgePair> pairs = runDailyCycles(conf, 3);
        BigDecimal volume = pairs.stream().map(HedgePair::volume).reduce(BigDecimal.ZERO, BigDecimal::add);

        CliResult byDay = run("history", "--by", "day", "--config", conf.toString());
        assertThat(byDay.code()).isZero();
        List<String> lines = byDay.out().lines().toList();
        assertThat(lines.get(1)).startsWith("DAY ").contains("PAIRS", "NET_PNL", "VOLUME", "POINTS");
        assertThat(lines.get(2)).startsWith("2026-03-04 ");
        assertThat(lines.get(3)).startsWith("2026-03-03 ");
        assertThat(lines.get(4)).startsWith("2026-03-02 ");
        assertThat(lines.get(5)).startsWith("TOTAL (all time, 3 pairs)");

        JsonNode week = json(run("history", "--by", "week", "--format", "json", "--config", conf.toString()));
        assertThat(week.get("by").asText()).isEqualTo("week");
        assertThat(week.get("groups")).hasSize(1);
        assertThat(week.at("/groups/0/week").asText()).isEqualTo("2026-W10");
        assertThat(week.at("/groups/0/pairs").asInt()).isEqualTo(3);
        assertThat(new BigDecimal(week.at("/groups/0/volume").asText())).isEqualByComparingTo(volume);

        JsonNode asset = json(run(
                "history", "--by", "asset", "--until", "2026-03-03", "--format", "json", "--config", conf.toString()));
        assertThat(asset.at("/groups/0/asset").asText()).isEqualTo("BTC");
        assertThat(asset.at("/groups/0/pairs").asInt()).isEqualTo(1);
        assertThat(new BigDecimal(asset.at("/groups/0/volume").asText()))
                .isEqualByComparingTo(pairs.get(0).volume());
        assertThat(asset.at("/totals/covers").asText()).isEqualTo("selection");

        CliResult csv = run("history", "--by", "day", "--format", "csv", "--config", conf.toString());
        List<Map<String, String>> rows = csvRows(csv.out());
        assertThat(csv.out().lines().findFirst().orElseThrow())
                .isEqualTo("day,pairs,realized_pnl,fees,funding,net_pnl,volume,points");
        assertThat(rows).extracting(r -> r.get("day")).containsExactly("2026-03-04", "2026-03-03", "2026-03-02");
        assertThat(new BigDecimal(rows.get(2).get("net_pnl")))
                .isEqualByComparingTo(pairs.get(0)
                        .realizedPnl()
                        .subtract(pairs.get(0).fees())
                        .add(pairs.get(0).funding()));
    }

    @Test
    void historyByVenueCountsEachPairUnderBothVenuesWithEachLegsOwnFigures() throws Exception {
        Path conf = config();
        List<HedgePair> pairs = runDailyCycles(conf, 2);
        Store store = Store.open(dir.resolve("bot.db"));
        BigDecimal backpackFees = BigDecimal.ZERO;
        BigDecimal backpackPnl = BigDecimal.ZERO;
        BigDecimal backpackVolume = BigDecimal.ZERO;
        for (HedgePair p : pairs) {
            for (Leg l : store.legs(p.id())) {
                if (l.venue() == BackpackExchange.VENUE) {
                    backpackFees = backpackFees.add(l.fees());
                    backpackPnl = backpackPnl.add(l.realizedPnl());
                }
            }
            for (OrderRecord o : store.orders(p.id())) {
                if (o.venue() == BackpackExchange.VENUE && o.avgPrice() != null) {
                    backpackVolume = backpackVolume.add(o.filledQty().multiply(o.avgPrice()));
                }
            }
        }
        BigDecimal totalFees = pairs.stream().map(HedgePair::fees).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(backpackFees).isPositive().isLessThan(totalFees);

        JsonNode venues = json(run("history", "--by", "venue", "--format", "json", "--config", conf.toString()));
        assertThat(venues.get("groups")).hasSize(2);
        JsonNode backpack = venues.at("/groups/0");
        assertThat(backpack.get("venue").asText()).isEqualTo("backpack");
        assertThat(venues.at("/groups/1/venue").asText()).isEqualTo("hibachi");
        assertThat(backpack.get("pairs").asInt()).isEqualTo(2);
        assertThat(venues.at("/groups/1/pairs").asInt()).isEqualTo(2);
        assertThat(new BigDecimal(backpack.get("fees").asText())).isEqualByComparingTo(backpackFees);
        assertThat(new BigDecimal(backpack.get("realized_pnl").asText())).isEqualByComparingTo(backpackPnl);
        assertThat(new BigDecimal(backpack.get("volume").asText())).isEqualByComparingTo(backpackVolume);
        BigDecimal feesBothVenues = new BigDecimal(backpack.get("fees").asText())
                .add(new BigDecimal(venues.at("/groups/1/fees").asText()));
        assertThat(feesBothVenues).as("the legs add up to the pairs").isEqualByComparingTo(totalFees);
        assertThat(venues.at("/totals/pairs").asInt()).isEqualTo(2);

        CliResult table = run("history", "--by", "venue", "--config", conf.toString());
        assertThat(table.out())
                .contains(
                        "VENUE",
                        "backpack",
                        "hibachi",
                        "TOTAL (all time, 2 pairs)",
                        "each pair counts under both its venues");
    }

    @Test
    void historyCsvIsValidAndNamesTheDatabaseColumns() throws Exception {
        Path conf = config();
        List<HedgePair> pairs = runDailyCycles(conf, 2);
        CliResult csv = run("history", "--format", "csv", "--config", conf.toString());
        assertThat(csv.out().lines().findFirst().orElseThrow())
                .isEqualTo(
                        "id,asset,long_venue,short_venue,quantity,"
                                + "leverage,notional,opened_at,closed_at,close_reason,realized_pnl,fees,funding,net_pnl,volume,points");
        List<Map<String, String>> rows = csvRows(csv.out());
        assertThat(rows).extracting(r -> r.get("id")).containsExactly("2", "1");
        assertThat(rows.get(1).get("closed_at"))
                .isEqualTo(pairs.get(0).closedAt().toString());
        assertThat(new BigDecimal(rows.get(1).get("volume")))
                .isEqualByComparingTo(pairs.get(0).volume());

        CliResult empty = run("history", "--format", "csv", "--since", "2030-01-01", "--config", conf.toString());
        assertThat(empty.out().strip())
                .isEqualTo("id,asset,long_venue,short_venue,quantity,leverage,notional,"
                        + "opened_at,closed_at,close_reason,realized_pnl,fees,funding,net_pnl,volume,points");
    }

    @Test
    void statusShowsLegsMarksAndTimeLeft() throws Exception {
        Path conf = config();
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        try (SimWorld world = SimWorld.open(cfg.sim(), clock);
                Orchestrator o = orchestrator(cfg, world, clock)) {
            o.step();
            clock.advance(Duration.ofMinutes(1));
            o.step();
        }
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new StatusCommand(clock));
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("--config", conf.toString())).isZero();
        assertThat(out.toString())
                .contains(
                        "pair 1",
                        "OPEN",
                        "LONG",
                        "SHORT",
                        "BTC_USDC_PERP",
                        "BTC/USDT-P",
                        "collateral ratio",
                        "closes in 59m00s");
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(1)).startsWith("opening: ");
        assertThat(lines.subList(2, 4))
                .containsExactly(
                        "venue backpack: last read OK 2026-03-02 10:01:00 (0s ago)",
                        "venue hibachi: last read OK 2026-03-02 10:01:00 (0s ago)");
    }

    @Test
    void statusAsJsonNamesTheDatabaseColumnsAndKeepsTheBannerOffStdout() throws Exception {
        Path conf = config();
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        try (SimWorld world = SimWorld.open(cfg.sim(), clock);
                Orchestrator o = orchestrator(cfg, world, clock)) {
            o.step();
            clock.advance(Duration.ofMinutes(1));
            o.step();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new StatusCommand(clock));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("--format", "json", "--config", conf.toString())).isZero();
        assertThat(err.toString().strip()).isEqualTo("sim database " + dir.resolve("bot.db"));

        JsonNode status = new ObjectMapper().readTree(out.toString());
        assertThat(status.at("/opening/state").asText()).isEqualTo("allowed");
        assertThat(status.get("pairs")).hasSize(1);
        JsonNode pair = status.at("/pairs/0");
        assertThat(pair.get("id").asLong()).isEqualTo(1);
        assertThat(pair.get("status").asText()).isEqualTo("OPEN");
        assertThat(pair.get("seconds_left").asLong()).isEqualTo(59 * 60);
        Leg longLeg = Store.open(dir.resolve("bot.db")).legs(1).get(0);
        JsonNode leg = pair.at("/legs/0");
        assertThat(leg.get("side").asText()).isEqualTo("LONG");
        assertThat(leg.get("venue").asText()).isEqualTo("backpack");
        assertThat(leg.get("symbol").asText()).isEqualTo("BTC_USDC_PERP");
        assertThat(new BigDecimal(leg.get("held").asText()))
                .isEqualByComparingTo(longLeg.size())
                .isPositive();
        assertThat(new BigDecimal(leg.get("entry_price").asText())).isEqualByComparingTo(longLeg.entryPrice());
        assertThat(leg.get("suspect_since").isNull()).isTrue();
        assertThat(pair.at("/legs/1/side").asText()).isEqualTo("SHORT");
        assertThat(pair.at("/mark/at").asText()).isEqualTo("2026-03-02T10:01:00Z");
        assertThat(new BigDecimal(pair.at("/mark/long_venue_ratio").asText())).isGreaterThan(BigDecimal.ONE);

        assertOneLineError(run("status", "--format", "csv", "--config", conf.toString()), "csv");
    }

    @Test
    void alertsAsJsonAreValidNewestFirstAndNamedLikeTheTable() throws Exception {
        Path conf = config();
        Store store = Store.open(dir.resolve("bot.db"));
        store.insertAlert(
                Instant.parse("2026-03-02T10:00:00Z"),
                "WARN",
                "PRICE_SUSPECT",
                null,
                null,
                "marks differ by \"2%\"\nsecond line");
        store.insertAlert(
                Instant.parse("2026-03-02T11:00:00Z"), "ERROR", "LEG_MISSING", 7L, HibachiExchange.VENUE, "gone");

        CliResult r = run("alerts", "--format", "json", "--config", conf.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("database " + dir.resolve("bot.db"));
        JsonNode alerts = new ObjectMapper().readTree(r.out()).get("alerts");
        assertThat(alerts).hasSize(2);
        assertThat(alerts.at("/0/at").asText()).isEqualTo("2026-03-02T11:00:00Z");
        assertThat(alerts.at("/0/level").asText()).isEqualTo("ERROR");
        assertThat(alerts.at("/0/kind").asText()).isEqualTo("LEG_MISSING");
        assertThat(alerts.at("/0/pair_id").asLong()).isEqualTo(7);
        assertThat(alerts.at("/0/venue").asText()).isEqualTo("hibachi");
        assertThat(alerts.at("/1/pair_id").isNull()).isTrue();
        assertThat(alerts.at("/1/message").asText()).isEqualTo("marks differ by \"2%\"\nsecond line");

        CliResult table = run("alerts", "--config", conf.toString());
        assertThat(table.out().lines().toList().get(1).split(" +"))
                .containsExactly("AT", "LEVEL", "KIND", "PAIR_ID", "VENUE", "MESSAGE");
        assertThat(run("alerts", "--format", "json", "--limit", "1", "--config", conf.toString())
                        .out())
                .contains("LEG_MISSING")
                .doesNotContain("PRICE_SUSPECT");
    }

    @Test
    void checkReadsEachVenueOnceAndMasksSecrets() throws Exception {
        Path conf = config();
        Files.writeString(
                conf,
                Files.readString(conf)
                        + "exchanges.hibachi { api_key = \"HBKEY-should-never-print\", api_secret = \"HB-SECRET-never-print\" }\n");
        CliResult r = run("check", "--config", conf.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains(
                        "configuration OK (mode sim)",
                        "backpack:",
                        "hibachi:",
                        "equity 10000.00",
                        "configured markets tradable on both: BTC",
                        "exchanges.hibachi.api_key = ****");
        assertThat(r.out() + r.err()).doesNotContain("should-never-print").doesNotContain("never-print");
    }

    @Test
    void aSecondBotOnTheSameDatabaseExitsTwoBeforeTouchingAVenue() throws Exception {
        Path conf = config();
        try (var running = InstanceLock.acquire(dir.resolve("bot.db"))) {
            CliResult r = run("run", "--config", conf.toString());
            assertOneLineError(r, "another perp-trader is already running on");
        }
        assertThat(Files.exists(dir.resolve("sim.db")))
                .as("no venue was opened")
                .isFalse();
    }

    @Test
    void closeAllListsOnDryRunAsksForConfirmationAndThenUnwinds() throws Exception {
        Path conf = config();
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        MutableClock clock = new MutableClock(Instant.now());
        try (SimWorld world = SimWorld.open(cfg.sim(), clock);
                Orchestrator o = orchestrator(cfg, world, clock)) {
            o.step();
        }

        CliResult dry = run("close-all", "--dry-run", "--config", conf.toString());
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).contains("would close 1 pair(s)", "pair 1 BTC OPEN", "LONG", "SHORT");

        CliResult refused = run("close-all", "--config", conf.toString());
        assertOneLineError(refused, "add --yes");
        assertThat(refused.out())
                .as("refused before any closing text")
                .doesNotContain("clos")
                .doesNotContain("pair 1");
        assertThat(run("status", "--config", conf.toString()).out()).contains("pair 1");

        CliResult done = run("close-all", "--yes", "--config", conf.toString());
        assertThat(done.code()).isZero();
        assertThat(done.out()).contains("pair 1 BTC: CLOSED", "all pairs are flat");
        Store store = Store.open(cfg.database().path());
        assertThat(store.pair(1).orElseThrow().closeReason()).isEqualTo("CLOSE_ALL");
        try (SimWorld world = SimWorld.open(cfg.sim(), Clock.systemUTC())) {
            assertThat(world.venue(BackpackExchange.VENUE).account().positions())
                    .isEmpty();
            assertThat(world.venue(HibachiExchange.VENUE).account().positions()).isEmpty();
        }
        assertThat(run("close-all", "--yes", "--config", conf.toString()).out()).contains("nothing to close");
    }

    @Test
    void recoverResolvesAPairACrashLeftOpeningAndOpensNothing() throws Exception {
        Path conf = config();
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        BigDecimal qty = new BigDecimal("0.005");
        try (SimWorld world = SimWorld.open(cfg.sim(), Clock.systemUTC())) {
            Store store = Store.open(cfg.database().path());
            String longCid = world.venue(BackpackExchange.VENUE).newClientId();
            store.createPair(
                    new Store.NewPair(
                            "BTC",
                            Mode.SIM,
                            new BigDecimal("2"),
                            qty,
                            new BigDecimal("300"),
                            3_600_000L,
                            BackpackExchange.VENUE,
                            "BTC_USDC_PERP",
                            longCid,
                            HibachiExchange.VENUE,
                            "BTC/USDT-P",
                            world.venue(HibachiExchange.VENUE).newClientId()),
                    Instant.now());
            world.venue(BackpackExchange.VENUE)
                    .placeMarketOrder(new OrderRequest("BTC_USDC_PERP", OrderSide.BUY, qty, false, longCid));
        }

        CliResult r = run("recover", "--config", conf.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("pair 1 BTC: OPENING -> ROLLED_BACK");
        assertThat(run("recover", "--config", conf.toString()).out()).contains("nothing to recover");
        try (SimWorld world = SimWorld.open(cfg.sim(), Clock.systemUTC())) {
            assertThat(world.venue(BackpackExchange.VENUE).account().positions())
                    .isEmpty();
        }
        assertThat(Store.open(cfg.database().path()).pairs(EnumSet.allOf(PairStatus.class)))
                .hasSize(1);
    }

    @Test
    void resumeLiftsAPauseThatStatusShows() throws Exception {
        Path conf = config();
        Store store = Store.open(dir.resolve("bot.db"));
        store.pauseOpening("hibachi refused our signature or key", Instant.parse("2026-03-02T10:00:00Z"));

        CliResult paused = run("status", "--config", conf.toString());
        assertThat(paused.code()).isZero();
        assertThat(paused.out())
                .contains(
                        "opening: PAUSED since 2026-03-02 10:00:00: hibachi refused our signature",
                        "'perp-trader resume' lifts it");

        JsonNode pausedJson = json(run("status", "--format", "json", "--config", conf.toString()));
        assertThat(pausedJson.at("/opening/state").asText()).isEqualTo("paused");
        assertThat(pausedJson.at("/opening/cause").asText()).isEqualTo("hibachi refused our signature or key");
        assertThat(pausedJson.at("/opening/paused_at").asText()).isEqualTo("2026-03-02T10:00:00Z");

        CliResult resumed = run("resume", "--config", conf.toString());
        assertThat(resumed.code()).isZero();
        assertThat(resumed.out()).contains("opening resumed; it was paused since 2026-03-02 10:00:00");
        assertThat(store.openingPause()).isEmpty();
        assertThat(run("status", "--config", conf.toString()).out()).contains("opening: allowed");
        assertThat(run("resume", "--config", conf.toString()).out()).contains("opening was not paused");
    }

    // ------------------------------------------------------------------ one database, one mode

    @Test
    void runWithoutModeOnALiveDatabaseRefusesBeforeTouchingAVenue() throws Exception {
        Path conf = config();
        Store live = liveBook(PairStatus.OPEN);
        int orders = live.allOrders().size();

        CliResult r = run("run", "--config", conf.toString());
        assertOneLineError(
                r,
                dir.resolve("bot.db") + " is a live database but this run is in sim mode: "
                        + "run with --mode live to use it, or point database.url at a sim database (unset, each mode uses its"
                        + " own file)");
        assertThat(live.allOrders()).as("no order written").hasSize(orders);
        assertThat(live.pair(1).orElseThrow().status())
                .as("the live pair untouched")
                .isEqualTo(PairStatus.OPEN);
        assertThat(live.alerts(10)).as("no LEG_MISSING or any alert").isEmpty();
        assertThat(Files.exists(dir.resolve("sim.db")))
                .as("no sim venue opened")
                .isFalse();
    }

    @Test
    void closeAllWithoutModeOnALiveDatabaseActsInLiveModeNotSim() throws Exception {
        Path conf = config();
        Store live = liveBook(PairStatus.OPEN);
        int orders = live.allOrders().size();

        CliResult r = run("close-all", "--yes", "--config", conf.toString());
        // live mode: the live venues are built, and without keys that stops with one line
        assertOneLineError(r, "config error: exchanges.backpack.api_secret is required");
        assertThat(r.out()).startsWith("live database " + dir.resolve("bot.db") + "\n");
        assertThat(live.allOrders()).as("no sim close orders in the live book").hasSize(orders);
        assertThat(live.pair(1).orElseThrow().status())
                .as("not moved to CLOSING")
                .isEqualTo(PairStatus.OPEN);
        assertThat(Files.exists(dir.resolve("sim.db")))
                .as("no sim venue opened")
                .isFalse();
    }

    @Test
    void recoverOnALiveDatabaseActsInLiveModeNotSim() throws Exception {
        Path conf = config();
        Store live = liveBook(PairStatus.OPENING);
        int orders = live.allOrders().size();

        CliResult r = run("recover", "--config", conf.toString());
        assertOneLineError(r, "config error: exchanges.backpack.api_secret is required");
        assertThat(r.out()).startsWith("live database " + dir.resolve("bot.db"));
        assertThat(live.allOrders()).hasSize(orders);
        assertThat(live.pair(1).orElseThrow().status()).isEqualTo(PairStatus.OPENING);
        assertThat(Files.exists(dir.resolve("sim.db"))).isFalse();
    }

    @Test
    void aDatabaseFromBeforeModesWereRecordedWithLivePairsIsLive() throws Exception {
        Path conf = config();
        Path file = dir.resolve("bot.db");
        Database.openMigrated(file, "/perp_trader.db.schema.sql", List.of("002_orphan_orders.sql"))
                .useHandle(h -> h.execute("""
                INSERT INTO hedge_pairs (asset, long_venue, short_venue, mode, leverage, quantity, notional, status,
                    duration_ms, created_at, updated_at)
                VALUES ('BTC', 'BACKPACK', 'HIBACHI', 'LIVE', '2', '0.01', '600', 'OPEN', 1, 1, 1)"""));

        CliResult status = run("status", "--config", conf.toString());
        assertThat(status.code()).isZero();
        assertThat(status.out()).startsWith("live database " + file + "\n").contains("pair 1", "OPEN");
        assertOneLineError(run("run", "--config", conf.toString()), "is a live database but this run is in sim mode");
        assertThat(Files.exists(dir.resolve("sim.db"))).isFalse();
    }

    @Test
    void aLiveRunRefusesASimBookLeftInTheLiveFileByAnOlderVersion() {
        Store.open(dir.resolve("perp_trader.db")).claimMode(Mode.SIM);
        AppConfig live = ConfigLoader.load(null, false, dir, Map.of(), Map.of("mode", "live"));
        assertThatThrownBy(() -> RunCommand.book(live))
                .isInstanceOf(UsageError.class)
                .hasMessage(dir.resolve("perp_trader.db")
                        + " is a sim database but this run is in live mode: move it away (a sim"
                        + " book belongs in perp_trader_book_sim.db), or set database.url to a live database");
        AppConfig sim = ConfigLoader.load(null, false, dir, Map.of(), Map.of());
        assertThat(RunCommand.book(sim).file())
                .as("sim runs use their own file")
                .isEqualTo(dir.resolve("perp_trader_book_sim.db"));
    }

    @Test
    void aModeFlagTheDatabaseContradictsIsRefused() throws Exception {
        Path conf = config();
        liveBook(PairStatus.OPEN);
        assertOneLineError(
                run("status", "--mode", "sim", "--config", conf.toString()),
                dir.resolve("bot.db") + " is a live database, not sim: leave out --mode");
        assertThat(run("status", "--mode", "live", "--config", conf.toString()).code())
                .isZero();
    }

    @Test
    void readCommandsSayWhichModeAndFileTheyRead() throws Exception {
        Path conf = config();
        runOneCycle(conf);
        String banner = "sim database " + dir.resolve("bot.db");

        assertThat(run("status", "--config", conf.toString()).out()).startsWith(banner + "\n");
        assertThat(run("alerts", "--config", conf.toString()).out()).startsWith(banner + "\n");
        assertThat(run("history", "--config", conf.toString()).out()).startsWith(banner + "\nID ");
        CliResult csv = run("history", "--format", "csv", "--config", conf.toString());
        assertThat(csv.err().strip()).isEqualTo(banner);
        assertThat(csv.out()).startsWith("id,asset,");
        CliResult json = run("history", "--format", "json", "--config", conf.toString());
        assertThat(json.err().strip()).isEqualTo(banner);
        assertThat(new ObjectMapper().readTree(json.out()).has("pairs")).isTrue();
    }

    @Test
    void withoutDatabaseUrlTheOnePerModeFileHereIsUsedAndSeveralMustBeChosen() throws Exception {
        BookChoice choice = new BookChoice();
        AppConfig cfg = ConfigLoader.load(null, false, dir, Map.of(), Map.of());
        assertThatThrownBy(() -> choice.locate(cfg))
                .isInstanceOf(UsageError.class)
                .hasMessage("no database in " + dir
                        + " (looked for perp_trader.db, perp_trader_book_sim.db, perp_trader_book_paper.db): nothing has run"
                        + " here yet; start with 'perp-trader run', or set database.url");

        Store.open(dir.resolve("perp_trader.db")).claimMode(Mode.LIVE);
        assertThat(choice.locate(cfg))
                .as("the configured mode is sim, but the only book here is live")
                .isEqualTo(dir.resolve("perp_trader.db"));

        Store.open(dir.resolve("perp_trader_book_sim.db")).claimMode(Mode.SIM);
        assertThatThrownBy(() -> choice.locate(cfg))
                .isInstanceOf(UsageError.class)
                .hasMessage("several databases in "
                        + dir
                        + ": perp_trader.db (live), perp_trader_book_sim.db (sim); choose one with --mode live|sim,"
                        + " or set database.url");

        choice.mode = "sim";
        AppConfig sim = ConfigLoader.load(null, false, dir, Map.of(), Map.of("mode", "sim"));
        assertThat(choice.locate(sim)).isEqualTo(dir.resolve("perp_trader_book_sim.db"));
        AppConfig paper = ConfigLoader.load(null, false, dir, Map.of(), Map.of("mode", "paper"));
        assertThatThrownBy(() -> choice.locate(paper))
                .hasMessageStartingWith("no database at " + dir.resolve("perp_trader_book_paper.db"));
    }

    // ------------------------------------------------------------------ secrets others can read

    @Test
    void liveModeRefusesASecretFileOthersCanReadAndSimOnlyWarns() throws Exception {
        assumeTrue(posix());
        Path conf = config();
        Files.writeString(
                conf,
                Files.readString(conf)
                        + "exchanges.hibachi { api_key = \"HBKEY-readable\", api_secret = \"HB-SECRET-readable\" }\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));

        CliResult live = run("run", "--mode", "live", "--config", conf.toString());
        assertOneLineError(live, conf + " holds API secrets and other users can read it: run 'chmod 600 " + conf + "'");
        assertThat(live.err()).doesNotContain("readable\"").doesNotContain("HB-SECRET");
        assertThat(Files.exists(dir.resolve("bot.db")))
                .as("refused before anything")
                .isFalse();

        assertThat(run("check", "--config", conf.toString()).code())
                .as("sim mode only warns")
                .isZero();

        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        assertOneLineError(
                run("run", "--mode", "live", "--config", conf.toString()), "exchanges.backpack.api_secret is required");
    }

    @Test
    void closeAllOnALiveDatabaseRefusesASecretFileOthersCanRead() throws Exception {
        assumeTrue(posix());
        Path conf = config();
        Files.writeString(conf, Files.readString(conf) + "exchanges.hibachi.api_secret = \"HB-SECRET-readable\"\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));
        Store live = liveBook(PairStatus.OPEN);

        assertOneLineError(run("close-all", "--yes", "--config", conf.toString()), "run 'chmod 600 " + conf + "'");
        assertThat(live.pair(1).orElseThrow().status()).isEqualTo(PairStatus.OPEN);
    }

    // ------------------------------------------------------------------ a database it cannot use

    @Test
    void runStopsWithOneLineOnADatabaseItCannotUse() throws Exception {
        Path conf = config();
        Path file = dir.resolve("bot.db");

        Files.createDirectory(file);
        assertOneLineError(
                run("run", "--config", conf.toString()),
                "perp-trader: cannot use the database " + file + ": it is a directory, not a database file");
        Files.delete(file);

        Files.writeString(file, "not a database\n".repeat(300));
        assertOneLineError(
                run("run", "--config", conf.toString()),
                "perp-trader: cannot use the database " + file + ": it is not a SQLite database, or it is damaged");
        Files.delete(file);

        Store.open(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(18);
            raf.write(3); // file format write version 3: SQLite opens it read-only, even for root
        }
        assertOneLineError(
                run("run", "--config", conf.toString()),
                "perp-trader: cannot use the database " + file + ": SQLite can only read it");
        assertThat(Files.exists(dir.resolve("sim.db"))).as("no venue touched").isFalse();
    }

    @Test
    void runStopsWithOneLineOnAReadOnlyDatabaseOrFolder() throws Exception {
        assumeTrue(posix());
        assumeFalse("root".equals(System.getProperty("user.name")), "root writes read-only files");
        Path conf = config();
        Path file = dir.resolve("bot.db");
        Store.open(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertOneLineError(
                run("run", "--config", conf.toString()),
                "perp-trader: cannot use the database " + file + ": the file is read-only (run 'chmod u+w " + file
                        + "')");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        try {
            CliResult r = run("run", "--config", conf.toString());
            assertOneLineError(r, "permission denied (its folder is not writable)");
            assertThat(r.err().split(Pattern.quote(dir.toString()), -1))
                    .as("the path once")
                    .hasSize(2);
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aMarginAbove1e9IsRefusedAtStartNamingTheKey() throws Exception {
        Path conf = config();
        Files.writeString(conf, Files.readString(conf) + "trading.max_margin_usd = 1e309\n");
        CliResult r = run("run", "--config", conf.toString());
        assertOneLineError(r, "trading.max_margin_usd (1E+309) must be <= 1000000000");
        assertThat(Files.exists(dir.resolve("sim.db"))).as("no venue touched").isFalse();
    }

    @Test
    void aMarketOnNeitherVenueIsRefusedAtStartNamingIt() throws Exception {
        Path conf = config();
        Files.writeString(conf, Files.readString(conf) + "trading.markets = [BTC, DOGE]\n");
        CliResult r = run("run", "--config", conf.toString());
        assertOneLineError(r, "trading.markets: DOGE is listed on neither backpack nor hibachi (sim mode)");
        assertThat(Files.exists(dir.resolve("bot.db"))).as("no book made").isFalse();
    }

    @Test
    void aGarbageSimStateFileIsOneLineNamingIt() throws Exception {
        Path conf = config();
        Path sim = dir.resolve("sim.db");
        Files.writeString(sim, "not a database\n".repeat(300));
        for (String command : List.of("run", "check")) {
            CliResult r = run(command, "--config", conf.toString());
            assertThat(r.code()).as(command).isEqualTo(2);
            assertThat(r.err().strip())
                    .as(command)
                    .doesNotContain("\n")
                    .doesNotContain("Exception")
                    .isEqualTo("perp-trader: cannot use the sim venue state file " + sim
                            + ": it is not a SQLite database, or it is damaged: restore it from a backup, "
                            + "or move it away to start afresh");
        }
    }

    /** bot.db as a live bot left it: one LIVE pair in {@code status}, with its two opening orders. */
    private Store liveBook(PairStatus status) {
        Store store = Store.open(dir.resolve("bot.db"));
        long id = store.createPair(
                new Store.NewPair(
                        "BTC",
                        Mode.LIVE,
                        new BigDecimal("2"),
                        new BigDecimal("0.01"),
                        new BigDecimal("600"),
                        3_600_000L,
                        BackpackExchange.VENUE,
                        "BTC_USDC_PERP",
                        "live-l",
                        HibachiExchange.VENUE,
                        "BTC/USDT-P",
                        "live-s"),
                Instant.parse("2026-03-02T10:00:00Z"));
        if (status == PairStatus.OPEN) {
            store.markOpen(
                    id,
                    PairStatus.OPENING,
                    new BigDecimal("0.01"),
                    Instant.parse("2026-03-02T10:00:01Z"),
                    Instant.parse("2026-03-02T11:00:01Z"));
        }
        return store;
    }

    private boolean posix() throws Exception {
        return Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    private Path config() throws Exception {
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, """
                database.url = "%s"
                sim { state_file = "%s", volatility_annual = 0, basis_noise_bps = 0 }
                trading { markets = [BTC], min_duration_hours = 1, max_duration_hours = 1,
                          min_cooldown_seconds = 600, max_cooldown_seconds = 600,
                          kill_switch_file = "%s" }
                """.formatted(dir.resolve("bot.db"), dir.resolve("sim.db"), dir.resolve("STOP")));
        return conf;
    }

    private Orchestrator orchestrator(AppConfig cfg, SimWorld world, MutableClock clock) {
        Map<Venue, PerpExchange> venues = new TreeMap<>();
        venues.put(BackpackExchange.VENUE, world.venue(BackpackExchange.VENUE));
        venues.put(HibachiExchange.VENUE, world.venue(HibachiExchange.VENUE));
        return new Orchestrator(cfg, Store.open(cfg.database().path()), new Venues(venues), clock, new Random(1));
    }

    /**
     * Opens a pair at 10:00 UTC on 2026-03-02 and each following day; each closes (EXPIRED) an
     * hour later. Returns the closed pairs, oldest first.
     */
    private List<HedgePair> runDailyCycles(Path conf, int days) {
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        try (SimWorld world = SimWorld.open(cfg.sim(), clock);
                Orchestrator o = orchestrator(cfg, world, clock)) {
            for (int d = 0; d < days; d++) {
                clock.set(Instant.parse("2026-03-02T10:00:00Z").plus(Duration.ofDays(d)));
                o.step();
                clock.advance(Duration.ofHours(1));
                o.step();
            }
        }
        List<HedgePair> closed = Store.open(cfg.database().path()).pairs(List.of(PairStatus.CLOSED));
        assertThat(closed).as("one closed pair a day").hasSize(days);
        return closed;
    }

    private static JsonNode json(CliResult r) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static List<Long> ids(JsonNode history) {
        List<Long> ids = new ArrayList<>();
        history.get("pairs").forEach(p -> ids.add(p.get("id").asLong()));
        return ids;
    }

    private static List<Map<String, String>> csvRows(String csv) throws Exception {
        CsvMapper mapper = new CsvMapper();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(csv)) {
            return it.readAll();
        }
    }

    private void runOneCycle(Path conf) {
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        try (SimWorld world = SimWorld.open(cfg.sim(), clock);
                Orchestrator o = orchestrator(cfg, world, clock)) {
            o.step();
            clock.advance(Duration.ofHours(1));
            o.step();
        }
    }
}
