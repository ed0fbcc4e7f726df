package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.VenueDriver;
import dev.perptrader.exchange.sim.PriceFile;
import dev.perptrader.exchange.sim.PriceRecorder;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.exchange.sim.VirtualClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code record}: appends the venues' marks and funding rates to a price file (see
 * {@link PriceFile}). Paper (and live) mode reads the venues' real public endpoints, no keys, in
 * real time until stopped; sim mode reads the simulated venues on a clock of their own that
 * jumps from sample to sample, so it takes no time and touches no state of {@code run}.
 */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        description = "Append the venues' marks and funding rates to a CSV price file every"
                + " --interval-seconds, until stopped (Ctrl-C / SIGTERM) or --samples are taken.")
final class RecordCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RecordCommand.class);
    private static final long MAX_INTERVAL_SECONDS = 86_400;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description = "paper: the venues' real public data (live does the same, no keys);"
                    + " sim: the simulated venues, on their own clock (default: the configured mode)")
    String mode;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "the price file, created with its header when missing (default: prices.csv)")
    Path out = Path.of("prices.csv");

    @Option(
            names = "--interval-seconds",
            paramLabel = "N",
            description = "seconds between samples, 1 to 86400 (default: 60)")
    long intervalSeconds = 60;

    @Option(
            names = "--samples",
            paramLabel = "N",
            description = "stop after N samples (default: paper runs until stopped; sim takes one day's worth)")
    Long samples;

    @Option(
            names = "--start",
            paramLabel = "TIME",
            description = "sim mode: the UTC time of the first sample, e.g. 2024-01-01T00:00:00Z"
                    + " (default: now, to the whole interval)")
    String start;

    @Override
    public Integer call() throws Exception {
        if (intervalSeconds < 1 || intervalSeconds > MAX_INTERVAL_SECONDS) {
            throw new UsageError(
                    "--interval-seconds must be 1 to " + MAX_INTERVAL_SECONDS + ", got " + intervalSeconds);
        }
        if (samples != null && samples < 1) {
            throw new UsageError("--samples must be at least 1, got " + samples);
        }
        Map<String, String> overrides = new HashMap<>();
        if (mode != null) {
            overrides.put("mode", mode);
        }
        AppConfig cfg = config.load(overrides);
        Duration interval = Duration.ofSeconds(intervalSeconds);
        if (cfg.mode() != Mode.SIM && start != null) {
            throw new UsageError("--start applies to --mode sim only: paper mode records the venues as they are now");
        }
        Instant first = cfg.mode() == Mode.SIM ? startTime(interval) : null;
        Path file = out.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new UsageError("--out " + file + " is a directory: name a file");
        }
        PriceRecorder.Result result;
        try (PriceFile.Appender appender = PriceFile.append(file)) {
            result = cfg.mode() == Mode.SIM
                    ? recordSim(cfg, appender, first, interval)
                    : recordPublic(cfg, appender, interval);
        } catch (PriceFile.PriceFileError | IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println("recorded " + count(result.samples(), "sample") + ", " + count(result.rows(), "line") + ", to " + file
                + result.first()
                        .map(f -> " (" + f + " to " + result.last().orElseThrow() + ")")
                        .orElse("")
                + (result.failedReads() > 0
                        ? "; " + count(result.failedReads(), "read") + " failed, see the log"
                        : ""));
        w.flush();
        return result.rows() == 0 && result.failedReads() > 0 ? 1 : 0;
    }

    /** The real public endpoints, in real time, until a signal or --samples. */
    private PriceRecorder.Result recordPublic(AppConfig cfg, PriceFile.Appender appender, Duration interval) {
        Clock clock = Clock.systemUTC();
        List<PerpExchange> venues = new ArrayList<>();
        for (Venue v : cfg.trading().venues()) {
            venues.add(VenueDriver.of(v).publicOnly(cfg.exchanges().get(v), clock));
        }
        PriceRecorder recorder = new PriceRecorder(venues, cfg.trading().markets(), clock);
        LOG.info(
                "recording {} on {} every {} s to {} (public data, no keys); Ctrl-C or SIGTERM stops",
                cfg.trading().markets(),
                cfg.trading().venues().stream().map(Venue::configName).toList(),
                interval.toSeconds(),
                appender.file());
        Thread hook = new Thread(
                () -> {
                    GracefulExit.signalled();
                    LOG.info("stop requested: finishing the sample in progress");
                    recorder.requestStop();
                    GracefulExit.holdShutdown(Duration.ofMinutes(1));
                },
                "perp-trader-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return recorder.run(appender, interval, samples == null ? 0 : samples, recorder.realTime());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting through the hook, which waits for this command
            }
        }
    }

    /**
     * The simulated venues (sim.* and sim.venues.* settings, sim.seed) on a fresh state file of
     * their own, deleted afterwards, on a clock that jumps from sample to sample.
     */
    private PriceRecorder.Result recordSim(AppConfig cfg, PriceFile.Appender appender, Instant first, Duration interval)
            throws IOException {
        long count = samples != null ? samples : Math.max(1, Duration.ofDays(1).dividedBy(interval));
        VirtualClock clock = new VirtualClock(first);
        Path dir = Files.createTempDirectory("perp-trader-record");
        try (SimWorld world = SimWorld.open(cfg.sim().withStateFile(dir.resolve("record-sim.db")), clock)) {
            List<PerpExchange> venues = new ArrayList<>();
            cfg.trading().venues().forEach(v -> venues.add(world.venue(v)));
            PriceRecorder recorder = new PriceRecorder(venues, cfg.trading().markets(), clock);
            return recorder.run(appender, interval, count, recorder.virtual(clock));
        } finally {
            deleteTree(dir);
        }
    }

    private Instant startTime(Duration interval) {
        if (start == null) {
            long step = interval.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(System.currentTimeMillis(), step) * step);
        }
        try {
            return Instant.parse(start.strip()).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new UsageError("--start: not a UTC time like 2024-01-01T00:00:00Z: '" + start + "'");
        }
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the temporary sim state {}: {}", dir, e.getMessage());
        }
    }
}
