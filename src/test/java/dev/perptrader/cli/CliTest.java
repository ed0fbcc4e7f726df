package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.Orchestrator;
import dev.perptrader.trader.Venues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user meets it: exit codes, one-line errors, history and status output. */
final class CliTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertOneLineError(Result r, String contains) {
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
    void configProblemsAreOneLineAndExitTwo() throws Exception {
        assertOneLineError(run("run", "--config", dir.resolve("missing.conf").toString()), "config file not found");
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "trading { min_leverage = 4\n max_leverage = 3 }\n");
        assertOneLineError(run("run", "--config", bad.toString()), "trading.min_leverage (4) must be <= trading.max_leverage (3)");
        Path mode = dir.resolve("mode.conf");
        Files.writeString(mode, "mode = moon\n");
        assertOneLineError(run("status", "--config", mode.toString()), "unknown mode 'moon'");
    }

    @Test
    void liveWithoutKeysStopsWithOneLineBeforeTrading() throws Exception {
        Path conf = config();
        Result r = run("run", "--mode", "live", "--config", conf.toString());
        assertOneLineError(r, "exchanges.backpack.api_secret is required");
        assertThat(r.err()).startsWith("config error: ");
        assertThat(Files.exists(dir.resolve("bot.db"))).as("nothing traded, no database made").isFalse();
    }

    @Test
    void liveWithAMismatchedBackpackKeyNamesTheKeyNotTheSecret() throws Exception {
        Path conf = config();
        Files.writeString(conf, Files.readString(conf) + """
                exchanges.backpack { api_key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                     api_secret = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=" }
                """);
        Result r = run("run", "--mode", "live", "--config", conf.toString());
        assertOneLineError(r, "exchanges.backpack.api_key");
        assertThat(r.err()).doesNotContain("AQEBAQEBAQEBAQEB");
    }

    @Test
    void readCommandsExplainAMissingDatabase() throws Exception {
        Result r = run("history", "--config", config().toString());
        assertOneLineError(r, "no database at");
    }

    @Test
    void historyShowsClosedPairsWithTotalsInEveryFormat() throws Exception {
        Path conf = config();
        runOneCycle(conf);

        Result table = run("history", "--config", conf.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("ASSET", "NET", "POINTS", "EXPIRED", "TOTAL", "1 pairs", "backpack", "hibachi");

        Result csv = run("history", "--format", "csv", "--config", conf.toString());
        assertThat(csv.out().lines().toList()).hasSize(2);
        assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("id,asset,long_venue,short_venue");

        Result json = run("history", "--format", "JSON", "--config", conf.toString());
        assertThat(json.out()).contains("\"pairs\"", "\"totals\"", "\"net_pnl\"");

        Result status = run("status", "--config", conf.toString());
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("no open pairs");
    }

    @Test
    void statusShowsLegsMarksAndTimeLeft() throws Exception {
        Path conf = config();
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-02T10:00:00Z"));
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
        assertThat(out.toString()).contains("pair 1", "OPEN", "LONG", "SHORT", "BTC_USDC_PERP", "BTC/USDT-P",
                "collateral ratio", "closes in 59m00s");
    }

    @Test
    void checkReadsEachVenueOnceAndMasksSecrets() throws Exception {
        Path conf = config();
        Files.writeString(conf, Files.readString(conf)
                + "exchanges.hibachi { api_key = \"HBKEY-should-never-print\", api_secret = \"HB-SECRET-never-print\" }\n");
        Result r = run("check", "--config", conf.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("configuration OK (mode sim)", "backpack:", "hibachi:",
                "equity 10000.00", "configured markets tradable on both: BTC", "exchanges.hibachi.api_key = ****");
        assertThat(r.out() + r.err()).doesNotContain("should-never-print").doesNotContain("never-print");
    }

    @Test
    void aSecondBotOnTheSameDatabaseExitsTwoBeforeTouchingAVenue() throws Exception {
        Path conf = config();
        try (var running = dev.perptrader.store.InstanceLock.acquire(dir.resolve("bot.db"))) {
            Result r = run("run", "--config", conf.toString());
            assertOneLineError(r, "another perp-trader is already running on");
        }
        assertThat(Files.exists(dir.resolve("sim.db"))).as("no venue was opened").isFalse();
    }

    @Test
    void closeAllListsOnDryRunAsksForConfirmationAndThenUnwinds() throws Exception {
        Path conf = config();
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        MutableClock clock = new MutableClock(java.time.Instant.now());
        try (SimWorld world = SimWorld.open(cfg.sim(), clock);
             Orchestrator o = orchestrator(cfg, world, clock)) {
            o.step();
        }

        Result dry = run("close-all", "--dry-run", "--config", conf.toString());
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).contains("would close 1 pair(s)", "pair 1 BTC OPEN", "LONG", "SHORT");

        assertOneLineError(run("close-all", "--config", conf.toString()), "add --yes");
        assertThat(run("status", "--config", conf.toString()).out()).contains("pair 1");

        Result done = run("close-all", "--yes", "--config", conf.toString());
        assertThat(done.code()).isZero();
        assertThat(done.out()).contains("pair 1 BTC: CLOSED", "all pairs are flat");
        Store store = Store.open(cfg.database().path());
        assertThat(store.pair(1).orElseThrow().closeReason()).isEqualTo("CLOSE_ALL");
        try (SimWorld world = SimWorld.open(cfg.sim(), java.time.Clock.systemUTC())) {
            assertThat(world.venue(Venue.BACKPACK).account().positions()).isEmpty();
            assertThat(world.venue(Venue.HIBACHI).account().positions()).isEmpty();
        }
        assertThat(run("close-all", "--yes", "--config", conf.toString()).out()).contains("nothing to close");
    }

    @Test
    void recoverResolvesAPairACrashLeftOpeningAndOpensNothing() throws Exception {
        Path conf = config();
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        java.math.BigDecimal qty = new java.math.BigDecimal("0.005");
        try (SimWorld world = SimWorld.open(cfg.sim(), java.time.Clock.systemUTC())) {
            Store store = Store.open(cfg.database().path());
            String longCid = world.venue(Venue.BACKPACK).newClientId();
            store.createPair(new Store.NewPair("BTC", dev.perptrader.domain.Mode.SIM, new java.math.BigDecimal("2"), qty,
                    new java.math.BigDecimal("300"), 3_600_000L, Venue.BACKPACK, "BTC_USDC_PERP", longCid,
                    Venue.HIBACHI, "BTC/USDT-P", world.venue(Venue.HIBACHI).newClientId()), java.time.Instant.now());
            world.venue(Venue.BACKPACK).placeMarketOrder(new dev.perptrader.exchange.OrderRequest("BTC_USDC_PERP",
                    dev.perptrader.domain.OrderSide.BUY, qty, false, longCid));
        }

        Result r = run("recover", "--config", conf.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("pair 1 BTC: OPENING -> ROLLED_BACK");
        assertThat(run("recover", "--config", conf.toString()).out()).contains("nothing to recover");
        try (SimWorld world = SimWorld.open(cfg.sim(), java.time.Clock.systemUTC())) {
            assertThat(world.venue(Venue.BACKPACK).account().positions()).isEmpty();
        }
        assertThat(Store.open(cfg.database().path()).pairs(java.util.EnumSet.allOf(
                dev.perptrader.domain.PairStatus.class))).hasSize(1);
    }

    @Test
    void resumeLiftsAPauseThatStatusShows() throws Exception {
        Path conf = config();
        Store store = Store.open(dir.resolve("bot.db"));
        store.pauseOpening("hibachi refused our signature or key", java.time.Instant.parse("2026-03-02T10:00:00Z"));

        Result paused = run("status", "--config", conf.toString());
        assertThat(paused.code()).isZero();
        assertThat(paused.out()).contains("opening: PAUSED since 2026-03-02 10:00:00: hibachi refused our signature",
                "'perp-trader resume' lifts it");

        Result resumed = run("resume", "--config", conf.toString());
        assertThat(resumed.code()).isZero();
        assertThat(resumed.out()).contains("opening resumed; it was paused since 2026-03-02 10:00:00");
        assertThat(store.openingPause()).isEmpty();
        assertThat(run("status", "--config", conf.toString()).out()).contains("opening: allowed");
        assertThat(run("resume", "--config", conf.toString()).out()).contains("opening was not paused");
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
        Map<Venue, PerpExchange> venues = new EnumMap<>(Venue.class);
        venues.put(Venue.BACKPACK, world.venue(Venue.BACKPACK));
        venues.put(Venue.HIBACHI, world.venue(Venue.HIBACHI));
        return new Orchestrator(cfg, Store.open(cfg.database().path()), new Venues(venues), clock, new Random(1));
    }

    private void runOneCycle(Path conf) {
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-02T10:00:00Z"));
        try (SimWorld world = SimWorld.open(cfg.sim(), clock);
             Orchestrator o = orchestrator(cfg, world, clock)) {
            o.step();
            clock.advance(Duration.ofHours(1));
            o.step();
        }
    }
}
