package dev.perptrader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} as a user runs it: every row printed, the same figures as JSON, bad options refused. */
final class BenchCommandTest {
    @TempDir
    Path dir;

    private static CliResult run(String... args) {
        return CliResult.run(args);
    }

    @Test
    void tinyRoundTripsRunInProcessPrintEveryRowAndWriteTheDocumentedJson() throws Exception {
        Path json = dir.resolve("bench.json");
        CliResult r = run(
                "bench",
                "--pairs",
                "2",
                "--max-open",
                "3",
                "--rtt-backpack-ms",
                "1",
                "--rtt-hibachi-ms",
                "1",
                "--rollbacks",
                "2",
                "--ticks",
                "2",
                "--json",
                json.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "pair open: first order arrives -> last reply before OPEN",
                        "pair open: first order arrives -> opened_at recorded",
                        "requests from first order to OPEN",
                        "leg skew: LONG vs SHORT order arrival",
                        "naked window, hibachi refuses: backpack tells its fill -> rollback arrives",
                        "naked window, backpack refuses: hibachi tells its fill -> rollback arrives",
                        "rollback, hibachi refuses: refusal's reply -> rollback arrives",
                        "rollback, backpack refuses: refusal's reply -> rollback arrives",
                        "60 markets listed and configured; hibachi signs with hmac; venues refuse 0 % of opening"
                                + " orders at random",
                        "venue calls per monitor tick, 1 open pair, 60 markets",
                        "venue calls per monitor tick, 3 open pairs, 60 markets",
                        "venue calls per monitor tick, 3 open pairs, 3 markets",
                        "monitor tick, 1 open pair, 60 markets",
                        "monitor tick, 3 open pairs, 60 markets",
                        "monitor tick, 3 open pairs, 3 markets",
                        "DB time per tick, 1 open pair",
                        "DB time per tick, 3 open pairs",
                        "heap used / RSS at the end",
                        "load average",
                        "figures written to " + json);
        assertThat(r.out()).doesNotContain("refused at random");
        assertThat(r.err())
                .contains(
                        "bench: opening pair 1 of 2",
                        "bench: rollback 2 of 2",
                        "bench: holding 3 pairs open on 3 markets (a second trader)");

        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("version").asInt()).isEqualTo(1);
        assertHas(
                doc.path("settings"),
                "pairs",
                "max_open",
                "rtt_backpack_ms",
                "rtt_hibachi_ms",
                "rollbacks",
                "ticks_per_point",
                "seed",
                "monitor_interval_ms",
                "seeded_pairs",
                "cpus",
                "markets",
                "reject_rate",
                "hibachi_signing");
        assertThat(doc.path("settings").path("markets").asInt()).isEqualTo(60);
        assertThat(doc.path("settings").path("hibachi_signing").asText()).isEqualTo("hmac");
        assertThat(doc.path("settings").path("seeded_pairs").asInt())
                .as("the third pair is held open directly")
                .isEqualTo(1);
        assertHas(doc.path("load_average"), "before", "after");
        JsonNode open = doc.path("open");
        assertHas(
                open,
                "samples",
                "median_ms",
                "max_ms",
                "physical_limit_ms",
                "until_open_median_ms",
                "until_open_max_ms",
                "requests_until_open");
        assertThat(open.path("samples").asInt()).isEqualTo(2);
        assertThat(open.path("median_ms").isNumber()).isTrue();
        assertHas(open.path("requests_until_open"), "backpack", "hibachi");
        assertHas(doc.path("leg_skew"), "samples", "median_ms", "max_ms");
        JsonNode rollbacks = doc.path("rollbacks");
        assertThat(rollbacks.size()).isEqualTo(2);
        for (JsonNode rb : rollbacks) {
            assertHas(
                    rb,
                    "refused",
                    "samples",
                    "naked_window_median_ms",
                    "naked_window_max_ms",
                    "naked_window_limit_ms",
                    "after_rejection_median_ms",
                    "after_rejection_max_ms");
            assertThat(rb.path("samples").asInt()).isEqualTo(1);
        }
        assertThat(rollbacks.get(0).path("refused").asText()).isEqualTo("hibachi");
        assertThat(rollbacks.get(1).path("refused").asText()).isEqualTo("backpack");
        assertThat(doc.path("alerts").path("ROLLED_BACK").asInt()).isEqualTo(2);
        assertHas(doc.path("memory"), "heap_used_mb", "rss_mb", "rss_peak_mb");
        JsonNode random = doc.path("random_rejections");
        assertHas(
                random,
                "rate",
                "refused_orders",
                "opens_tried",
                "rolled_back",
                "failed",
                "naked_window_samples",
                "naked_window_median_ms",
                "naked_window_max_ms",
                "after_rejection_median_ms",
                "after_rejection_max_ms");
        assertThat(random.path("opens_tried").asInt())
                .as("2 opened, 2 rolled back on purpose")
                .isEqualTo(4);
        assertThat(random.path("rolled_back").asInt()).isZero();
        assertThat(random.path("refused_orders").path("hibachi").asInt()).isZero();
        assertThat(random.path("naked_window_median_ms").isNull()).isTrue();

        JsonNode ticks = doc.path("ticks");
        assertThat(ticks.size()).isEqualTo(2);
        JsonNode few = doc.path("few_markets_ticks");
        assertThat(few.size()).isEqualTo(1);
        assertThat(few.get(0).path("open_pairs").asInt()).isEqualTo(3);
        assertThat(few.get(0).path("markets").asInt()).isEqualTo(3);
        List<JsonNode> all = new ArrayList<>();
        ticks.forEach(all::add);
        few.forEach(all::add);
        for (JsonNode t : all) {
            assertHas(
                    t,
                    "open_pairs",
                    "markets",
                    "samples",
                    "calls_per_tick",
                    "tick_median_ms",
                    "tick_max_ms",
                    "tick_over_max_rtt",
                    "db_median_ms",
                    "db_max_ms",
                    "db_calls_per_tick");
            assertThat(t.path("samples").asInt()).isEqualTo(2);
        }
        JsonNode one = ticks.get(0);
        JsonNode three = ticks.get(1);
        assertThat(one.path("open_pairs").asInt()).isEqualTo(1);
        assertThat(one.path("markets").asInt()).isEqualTo(60);
        assertThat(three.path("open_pairs").asInt()).isEqualTo(3);
        for (String venue : List.of("backpack", "hibachi")) {
            assertThat(one.path("calls_per_tick").path(venue).asDouble())
                    .as(venue)
                    .isPositive();
            assertThat(three.path("calls_per_tick").path(venue).decimalValue())
                    .as(venue + " calls per tick do not grow with the pairs")
                    .isEqualByComparingTo(one.path("calls_per_tick").path(venue).decimalValue());
            assertThat(few.get(0).path("calls_per_tick").path(venue).decimalValue())
                    .as(venue + " calls per tick do not grow with the markets")
                    .isEqualByComparingTo(one.path("calls_per_tick").path(venue).decimalValue());
        }
    }

    @Test
    void aRejectRateRollsBackOpensAtRandomAndCountsEveryOneWithAnEcdsaSignedHibachi() throws Exception {
        Path json = dir.resolve("random.json");
        CliResult r = run(
                "bench",
                "--pairs",
                "2",
                "--max-open",
                "3",
                "--markets",
                "3",
                "--rtt-backpack-ms",
                "0",
                "--rtt-hibachi-ms",
                "0",
                "--rollbacks",
                "2",
                "--ticks",
                "1",
                "--reject-rate",
                "0.4",
                "--seed",
                "1",
                "--hibachi-signing",
                "ecdsa",
                "--json",
                json.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "3 markets listed and configured; hibachi signs with ecdsa; venues refuse 40 % of opening"
                                + " orders at random",
                        "opening orders refused at random (40 %)",
                        "opens tried: rolled back at random / failed (both refused)",
                        "naked window, random refusal: good leg tells its fill -> rollback arrives",
                        "rollback, random refusal: refusal's reply -> rollback arrives");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("settings").path("hibachi_signing").asText()).isEqualTo("ecdsa");
        assertThat(doc.path("settings").path("reject_rate").asDouble()).isEqualTo(0.4);
        assertThat(doc.path("few_markets_ticks").size())
                .as("4 markets are few already")
                .isZero();
        JsonNode random = doc.path("random_rejections");
        int rolledBack = random.path("rolled_back").asInt();
        int failed = random.path("failed").asInt();
        int refused = random.path("refused_orders").path("backpack").asInt()
                + random.path("refused_orders").path("hibachi").asInt();
        // seeded: each venue draws once per opening order it is not told to refuse, so seed 1
        // gives the same refusals every run
        assertThat(rolledBack).as("rolled back at random").isEqualTo(2);
        assertThat(failed).as("both legs refused").isEqualTo(1);
        assertThat(random.path("opens_tried").asInt())
                .as("2 opened, 2 rolled back on purpose, the rest refused at random")
                .isEqualTo(2 + 2 + rolledBack + failed);
        assertThat(refused)
                .as("one refusal per random rollback, one or two per failure")
                .isBetween(rolledBack + failed, rolledBack + 2 * failed);
        assertThat(random.path("naked_window_samples").asInt()).isEqualTo(rolledBack);
        assertThat(random.path("naked_window_median_ms").isNumber()).isTrue();
        assertThat(doc.path("alerts").path("ROLLED_BACK").asInt()).isEqualTo(2 + rolledBack);
        assertThat(doc.path("open").path("samples").asInt()).isEqualTo(2);
        assertThat(doc.path("rollbacks").size()).isEqualTo(2);
    }

    private static void assertHas(JsonNode node, String... keys) {
        assertThat(node.isObject()).as("object with " + String.join(", ", keys)).isTrue();
        for (String key : keys) {
            assertThat(node.has(key)).as(key).isTrue();
        }
    }

    @Test
    void rollsBackWhileAsManyPairsAreOpenAsMaxOpen() {
        CliResult r = run(
                "bench",
                "--pairs",
                "1",
                "--max-open",
                "1",
                "--rtt-backpack-ms",
                "0",
                "--rtt-hibachi-ms",
                "0",
                "--rollbacks",
                "1",
                "--ticks",
                "1");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("naked window, hibachi refuses", "monitor tick, 1 open pair")
                .doesNotContain("backpack refuses", "10 open pairs");
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        assertOneLineUsageError(run("bench", "--pairs", "0"), "--pairs must be between 1 and --max-open");
        assertOneLineUsageError(run("bench", "--pairs", "5", "--max-open", "3"), "--pairs must be between 1");
        assertOneLineUsageError(run("bench", "--max-open", "61"), "--max-open must be between 1 and 60");
        assertOneLineUsageError(run("bench", "--rtt-hibachi-ms", "-1"), "--rtt-hibachi-ms must be between 0");
        assertOneLineUsageError(run("bench", "--rtt-backpack-ms", "fast"), "'fast' is not a long");
        assertOneLineUsageError(
                run("bench", "--json", dir.resolve("missing/b.json").toString()), "does not exist");
        assertOneLineUsageError(run("bench", "--bogus"), "Unknown option: '--bogus'");
        assertOneLineUsageError(run("bench", "--markets", "49"), "--markets must be between --max-open (50) and 100");
        assertOneLineUsageError(run("bench", "--markets", "101"), "--markets must be between");
        assertOneLineUsageError(
                run("bench", "--pairs", "3", "--max-open", "3", "--markets", "3"),
                "--markets must be above --pairs (3) when --rollbacks is above 0");
        assertOneLineUsageError(
                run("bench", "--reject-rate", "1"), "--reject-rate must be at least 0 and below 1, got 1.0");
        assertOneLineUsageError(
                run("bench", "--reject-rate", "-0.1"), "--reject-rate must be at least 0 and below 1, got -0.1");
        assertOneLineUsageError(run("bench", "--reject-rate", "NaN"), "--reject-rate must be at least 0 and below 1");
        assertOneLineUsageError(run("bench", "--reject-rate", "often"), "'often' is not a double");
        assertOneLineUsageError(
                run("bench", "--hibachi-signing", "rsa"), "--hibachi-signing must be hmac or ecdsa, got 'rsa'");
    }

    private static void assertOneLineUsageError(CliResult r, String contains) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(contains).doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }
}
