package dev.perptrader.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.domain.Mode;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate} end to end in this JVM, on a configuration that keeps a simulated day short:
 * a 5-minute monitor and pairs held 2–4 hours.
 */
final class SimulateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path conf = dir.resolve("sim.conf");
        Files.writeString(conf, """
                monitor { interval_seconds = 300 }
                trading { markets = [BTC, ETH, SOL], min_duration_hours = 2, max_duration_hours = 4,
                          kill_switch_file = "%s" }
                """.formatted(dir.resolve("STOP")));
        return conf;
    }

    private static BigDecimal dec(JsonNode n, String key) {
        return new BigDecimal(n.get(key).asText());
    }

    @Test
    void printsWhatThePointsCostAndWritesTheSameFiguresUnderStableKeys() throws Exception {
        Path json = dir.resolve("figures.json");
        Path out = dir.resolve("book.db");
        CliResult r = CliResult.run(
                "simulate",
                "--config",
                config().toString(),
                "--days",
                "1",
                "--json",
                json.toString(),
                "--out",
                out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "perp-trader simulate: 1 days from 2026-01-01T00:00:00Z",
                        "cost per $1M volume",
                        "cost per point",
                        "net cost (fees + slippage - funding)",
                        "wall time");
        JsonNode f = JSON.readTree(json.toFile());
        for (String key : List.of(
                "days",
                "pairs",
                "volume_usd",
                "fees_usd",
                "slippage_usd",
                "funding_usd",
                "net_cost_usd",
                "cost_per_1m_usd",
                "points",
                "cost_per_point_usd",
                "liquidations",
                "rollbacks",
                "wall_seconds")) {
            assertThat(f.has(key)).as(key).isTrue();
        }
        assertThat(f.get("days").asInt()).isEqualTo(1);
        assertThat(f.get("pairs").asInt()).as("a day of 2–4 h pairs").isGreaterThanOrEqualTo(4);
        assertThat(dec(f, "net_cost_usd"))
                .as("net cost = fees + slippage - funding received")
                .isEqualByComparingTo(
                        dec(f, "fees_usd").add(dec(f, "slippage_usd")).subtract(dec(f, "funding_usd")));
        assertThat(dec(f, "cost_per_1m_usd"))
                .as("cost per $1M = net cost / volume x 1,000,000")
                .isCloseTo(
                        dec(f, "net_cost_usd")
                                .multiply(BigDecimal.valueOf(1_000_000))
                                .divide(dec(f, "volume_usd"), 30, RoundingMode.HALF_EVEN),
                        within(new BigDecimal("1e-20")));

        // the kept book is a normal database in mode 'simulate': history reads the same pairs
        CliResult history = CliResult.run("history", "--db", out.toString(), "--format", "json", "--limit", "1000");
        assertThat(history.code()).as(history.err()).isZero();
        JsonNode h = JSON.readTree(history.out().substring(history.out().indexOf('{')));
        assertThat(h.get("pairs").size())
                .isEqualTo(f.get("pairs").asInt() - f.get("rollbacks").asInt());
        try (Store book = Store.openForReading(out)) {
            assertThat(book.mode()).contains(Mode.SIMULATE);
        }

        // and report draws it: four charts, the same net cost
        Path html = dir.resolve("report.html");
        CliResult report = CliResult.run("report", "--db", out.toString(), "--out", html.toString());
        assertThat(report.code()).as(report.err()).isZero();
        String page = Files.readString(html);
        assertThat(page.split("data:image/png;base64,", -1)).hasSize(5);
        Matcher netCost = Pattern.compile("data-key=\"net_cost_usd\" data-value=\"([^\"]*)\"")
                .matcher(page);
        assertThat(netCost.find()).isTrue();
        assertThat(new BigDecimal(netCost.group(1))).isEqualByComparingTo(dec(f, "net_cost_usd"));
    }

    /** {@code simulate --days 1} over every combination of two sweeps, the figures written to {@code json}. */
    private CliResult sweepOneDay(Path json, String first, String second) throws Exception {
        return CliResult.run(
                "simulate",
                "--config",
                config().toString(),
                "--days",
                "1",
                "--sweep",
                first,
                "--sweep",
                second,
                "--json",
                json.toString());
    }

    @Test
    void aSweepPrintsOneRowPerCombinationAndMarksTheCheapest() throws Exception {
        Path json = dir.resolve("sweep.json");
        CliResult r = sweepOneDay(json, "trading.max_leverage=3,5", "trading.max_duration_hours=4,6");

        assertThat(r.code()).as(r.err()).isZero();
        List<String> rows = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.matches("^ *[35] +[46] .*")) {
                rows.add(line);
            }
        }
        assertThat(rows).as(r.out()).hasSize(4);
        assertThat(rows).filteredOn(l -> l.contains("<- cheapest")).hasSize(1);
        JsonNode s = JSON.readTree(json.toFile());
        assertThat(s.get("runs").size()).isEqualTo(4);
        int cheapest = s.get("cheapest").asInt();
        BigDecimal best = dec(s.get("runs").get(cheapest), "cost_per_point_usd");
        for (JsonNode run : s.get("runs")) {
            assertThat(dec(run, "cost_per_point_usd")).isGreaterThanOrEqualTo(best);
        }
        assertThat(rows.get(cheapest)).contains("<- cheapest");
    }

    @Test
    void makerFirstEntriesAndExitsCostLessThanTakingAndNoLessThanTheFloor() throws Exception {
        Path json = dir.resolve("maker.json");
        CliResult r = sweepOneDay(json, "trading.entry=taker,maker_first", "trading.exit=taker,maker_first");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("FLOOR_ONE_TAKER_LEG");
        JsonNode s = JSON.readTree(json.toFile());
        JsonNode taker = s.get("runs").get(0);
        JsonNode maker = s.get("runs").get(3);
        assertThat(maker.get("settings").get("trading.entry").asText()).isEqualTo("maker_first");
        assertThat(maker.get("settings").get("trading.exit").asText()).isEqualTo("maker_first");
        assertThat(taker.get("maker_hedged_fills").asInt()).isZero();
        assertThat(maker.get("maker_hedged_fills").asInt()).isPositive();
        // on simulated time a hedge fills the moment it is sent: no exposure beyond the poll
        assertThat(maker.get("maker_worst_hedge_ms").asLong()).isZero();
        assertThat(dec(maker, "cost_per_1m_usd")).isLessThan(dec(taker, "cost_per_1m_usd"));
        assertThat(dec(maker, "fees_usd")
                        .divide(dec(maker, "volume_usd"), java.math.MathContext.DECIMAL64)
                        .movePointRight(6))
                .isGreaterThanOrEqualTo(
                        dec(maker, "floor_one_taker_leg_per_1m_usd").subtract(BigDecimal.ONE));
    }

    @Test
    void badArgumentsGetOneLine() throws Exception {
        Path conf = config();
        Path existing = dir.resolve("exists.db");
        Files.writeString(existing, "x");
        List<List<String>> cases = List.of(
                List.of("--days", "0"),
                List.of("--sweep", "trading.max_leverage"),
                List.of("--sweep", "trading.max_leverage=2,,3"),
                List.of("--out", existing.toString()),
                List.of("--prices", dir.resolve("missing.csv").toString()),
                List.of(
                        "--sweep",
                        "trading.max_leverage=2,3",
                        "--out",
                        dir.resolve("new.db").toString()));
        for (List<String> args : cases) {
            List<String> all = new ArrayList<>(List.of("simulate", "--config", conf.toString()));
            all.addAll(args);
            CliResult r = CliResult.run(all.toArray(String[]::new));
            assertThat(r.code()).as(args.toString()).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(args + ": " + r.err()).hasSize(1);
        }
    }
}
