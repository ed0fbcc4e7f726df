package dev.perptrader.ops;

import dev.perptrader.config.AppConfig;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Alerts;
import dev.perptrader.trader.Telemetry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@code run} shows the outside: the health check and its watchdog (the health file,
 * UNHEALTHY), and with {@code http.enabled} the metrics and the {@code /health} and
 * {@code /metrics} endpoint. Open it once the book exists, hand {@link #telemetry()} to the
 * Orchestrator, {@link #start} it with the Orchestrator's alerts, close it after the Orchestrator.
 */
public final class Ops implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ops.class);

    private final AppConfig cfg;
    private final int port;
    private final HealthCheck health;
    private final HealthWatchdog watchdog;
    private final Optional<BotMetrics> metrics;
    private final Telemetry telemetry;
    private HttpEndpoint endpoint;

    private Ops(
            AppConfig cfg,
            int port,
            HealthCheck health,
            HealthWatchdog watchdog,
            Optional<BotMetrics> metrics,
            Telemetry telemetry) {
        this.cfg = cfg;
        this.port = port;
        this.health = health;
        this.watchdog = watchdog;
        this.metrics = metrics;
        this.telemetry = telemetry;
    }

    /**
     * Reads the bot's database over a read-only connection of its own; the run starts now for
     * the health check (the tick age before the first tick counts from here).
     */
    public static Ops open(AppConfig cfg, Clock clock) {
        return open(cfg, clock, cfg.http().port());
    }

    /** As {@link #open(AppConfig, Clock)}, listening on {@code port} (0: any free port) instead of http.port. */
    static Ops open(AppConfig cfg, Clock clock, int port) {
        Store book = Store.openForReading(cfg.database().path());
        LastTick lastTick = new LastTick();
        Health.Rules rules =
                new Health.Rules(cfg.monitor().interval(), cfg.alerts().unhealthyAfter());
        HealthCheck health = new HealthCheck(book, cfg.trading().venues(), lastTick, clock, rules, clock.instant());
        HealthWatchdog watchdog =
                new HealthWatchdog(health, cfg.http().healthFile(), cfg.alerts().unhealthyAfter());
        Optional<BotMetrics> metrics = cfg.http().enabled()
                ? Optional.of(new BotMetrics(
                        book, cfg.trading().venues(), cfg.trading().markets(), lastTick, health))
                : Optional.empty();
        List<Telemetry> all = new ArrayList<>();
        all.add(lastTick);
        metrics.ifPresent(all::add);
        all.add(watchdog);
        return new Ops(cfg, port, health, watchdog, metrics, Telemetry.fanOut(all));
    }

    /** What the Orchestrator reports to. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /**
     * Counts {@code alerts}, raises UNHEALTHY through them, starts the watchdog and, with
     * http.enabled, the endpoint. Throws when the endpoint cannot listen (the port is taken).
     */
    public void start(Alerts alerts) throws IOException {
        start(alerts, true);
    }

    /** As {@link #start(Alerts)}; without {@code watchdogThread} only {@link #watchdog()}'s own calls check. */
    void start(Alerts alerts, boolean watchdogThread) throws IOException {
        metrics.ifPresent(m -> alerts.addListener(m::alertRaised));
        watchdog.raiseThrough(alerts);
        if (metrics.isPresent()) {
            String bind = cfg.http().bind();
            endpoint = HttpEndpoint.start(bind, port, metrics.get().registry(), health);
            LOG.info("serving GET /health and GET /metrics on http://{}:{}/", hostForUrl(bind), endpoint.port());
        }
        cfg.http().healthFile().ifPresent(f -> LOG.info("health file: {}", f));
        if (watchdogThread) {
            watchdog.start(cfg.monitor().interval());
        }
    }

    /** The port the endpoint listens on (once started with http.enabled). */
    int port() {
        return endpoint.port();
    }

    HealthWatchdog watchdog() {
        return watchdog;
    }

    /** Stops the endpoint and the watchdog; the health file's last word is that the bot stopped. */
    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        watchdog.close();
    }

    private static String hostForUrl(String bind) {
        return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    }
}
