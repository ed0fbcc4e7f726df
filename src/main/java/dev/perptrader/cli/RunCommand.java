package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.Venue;
import dev.perptrader.ops.Ops;
import dev.perptrader.store.InstanceLock;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Orchestrator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the trading loop, until stopped (or until {@code --pairs N} pairs have closed). */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Open, monitor and close hedged pairs until stopped (Ctrl-C / SIGTERM).")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Option(names = "--mode", paramLabel = "MODE", description = "sim (default), paper or live")
    String mode;

    @Option(names = "--pairs", paramLabel = "N", description = "exit after N pairs opened by this run have closed")
    Integer pairs;

    @Override
    public Integer call() throws Exception {
        if (pairs != null && pairs < 1) {
            throw new UsageError("--pairs must be at least 1, got " + pairs);
        }
        Map<String, String> overrides = new HashMap<>();
        if (mode != null) {
            overrides.put("mode", mode);
        }
        AppConfig cfg = config.load(overrides);
        SecretFiles.check(cfg, config.sources());
        Path db = cfg.database().path();
        try (InstanceLock lock = InstanceLock.acquire(db)) {
            // An existing book is checked before any venue is touched; a new one is made after the
            // venues are set up, so a bad key leaves no empty database behind.
            Store existing = Files.exists(db) ? book(cfg) : null;
            try (VenueSetup setup = VenueSetup.open(cfg, Clock.systemUTC())) {
                boolean checked = StartChecks.run(cfg, setup.venues());
                Store store = existing != null ? existing : book(cfg);
                LOG.info(
                        "perp-trader starting in {} mode: venues {} (first takes LONG: {}), markets {}, database {}",
                        cfg.mode().configName(),
                        cfg.trading().venues().stream().map(Venue::configName).toList(),
                        cfg.trading().direction().name().toLowerCase(Locale.ROOT),
                        cfg.trading().markets(),
                        db);
                ScheduledExecutorService pending = checked ? null : checkWhenReachable(cfg, setup);
                try (Ops ops = Ops.open(cfg, Clock.systemUTC());
                        Orchestrator orchestrator = setup.orchestrator(cfg, store, ops.telemetry());
                        OwnerChannels owner = OwnerChannels.start(cfg, store, orchestrator, Clock.systemUTC())) {
                    startOps(cfg, ops, orchestrator);
                    if (pairs != null) {
                        orchestrator.limitPairs(pairs);
                    }
                    runUntilStopped(orchestrator, Orchestrator.loopInterval(cfg));
                } finally {
                    if (pending != null) {
                        pending.shutdownNow();
                    }
                }
            }
        }
        LOG.info("perp-trader stopped");
        return 0;
    }

    /**
     * The health file, UNHEALTHY, and with http.enabled the /health and /metrics endpoint; a port
     * it cannot listen on is a one-line refusal before anything trades.
     */
    private static void startOps(AppConfig cfg, Ops ops, Orchestrator orchestrator) {
        try {
            ops.start(orchestrator.alerts());
        } catch (IOException e) {
            throw new UsageError("http: cannot listen on " + cfg.http().bind() + ":"
                    + cfg.http().port() + ": " + e.getMessage()
                    + " (set http.port to a free port or http.bind to an address of this machine)");
        }
    }

    /** Repeats the start checks every retry interval until every venue has answered once. */
    private static ScheduledExecutorService checkWhenReachable(AppConfig cfg, VenueSetup setup) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "perp-trader-start-check");
            t.setDaemon(true);
            return t;
        });
        long every = StartChecks.retrySeconds(cfg);
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (StartChecks.retry(cfg, setup.venues())) {
                            scheduler.shutdown();
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("start check failed, retrying: {}", e.toString());
                    }
                },
                every,
                every,
                TimeUnit.SECONDS);
        return scheduler;
    }

    /**
     * The run's book: it must be writable now, and of this run's mode (a new or empty one takes
     * it). Anything else is a one-line refusal before any venue is touched or order written.
     */
    static Store book(AppConfig cfg) {
        Store store = Store.open(cfg.database().path());
        store.checkWritable();
        Mode recorded = store.claimMode(cfg.mode());
        if (recorded != cfg.mode()) {
            Path file = cfg.database().path();
            String fix = cfg.database().isModeDefault()
                    // the live file holding another mode's book: it predates one file per mode
                    ? "move it away (a " + recorded.configName() + " book belongs in "
                            + AppConfig.Database.defaultFile(recorded) + "), or set database.url to a "
                            + cfg.mode().configName() + " database"
                    : "run with --mode " + recorded.configName() + " to use it, or point database.url at a "
                            + cfg.mode().configName() + " database (unset, each mode uses its own file)";
            throw new UsageError(file + " is a " + recorded.configName() + " database but this run is in "
                    + cfg.mode().configName() + " mode: " + fix);
        }
        return store;
    }

    /**
     * Runs the loop until it ends ({@code --pairs}) or a signal stops it. The shutdown hook asks
     * the loop to stop and holds the JVM open until this command has closed everything; then
     * {@link GracefulExit} ends the process with this command's exit code (0), not 143.
     */
    private static void runUntilStopped(Orchestrator orchestrator, Duration loop) throws InterruptedException {
        Thread hook = new Thread(
                () -> {
                    GracefulExit.signalled();
                    LOG.info("stop requested: finishing the step in flight");
                    orchestrator.requestStop();
                    GracefulExit.holdShutdown(Duration.ofMinutes(3));
                },
                "perp-trader-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            orchestrator.run(loop);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting through the hook, which waits for this command
            }
        }
    }
}
