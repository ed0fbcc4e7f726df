package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.store.InstanceLock;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Orchestrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code run}: the trading loop, until stopped (or until {@code --pairs N} pairs have closed). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Open, monitor and close hedged pairs until stopped (Ctrl-C / SIGTERM).")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Option(names = "--mode", paramLabel = "MODE", description = "sim (default), paper or live")
    String mode;

    @Option(names = "--pairs", paramLabel = "N",
            description = "exit after N pairs opened by this run have closed")
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
        SecretFiles.warn(cfg, config.sources());
        try (InstanceLock lock = InstanceLock.acquire(cfg.database().path());
             VenueSetup setup = VenueSetup.open(cfg, Clock.systemUTC())) {
            Store store = Store.open(cfg.database().path());
            LOG.info("perp-trader starting in {} mode: venues {} (first takes LONG: {}), markets {}, database {}",
                    cfg.mode().configName(), cfg.trading().venues(), cfg.trading().direction(),
                    cfg.trading().markets(), cfg.database().path());
            try (Orchestrator orchestrator = setup.orchestrator(cfg, store)) {
                if (pairs != null) {
                    orchestrator.limitPairs(pairs);
                }
                CountDownLatch stopped = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    LOG.info("stop requested: finishing the step in flight");
                    orchestrator.requestStop();
                    try {
                        stopped.await(3, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "perp-trader-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    orchestrator.run(loopInterval(cfg));
                } finally {
                    stopped.countDown();
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting through the hook: nothing to remove
                }
            }
        }
        LOG.info("perp-trader stopped");
        return 0;
    }

    /** The loop runs every second, or faster when the monitor interval is shorter. */
    private static Duration loopInterval(AppConfig cfg) {
        Duration monitor = cfg.monitor().interval();
        return monitor.compareTo(Duration.ofSeconds(1)) < 0 ? monitor : Duration.ofSeconds(1);
    }
}
