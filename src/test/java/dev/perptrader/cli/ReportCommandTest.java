package dev.perptrader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairResult;
import dev.perptrader.domain.PairSnapshot;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.PointsModel;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.Orchestrator;
import dev.perptrader.trader.Venues;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} on books written with the trader's own Store calls and by a sim run: every chart
 * drawn with data, every figure equal to {@code history}'s totals, one-line errors.
 */
final class ReportCommandTest {
    private static final Instant DAY1 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-03-03T10:00:00Z");
    private static final PointsModel POINTS = PointsModel.uniform(PointsModel.Rates.volumeOnly(new BigDecimal("0.5")));
    private static final Pattern ROW = Pattern.compile("<tr data-key=\"([^\"]+)\" data-value=\"([^\"]*)\">");
    private static final Pattern FIGURE = Pattern.compile(
            "<figure id=\"([^\"]+)\" data-points=\"(\\d+)\"><img alt=\"[^\"]*\" src=\"data:image/png;base64,([^\"]+)\">");

    @TempDir
    Path dir;

    @Test
    void everyChartIsDrawnAndTheFiguresAreHistorysTotals() throws Exception {
        Path db = dir.resolve("book.db");
        try (Store store = Store.open(db)) {
            seedTwoClosedAndOneOpen(store);
        }
        Path out = dir.resolve("out").resolve("report.html");

        CliResult r = CliResult.run("report", "--db", db.toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("report written to " + out.toAbsolutePath() + ": 2 ended pairs");
        String html = Files.readString(out);
        assertSelfContained(html);
        Map<String, Integer> charts = charts(html);
        assertThat(charts)
                .containsOnlyKeys("chart-cumulative", "chart-fees-funding", "chart-net-pnl", "chart-collateral")
                .containsEntry("chart-cumulative", 2)
                .containsEntry("chart-net-pnl", 2)
                .containsEntry("chart-fees-funding", 4)
                // backpack and hibachi at 10:01, 10:30, 10:59 of day 1 and 2, and twice for the open pair
                .containsEntry("chart-collateral", 16);

        Map<String, String> f = figures(html);
        JsonNode totals = historyTotals("--db", db.toString());
        assertEqualToHistory(f, totals);
        assertThat(f)
                .containsEntry("pairs", "2")
                .containsEntry("rollbacks", "0")
                .containsEntry("liquidations", "0");
        // slippage of pair 1: 0.30 + 0.20 + 0.20 + 0.25; of pair 2: 0.10 + 0.15 + 0.05 + 0.20
        assertThat(money(f, "slippage_usd")).isEqualByComparingTo("1.45");
        assertThat(money(f, "fees_usd_backpack")).isEqualByComparingTo("1.10"); // 0.30 + 0.30 + 0.25 + 0.25
        assertThat(money(f, "fees_usd_hibachi")).isEqualByComparingTo("0.98"); // 0.24 + 0.24 + 0.25 + 0.25
        assertThat(money(f, "funding_usd_backpack")).isEqualByComparingTo("0.01"); // -0.05 (long) + 0.06 (short)
        assertThat(money(f, "funding_usd_hibachi")).isEqualByComparingTo("0.04"); // 0.08 (short) - 0.04 (long)
        BigDecimal netCost = money(f, "fees_usd").add(money(f, "slippage_usd")).subtract(money(f, "funding_usd"));
        assertThat(money(f, "net_cost_usd")).isEqualByComparingTo(netCost).isEqualByComparingTo("3.48");
        assertThat(money(f, "cost_per_1m_usd"))
                .isEqualByComparingTo(netCost.multiply(new BigDecimal("1000000"))
                        .divide(money(f, "volume_usd"), MathContext.DECIMAL128));
        assertThat(money(f, "cost_per_point_usd"))
                .isEqualByComparingTo(netCost.divide(money(f, "points"), MathContext.DECIMAL128));
        assertThat(money(f, "price_pnl_usd"))
                .isEqualByComparingTo(money(f, "realized_pnl_usd").add(money(f, "slippage_usd")));
        assertThat(money(f, "net_pnl_usd"))
                .isEqualByComparingTo(money(f, "price_pnl_usd").subtract(netCost));
        assertThat(f.get("worst_pair_net_pnl_usd")).isNotEmpty();
        assertThat(money(f, "collateral_ratio_min")).isEqualByComparingTo("2.5");
        assertThat(money(f, "collateral_ratio_max")).isEqualByComparingTo("5");
        assertThat(html).contains("measured on 8 of 8 fills", "1 pair has not ended and is not counted");
        if (posix()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                    .as("it holds money figures")
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aRollbackIsCountedAndItsCostAddedToTheClosedPairsHistoryLists() throws Exception {
        Path db = dir.resolve("book.db");
        HedgePair rolledBack;
        try (Store store = Store.open(db)) {
            seedTwoClosedAndOneOpen(store);
            rolledBack = seedRollback(store);
        }
        Path out = dir.resolve("report.html");
        CliResult r = CliResult.run("report", "--db", db.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String html = Files.readString(out);
        Map<String, String> f = figures(html);
        JsonNode totals = historyTotals("--db", db.toString());
        assertThat(f)
                .containsEntry("pairs", "3")
                .containsEntry("closed_pairs", "2")
                .containsEntry("rollbacks", "1");
        assertThat(money(f, "fees_usd"))
                .isEqualByComparingTo(dec(totals, "fees").add(rolledBack.fees()));
        assertThat(money(f, "volume_usd"))
                .isEqualByComparingTo(dec(totals, "volume").add(rolledBack.volume()));
        assertThat(money(f, "points"))
                .isEqualByComparingTo(dec(totals, "points").add(rolledBack.points()));
        assertThat(money(f, "net_pnl_usd"))
                .isEqualByComparingTo(dec(totals, "net_pnl")
                        .add(rolledBack.realizedPnl())
                        .subtract(rolledBack.fees())
                        .add(rolledBack.funding()));
        assertThat(html)
                .contains("measured on 8 of 10 fills", "and 1 rolled back or failed open, whose fees and volume");
        assertThat(charts(html)).containsEntry("chart-cumulative", 3).containsEntry("chart-net-pnl", 3);
    }

    @Test
    void aSimRunsBookGivesTheSameFiguresAsHistory() throws Exception {
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, """
                database.url = "%s"
                sim { state_file = "%s", basis_noise_bps = 0 }
                trading { markets = [BTC], min_duration_hours = 1, max_duration_hours = 1,
                          min_cooldown_seconds = 600, max_cooldown_seconds = 600,
                          kill_switch_file = "%s" }
                """.formatted(dir.resolve("bot.db"), dir.resolve("sim.db"), dir.resolve("STOP")));
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());
        MutableClock clock = new MutableClock(DAY1);
        try (SimWorld world = SimWorld.open(cfg.sim(), clock)) {
            Map<Venue, PerpExchange> venues = new TreeMap<>();
            venues.put(BackpackExchange.VENUE, world.venue(BackpackExchange.VENUE));
            venues.put(HibachiExchange.VENUE, world.venue(HibachiExchange.VENUE));
            try (Orchestrator o = new Orchestrator(
                    cfg, Store.open(cfg.database().path()), new Venues(venues), clock, new Random(1))) {
                for (int day = 0; day < 3; day++) {
                    clock.set(DAY1.plus(Duration.ofDays(day)));
                    for (int minute = 0; minute <= 60; minute += 5) {
                        o.step();
                        clock.advance(Duration.ofMinutes(5));
                    }
                }
            }
        }
        Path out = dir.resolve("sim-report.html");

        CliResult r = CliResult.run("report", "--config", conf.toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("sim database " + dir.resolve("bot.db"));
        String html = Files.readString(out);
        assertSelfContained(html);
        assertThat(charts(html))
                .containsOnlyKeys("chart-cumulative", "chart-fees-funding", "chart-net-pnl", "chart-collateral")
                .containsEntry("chart-cumulative", 3);
        Map<String, String> f = figures(html);
        assertEqualToHistory(f, historyTotals("--config", conf.toString()));
        assertThat(money(f, "slippage_usd"))
                .as("the sim charges slippage_bps on every fill")
                .isPositive();
        assertThat(html).contains("measured on 12 of 12 fills");
        assertThat(money(f, "collateral_ratio_avg")).isPositive();
    }

    @Test
    void anEmptyBookGivesAReportThatSaysSo() throws Exception {
        Path db = dir.resolve("empty.db");
        Store.open(db).close();
        Path out = dir.resolve("report.html");

        CliResult r = CliResult.run("report", "--db", db.toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(": 0 ended pairs");
        String html = Files.readString(out);
        assertSelfContained(html);
        assertThat(html).contains("id=\"empty\"", "No pair has ended in this database yet");
        assertThat(figures(html)).isEmpty();
        assertThat(charts(html)).isEmpty();
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        Path db = dir.resolve("book.db");
        Store.open(db).close();
        Path aFile = dir.resolve("a-file");
        Files.writeString(aFile, "x");
        Path garbage = dir.resolve("garbage.db");
        Files.writeString(garbage, "not a database at all, not even close ".repeat(40));

        assertOneLineError(
                CliResult.run("report", "--db", dir.resolve("missing.db").toString()),
                "no database at " + dir.resolve("missing.db") + " (--db)");
        assertOneLineError(
                CliResult.run(
                        "report",
                        "--db",
                        db.toString(),
                        "--out",
                        aFile.resolve("report.html").toString()),
                "cannot write the report to " + aFile.resolve("report.html") + ": " + aFile
                        + " is a file, not a folder");
        assertOneLineError(
                CliResult.run("report", "--db", db.toString(), "--out", dir.toString()),
                "--out " + dir + " is a folder: name a file");
        assertOneLineError(CliResult.run("report", "--db", garbage.toString()), garbage.toString());
        assertOneLineError(CliResult.run("report", "--db"), "Missing required parameter for option '--db'");
        assertThat(Files.readString(aFile)).isEqualTo("x");
    }

    // ------------------------------------------------------------------ checks

    private static void assertOneLineError(CliResult r, String contains) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(contains).doesNotContain("Exception");
    }

    /** No script, no link or image from elsewhere: the page opens with the network off. */
    private static void assertSelfContained(String html) {
        assertThat(html).startsWith("<!DOCTYPE html>").contains("</html>");
        assertThat(html.toLowerCase()).doesNotContain("<script", "http:", "https:", "<link", "@import", "url(");
        Matcher src = Pattern.compile("src=\"([^\"]{0,30})").matcher(html);
        while (src.find()) {
            assertThat(src.group(1)).startsWith("data:image/png;base64,");
        }
    }

    /**
     * Each chart's id and data-points, after checking its PNG decodes at full size and shows its
     * data series in their own colours (an axis-only chart would not).
     */
    private static Map<String, Integer> charts(String html) throws Exception {
        Map<String, Integer> found = new LinkedHashMap<>();
        Matcher m = FIGURE.matcher(html);
        while (m.find()) {
            String id = m.group(1);
            BufferedImage png =
                    ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(3))));
            assertThat(png).as(id + " decodes as PNG").isNotNull();
            assertThat(png.getWidth()).as(id).isEqualTo(ReportCharts.WIDTH);
            // each panel or series in its own colour (a venue's line drawn over another is dashed)
            List<List<Color>> series = switch (id) {
                case "chart-cumulative" ->
                    List.of(List.of(ReportCharts.VOLUME), List.of(ReportCharts.POINTS), List.of(ReportCharts.COST));
                case "chart-fees-funding" -> List.of(List.of(ReportCharts.FEES), List.of(ReportCharts.FUNDING));
                case "chart-net-pnl" -> List.of(List.of(ReportCharts.PNL));
                case "chart-collateral" ->
                    List.of(List.of(venueLine(BackpackExchange.VENUE)), List.of(venueLine(HibachiExchange.VENUE)));
                default -> throw new AssertionError("unexpected chart " + id);
            };
            for (List<Color> oneOf : series) {
                assertThat(oneOf.stream().mapToInt(c -> pixels(png, c)).sum())
                        .as(id + " draws " + oneOf)
                        .isGreaterThan(20);
            }
            int points = Integer.parseInt(m.group(2));
            assertThat(points).as(id + " has data").isPositive();
            found.put(id, points);
        }
        return found;
    }

    private static Color venueLine(Venue v) {
        return ReportCharts.VENUE_LINES.get(v.ordinal());
    }

    private static int pixels(BufferedImage png, Color c) {
        int n = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                if ((png.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The figures table: data-key to exact data-value. */
    private static Map<String, String> figures(String html) {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            rows.put(m.group(1), m.group(2));
        }
        return rows;
    }

    private static void assertEqualToHistory(Map<String, String> f, JsonNode totals) {
        assertThat(f.get("closed_pairs")).isEqualTo(totals.get("pairs").asText());
        assertThat(f.get("pairs")).isEqualTo(totals.get("pairs").asText());
        assertThat(money(f, "volume_usd")).isEqualByComparingTo(dec(totals, "volume"));
        assertThat(money(f, "points")).isEqualByComparingTo(dec(totals, "points"));
        assertThat(money(f, "fees_usd")).isEqualByComparingTo(dec(totals, "fees"));
        assertThat(money(f, "funding_usd")).isEqualByComparingTo(dec(totals, "funding"));
        assertThat(money(f, "realized_pnl_usd")).isEqualByComparingTo(dec(totals, "realized_pnl"));
        assertThat(money(f, "net_pnl_usd")).isEqualByComparingTo(dec(totals, "net_pnl"));
        assertThat(money(f, "fees_usd_backpack").add(money(f, "fees_usd_hibachi")))
                .isEqualByComparingTo(dec(totals, "fees"));
        assertThat(money(f, "funding_usd_backpack").add(money(f, "funding_usd_hibachi")))
                .isEqualByComparingTo(dec(totals, "funding"));
    }

    private static JsonNode historyTotals(String... book) throws Exception {
        String[] args = new String[book.length + 3];
        args[0] = "history";
        System.arraycopy(book, 0, args, 1, book.length);
        args[book.length + 1] = "--format";
        args[book.length + 2] = "json";
        CliResult r = CliResult.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get("totals");
    }

    private static BigDecimal money(Map<String, String> f, String key) {
        assertThat(f).containsKey(key);
        return new BigDecimal(f.get(key));
    }

    private static BigDecimal dec(JsonNode n, String key) {
        return new BigDecimal(n.get(key).asText());
    }

    private boolean posix() throws Exception {
        return Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    // ------------------------------------------------------------------ books

    /**
     * Pair 1 (day 1): LONG 0.01 BTC on backpack, SHORT on hibachi; pair 2 (day 2) the other way
     * round; each open an hour with three monitor marks. Pair 3 is still open, with two marks.
     */
    private static void seedTwoClosedAndOneOpen(Store store) {
        long p1 = open(store, BackpackExchange.VENUE, HibachiExchange.VENUE, DAY1, "60030", "0.30", "59990", "0.24");
        mark(store, p1, DAY1.plusSeconds(60), "60000", "60010", "5.0", "4.0");
        mark(store, p1, DAY1.plusSeconds(1800), "60100", "60110", "4.8", "3.9");
        mark(store, p1, DAY1.plusSeconds(3540), "60200", "60190", "4.5", "3.5");
        close(store, p1, DAY1.plusSeconds(3600), "60180", "0.30", "60215", "0.24", "-0.05", "0.08");

        long p2 = open(store, HibachiExchange.VENUE, BackpackExchange.VENUE, DAY2, "61010", "0.25", "60985", "0.25");
        mark(store, p2, DAY2.plusSeconds(60), "61000", "61000", "3.0", "4.2");
        mark(store, p2, DAY2.plusSeconds(1800), "60500", "60510", "2.5", "4.4");
        mark(store, p2, DAY2.plusSeconds(3540), "60400", "60400", "2.8", "4.1");
        close(store, p2, DAY2.plusSeconds(3600), "60395", "0.25", "60420", "0.25", "-0.04", "0.06");

        long p3 = open(
                store,
                BackpackExchange.VENUE,
                HibachiExchange.VENUE,
                DAY2.plusSeconds(7200),
                "60500",
                "0.3",
                "60490",
                "0.3");
        mark(store, p3, DAY2.plusSeconds(7260), "60500", "60500", "4.0", "3.0");
        mark(store, p3, DAY2.plusSeconds(7320), "60510", "60500", "4.0", "3.0");
    }

    /** An open whose SHORT the venue refused; its LONG was closed again (ROLLED_BACK). */
    private static HedgePair seedRollback(Store store) {
        Instant t = DAY2.plusSeconds(10_000);
        long id = store.createPair(newPair(BackpackExchange.VENUE, HibachiExchange.VENUE, t), t);
        List<OrderRecord> opens = store.orders(id);
        fill(store, opens.get(0), "60600", "0.30", t);
        store.markOrder(opens.get(1).id(), OrderStatus.REJECTED, "insufficient margin", t);
        Leg longLeg = store.legs(id).get(0);
        OrderRecord undo = store.recordOrder(longLeg, OrderPurpose.ROLLBACK, longLeg.size(), "rb-" + id, t);
        fill(store, undo, "60590", "0.30", t.plusSeconds(1));
        PairSnapshot s = store.snapshot(id);
        store.markEnded(
                id,
                PairStatus.OPENING,
                PairStatus.ROLLED_BACK,
                PairResult.of(
                        "ROLLED_BACK: hibachi refused",
                        s.legs(),
                        s.orders(),
                        BigDecimal.ZERO,
                        POINTS,
                        s.pair().openedAt(),
                        t.plusSeconds(2)),
                t.plusSeconds(2));
        return store.pair(id).orElseThrow();
    }

    private static long open(
            Store store,
            Venue longVenue,
            Venue shortVenue,
            Instant t,
            String longPx,
            String longFee,
            String shortPx,
            String shortFee) {
        long id = store.createPair(newPair(longVenue, shortVenue, t), t);
        List<OrderRecord> opens = store.orders(id);
        fill(store, opens.get(0), longPx, longFee, t);
        fill(store, opens.get(1), shortPx, shortFee, t);
        store.markOpen(id, PairStatus.OPENING, new BigDecimal("0.01"), t, t.plusSeconds(3600));
        return id;
    }

    private static void close(
            Store store,
            long id,
            Instant t,
            String longPx,
            String longFee,
            String shortPx,
            String shortFee,
            String longFunding,
            String shortFunding) {
        store.markClosing(id, PairStatus.OPEN, "EXPIRED", t);
        List<Leg> legs = store.legs(id); // LONG first
        fill(
                store,
                store.recordOrder(legs.get(0), OrderPurpose.CLOSE, legs.get(0).size(), "cl-" + id, t),
                longPx,
                longFee,
                t);
        fill(
                store,
                store.recordOrder(legs.get(1), OrderPurpose.CLOSE, legs.get(1).size(), "cs-" + id, t),
                shortPx,
                shortFee,
                t);
        store.setLegFunding(legs.get(0).id(), new BigDecimal(longFunding));
        store.setLegFunding(legs.get(1).id(), new BigDecimal(shortFunding));
        PairSnapshot s = store.snapshot(id);
        BigDecimal funding = new BigDecimal(longFunding).add(new BigDecimal(shortFunding));
        store.markEnded(
                id,
                PairStatus.CLOSING,
                PairStatus.CLOSED,
                PairResult.of(
                        "EXPIRED",
                        s.legs(),
                        s.orders(),
                        funding,
                        POINTS,
                        s.pair().openedAt(),
                        t),
                t);
    }

    private static void fill(Store store, OrderRecord o, String price, String fee, Instant t) {
        store.applyFill(
                o.id(),
                new Fill(
                        o.clientId(),
                        "v-" + o.clientId(),
                        o.symbol(),
                        o.side(),
                        OrderState.FILLED,
                        o.qty(),
                        new BigDecimal(price),
                        new BigDecimal(fee)),
                t);
    }

    private static void mark(
            Store store, long id, Instant at, String longMark, String shortMark, String lr, String sr) {
        store.insertMark(new Store.Mark(
                id,
                at,
                new BigDecimal(longMark),
                new BigDecimal(shortMark),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                new BigDecimal(lr),
                new BigDecimal(sr),
                BigDecimal.ZERO));
    }

    /** A pair's intent; its client ids are unique by the time it is recorded at. */
    private static Store.NewPair newPair(Venue longVenue, Venue shortVenue, Instant t) {
        return new Store.NewPair(
                "BTC",
                Mode.SIM,
                new BigDecimal("2"),
                new BigDecimal("0.01"),
                new BigDecimal("600"),
                3_600_000L,
                longVenue,
                symbol(longVenue),
                "o-" + t.toEpochMilli() + "-l",
                shortVenue,
                symbol(shortVenue),
                "o-" + t.toEpochMilli() + "-s");
    }

    private static String symbol(Venue v) {
        return v == BackpackExchange.VENUE ? "BTC_USDC_PERP" : "BTC/USDT-P";
    }
}
