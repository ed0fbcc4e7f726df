package dev.perptrader.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigError;
import dev.perptrader.exchange.sim.PriceFile;
import dev.perptrader.exchange.sim.PriceReplay;
import dev.perptrader.files.PrivateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: the trader (the same Orchestrator, HedgeManager, Monitor and Closer as
 * {@code run}) on a virtual clock over the sim venues, for {@code --days}, and what it cost; or,
 * with {@code --sweep}, the same for every combination of settings, side by side.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Run the trader over the sim venues on a virtual clock (no waiting) for --days and print"
                + " what the points cost: fees, slippage, funding, cost per $1M volume and per point.")
final class SimulateCommand implements Callable<Integer> {
    static final int MAX_DAYS = 3650;
    static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--days", paramLabel = "N", description = "simulated days, 1 to 3650 (default: 30)")
    int days = 30;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "seed of the sim market and of the trader's choices (default: sim.seed)")
    Long seed;

    @Option(
            names = "--start",
            paramLabel = "TIME",
            converter = UtcTime.class,
            description = "UTC start of the simulated span (default: 2026-01-01, or the price file's first time)")
    Instant start;

    @Option(
            names = "--prices",
            paramLabel = "FILE",
            description = "replay marks and funding from this CSV price file (see 'record') instead of the"
                    + " seeded random walk")
    Path prices;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "keep the simulated book in this new database file (mode 'simulate'), for"
                    + " history, status and report --db FILE")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
    Path json;

    @Option(
            names = "--sweep",
            paramLabel = "KEY=V1,V2,...",
            description = "simulate every combination of these settings (repeatable), in parallel, and mark"
                    + " the cheapest per point, e.g. --sweep trading.max_leverage=2,3,5")
    List<String> sweeps = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (days < 1 || days > MAX_DAYS) {
            throw new UsageError("--days must be 1 to " + MAX_DAYS + ", got " + days);
        }
        List<Sweep> grid = Sweep.parse(sweeps);
        if (out != null && !grid.isEmpty()) {
            throw new UsageError("--out keeps one simulated book; a --sweep runs many: leave one out");
        }
        if (out != null && Files.exists(out)) {
            throw new UsageError("--out " + out.toAbsolutePath() + " exists: name a new file (a simulation never"
                    + " writes into an existing book)");
        }
        checkWritable(json, "--json");
        PriceReplay replay = null;
        if (prices != null) {
            if (!Files.isRegularFile(prices)) {
                throw new UsageError("--prices " + prices.toAbsolutePath() + ": no such file");
            }
            try {
                replay = PriceFile.read(prices);
            } catch (PriceFile.PriceFileError e) {
                throw new UsageError(e.getMessage());
            }
        }
        Instant from = start != null ? start : replay != null ? replay.start() : DEFAULT_START;
        Duration span = Duration.ofDays(days);
        PrintWriter stdout = spec.commandLine().getOut();
        Runnable restoreLogs = QuietLogs.quiet();
        try {
            if (grid.isEmpty()) {
                AppConfig cfg = load(Map.of());
                SimulationRun.Figures f = SimulationRun.once(cfg, seedOf(cfg), from, span, replay, out);
                SimulationRun.print(f, stdout);
                if (json != null) {
                    write(json, SimulationRun.json(f));
                    stdout.println("figures written to " + json.toAbsolutePath());
                }
            } else {
                sweep(grid, from, span, replay, stdout);
            }
        } finally {
            restoreLogs.run();
        }
        stdout.flush();
        return 0;
    }

    private AppConfig load(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        if (seed != null) {
            all.put("sim.seed", Long.toString(seed));
        }
        all.putIfAbsent("mode", "sim");
        return config.load(all);
    }

    private static long seedOf(AppConfig cfg) {
        return cfg.sim().seed();
    }

    /** Every combination of the sweep's values, each its own simulation, as many at once as there are cores. */
    private void sweep(List<Sweep> grid, Instant from, Duration span, PriceReplay replay, PrintWriter stdout)
            throws InterruptedException, IOException {
        List<Map<String, String>> combos = Sweep.combinations(grid);
        List<AppConfig> configs = new ArrayList<>();
        for (Map<String, String> combo : combos) {
            try {
                configs.add(load(combo));
            } catch (ConfigError e) {
                throw new UsageError("--sweep " + combo + ": " + e.getMessage());
            }
        }
        int threads = Math.max(1, Math.min(combos.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "perp-trader-simulate");
            t.setDaemon(true);
            return t;
        });
        List<SimulationRun.Figures> results = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            List<Future<SimulationRun.Figures>> running = new ArrayList<>();
            for (AppConfig cfg : configs) {
                running.add(pool.submit(() -> SimulationRun.once(cfg, seedOf(cfg), from, span, replay, null)));
            }
            for (Future<SimulationRun.Figures> f : running) {
                results.add(f.get());
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new UsageError("a simulation of the sweep failed: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
        } finally {
            pool.shutdownNow();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Optional<Integer> cheapest = SimulationRun.cheapest(results);
        SimulationRun.printSweep(grid, combos, results, cheapest, days, wall, stdout);
        if (json != null) {
            write(json, SimulationRun.sweepJson(combos, results, cheapest, days, wall));
            stdout.println("figures written to " + json.toAbsolutePath());
        }
    }

    private static void checkWritable(Path file, String option) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UsageError(option + " " + file.toAbsolutePath() + " is a folder: name a file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageError(option + " " + file.toAbsolutePath() + ": no folder " + parent);
        }
    }

    private static void write(Path file, ObjectNode node) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        PrivateFiles.replace(file, (mapper.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** One {@code --sweep KEY=V1,V2,...}. */
    record Sweep(String key, List<String> values) {
        static List<Sweep> parse(List<String> args) {
            List<Sweep> out = new ArrayList<>();
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq <= 0 || eq == a.length() - 1) {
                    throw new UsageError(
                            "--sweep takes KEY=V1,V2,... (e.g. trading.max_leverage=2,3,5), got '" + a + "'");
                }
                String key = a.substring(0, eq).strip();
                List<String> values = new ArrayList<>();
                for (String v : a.substring(eq + 1).split(",", -1)) {
                    if (v.isBlank()) {
                        throw new UsageError("--sweep " + key + ": an empty value in '" + a + "'");
                    }
                    values.add(v.strip());
                }
                if (out.stream().anyMatch(s -> s.key().equals(key))) {
                    throw new UsageError("--sweep " + key + " is given twice: list all its values once");
                }
                out.add(new Sweep(key, List.copyOf(values)));
            }
            int combos = out.stream().mapToInt(s -> s.values().size()).reduce(1, (x, y) -> x * y);
            if (!out.isEmpty() && combos > 256) {
                throw new UsageError("--sweep makes " + combos + " combinations; 256 at most");
            }
            return out;
        }

        /** Every combination, the first sweep's values varying slowest. */
        static List<Map<String, String>> combinations(List<Sweep> grid) {
            List<Map<String, String>> combos = new ArrayList<>();
            combos.add(new LinkedHashMap<>());
            for (Sweep s : grid) {
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> c : combos) {
                    for (String v : s.values()) {
                        Map<String, String> m = new LinkedHashMap<>(c);
                        m.put(s.key(), v);
                        next.add(m);
                    }
                }
                combos = next;
            }
            return combos;
        }
    }
}
