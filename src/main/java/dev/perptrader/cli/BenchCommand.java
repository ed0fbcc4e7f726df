package dev.perptrader.cli;

import dev.perptrader.bench.Bench;
import dev.perptrader.bench.BenchOptions;
import dev.perptrader.bench.BenchReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the real trader and venue clients against local venues with injected round
 * trips; prints open latency against the physical limit, leg skew, the naked window of a
 * rollback (on purpose, and at a random rejection rate), venue calls and duration of a monitor
 * tick at 1, 10 and 50 open pairs and with few or many markets, database time per tick, heap and
 * RSS. Trades nothing anywhere but in memory.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the open path and the monitor: the real trader and clients against local venues"
                + " (127.0.0.1) with injected round-trip times. Trades nothing real.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--pairs",
            paramLabel = "N",
            defaultValue = "6",
            description = "pairs opened through the trader and measured (default: ${DEFAULT-VALUE})")
    int pairs;

    @Option(
            names = "--max-open",
            paramLabel = "N",
            defaultValue = "50",
            description = "most open pairs the monitor is measured at, also at 1 and 10 (default: ${DEFAULT-VALUE},"
                    + " at most " + BenchOptions.MAX_OPEN_LIMIT + ")")
    int maxOpen;

    @Option(
            names = "--rtt-backpack-ms",
            paramLabel = "MS",
            defaultValue = "200",
            description = "round trip of the local Backpack (default: ${DEFAULT-VALUE})")
    long rttBackpackMs;

    @Option(
            names = "--rtt-hibachi-ms",
            paramLabel = "MS",
            defaultValue = "300",
            description = "round trip of the local Hibachi (default: ${DEFAULT-VALUE})")
    long rttHibachiMs;

    @Option(
            names = "--rollbacks",
            paramLabel = "K",
            defaultValue = "12",
            description = "opens with one leg refused on purpose, alternately on Hibachi and Backpack"
                    + " (default: ${DEFAULT-VALUE})")
    int rollbacks;

    @Option(
            names = "--ticks",
            paramLabel = "N",
            defaultValue = "3",
            description = "monitor ticks measured at each number of open pairs (default: ${DEFAULT-VALUE})")
    int ticks;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "seed of the markets, prices and the trader's choices (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--markets",
            paramLabel = "N",
            defaultValue = "60",
            description = "markets the local venues list and the trader is configured with, from --max-open to "
                    + BenchOptions.MAX_MARKETS + "; the monitor is also measured at 10 open pairs (or --max-open"
                    + " if fewer) on venues listing only as many markets (default: ${DEFAULT-VALUE})")
    int markets;

    @Option(
            names = "--reject-rate",
            paramLabel = "R",
            defaultValue = "0",
            description = "share of opening orders each local venue refuses at random, drawn from --seed,"
                    + " 0 to below 1: rollbacks under load (default: ${DEFAULT-VALUE})")
    double rejectRate;

    @Option(
            names = "--hibachi-signing",
            paramLabel = "hmac|ecdsa",
            defaultValue = "hmac",
            description = "how the local Hibachi account signs: hmac (exchange-managed) or ecdsa (trustless,"
                    + " secp256k1) (default: ${DEFAULT-VALUE})")
    String hibachiSigning;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON to FILE")
    Path json;

    @Override
    public Integer call() throws Exception {
        BenchOptions options;
        try {
            options = new BenchOptions(
                    pairs,
                    maxOpen,
                    Duration.ofMillis(rttBackpackMs),
                    Duration.ofMillis(rttHibachiMs),
                    rollbacks,
                    ticks,
                    seed,
                    markets,
                    rejectRate,
                    BenchOptions.HibachiSigning.parse(hibachiSigning));
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        if (json != null
                && json.toAbsolutePath().getParent() != null
                && !Files.isDirectory(json.toAbsolutePath().getParent())) {
            throw new UsageError(
                    "--json " + json + ": the folder " + json.toAbsolutePath().getParent() + " does not exist");
        }
        PrintWriter err = spec.commandLine().getErr();
        BenchReport report;
        Runnable restoreLogs = QuietLogs.quiet();
        try {
            report = Bench.run(options, line -> {
                err.println("bench: " + line);
                err.flush();
            });
        } finally {
            restoreLogs.run();
        }
        PrintWriter out = spec.commandLine().getOut();
        print(report, out);
        if (json != null) {
            try {
                Files.writeString(json, report.toJson() + System.lineSeparator(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + json + ": " + e.getMessage(), e);
            }
            out.println("figures written to " + json);
            out.flush();
        }
        return 0;
    }

    static void print(BenchReport r, PrintWriter out) {
        BenchReport.Settings s = r.settings();
        out.println(
                "perp-trader bench: the real trader and Backpack/Hibachi clients against local venues on 127.0.0.1");
        out.println("round trip backpack " + s.rttBackpackMs() + " ms, hibachi " + s.rttHibachiMs() + " ms; "
                + s.pairs() + " pairs opened, " + s.rollbacks() + " rolled back, monitor measured at "
                + r.ticks().stream()
                        .map(t -> Integer.toString(t.openPairs()))
                        .reduce((a, b) -> a + "/" + b)
                        .orElse("-")
                + " open pairs (" + s.seededPairs() + " held open directly), seed " + s.seed());
        out.println(s.markets() + " markets listed and configured; hibachi signs with " + s.hibachiSigning()
                + "; venues refuse " + rate(s.rejectRate()) + " of opening orders at random");
        out.println("load average " + load(r.load().before()) + " before, "
                + load(r.load().after()) + " after, on " + s.cpus() + " CPUs");
        out.println();
        Table t = new Table("measure", "median", "max", "physical limit");
        BenchReport.Open open = r.openPairs();
        t.row(
                "pair open: first order arrives -> last reply before OPEN",
                ms(open.atVenues().median()),
                ms(open.atVenues().max()),
                limit(open.physicalLimitMs()) + " (backpack 1 RTT, hibachi 2 RTTs)");
        t.row(
                "pair open: first order arrives -> opened_at recorded",
                ms(open.untilOpen().median()),
                ms(open.untilOpen().max()),
                limit(open.physicalLimitMs()));
        t.row(
                "requests from first order to OPEN",
                "backpack " + count(open.requestsBackpack()) + ", hibachi " + count(open.requestsHibachi()),
                "-",
                "backpack 1, hibachi 2");
        t.row(
                "leg skew: LONG vs SHORT order arrival",
                ms(r.legSkew().median()),
                ms(r.legSkew().max()),
                "0 ms");
        for (BenchReport.Rollback rb : r.rollbacks()) {
            String good = rb.refused().equals("hibachi") ? "backpack" : "hibachi";
            t.row(
                    "naked window, " + rb.refused() + " refuses: " + good + " tells its fill -> rollback arrives",
                    ms(rb.nakedWindow().median()),
                    ms(rb.nakedWindow().max()),
                    limit(rb.nakedLimitMs()) + " (the refusal comes that much later)");
            t.row(
                    "rollback, " + rb.refused() + " refuses: refusal's reply -> rollback arrives",
                    ms(rb.afterRejection().median()),
                    ms(rb.afterRejection().max()),
                    limit(rb.afterRejectionLimitMs())
                            + (rb.afterRejectionLimitMs() > 0 ? " (the fill is told that much later)" : ""));
        }
        BenchReport.RandomRejections random = r.random();
        if (random.rate() > 0) {
            t.row(
                    "opening orders refused at random (" + rate(random.rate()) + ")",
                    "backpack " + random.refusedBackpack() + ", hibachi " + random.refusedHibachi(),
                    "-",
                    "-");
            t.row(
                    "opens tried: rolled back at random / failed (both refused)",
                    random.opensTried() + ": " + random.rolledBack() + " / " + random.failed(),
                    "-",
                    "-");
            t.row(
                    "naked window, random refusal: good leg tells its fill -> rollback arrives",
                    ms(random.nakedWindow().median()),
                    ms(random.nakedWindow().max()),
                    randomNakedLimit(s));
            t.row(
                    "rollback, random refusal: refusal's reply -> rollback arrives",
                    ms(random.afterRejection().median()),
                    ms(random.afterRejection().max()),
                    "0 ms");
        }
        List<BenchReport.Tick> all = new ArrayList<>(r.ticks());
        all.addAll(r.fewMarkets());
        for (BenchReport.Tick tick : all) {
            t.row(
                    "venue calls per monitor tick, " + pairs(tick.openPairs()) + ", " + tick.markets() + " markets",
                    "backpack " + count(tick.callsBackpack()) + ", hibachi " + count(tick.callsHibachi()),
                    "-",
                    "the same at any number of pairs and markets");
        }
        long maxRtt = Math.max(s.rttBackpackMs(), s.rttHibachiMs());
        for (BenchReport.Tick tick : all) {
            t.row(
                    "monitor tick, " + pairs(tick.openPairs()) + ", " + tick.markets() + " markets",
                    ms(tick.duration().median()) + ratio(tick.medianOverMaxRtt()),
                    ms(tick.duration().max()),
                    maxRtt + " ms (1 x the slower RTT)");
        }
        for (BenchReport.Tick tick : r.ticks()) {
            t.row(
                    "DB time per tick, " + pairs(tick.openPairs()),
                    ms(tick.dbMs().median()) + " (" + count(tick.dbCalls()) + " calls)",
                    ms(tick.dbMs().max()),
                    "-");
        }
        BenchReport.Memory m = r.memory();
        t.row(
                "heap used / RSS at the end",
                mb(m.heapUsedMb()) + " / " + mb(m.rssMb()),
                "RSS " + mb(m.rssPeakMb()),
                "-");
        t.print(out);
        if (!r.alerts().isEmpty()) {
            out.println();
            out.println("alerts raised: "
                    + r.alerts().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + " " + e.getValue())
                            .reduce((a, b) -> a + ", " + b)
                            .orElse(""));
        }
        out.flush();
    }

    private static String pairs(int n) {
        return n + (n == 1 ? " open pair" : " open pairs");
    }

    private static String ms(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        String text = v >= 100
                ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return text + " ms";
    }

    /** A physical limit: whole milliseconds. */
    private static String limit(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f ms", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, " (%.2f x RTT)", v);
    }

    private static String count(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * The least naked window of a random refusal: how much later the refusing venue answers than
     * the other, so more than 0 only when the slower venue refused.
     */
    private static String randomNakedLimit(BenchReport.Settings s) {
        long gap = Math.abs(s.rttHibachiMs() - s.rttBackpackMs());
        if (gap == 0) {
            return "0 ms";
        }
        String slower = s.rttHibachiMs() > s.rttBackpackMs() ? "hibachi" : "backpack";
        return gap + " ms when " + slower + " refused, else 0 ms";
    }

    /** A share as a percentage: 0.1 → 10 %. */
    private static String rate(double v) {
        return BigDecimal.valueOf(v).movePointRight(2).stripTrailingZeros().toPlainString() + " %";
    }

    private static String mb(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f MB", v);
    }

    private static String load(double v) {
        return Double.isNaN(v) ? "unknown" : String.format(Locale.ROOT, "%.2f", v);
    }
}
