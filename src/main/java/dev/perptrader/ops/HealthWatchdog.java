package dev.perptrader.ops;

import dev.perptrader.files.PrivateFiles;
import dev.perptrader.trader.AlertKind;
import dev.perptrader.trader.Alerts;
import dev.perptrader.trader.Telemetry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the health file current and raises {@code UNHEALTHY}. Each {@link #check} decides the
 * health now and writes it to the health file (atomically, 0600). When the bot has been
 * unhealthy, check after check, for longer than {@code alerts.unhealthy_after_minutes}, it raises
 * UNHEALTHY (ERROR) through the bot's {@link Alerts}, so it reaches every sink and repeats at most
 * once per {@code alerts.repeat_minutes}; when healthy again it logs one INFO line.
 *
 * <p>Once {@linkplain #start started}, a daemon thread checks at once, then every monitor
 * interval, and after every completed tick: so the file turns unhealthy when ticks stop.
 */
public final class HealthWatchdog implements Telemetry, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthWatchdog.class);

    private final HealthCheck health;
    private final Optional<Path> file;
    private final Duration unhealthyAfter;
    private volatile Alerts alerts;
    private volatile ScheduledExecutorService scheduler;
    private Instant unhealthySince;
    private boolean raised;
    private boolean fileFailing;

    /**
     * @param file           where the health JSON goes; empty: no file
     * @param unhealthyAfter UNHEALTHY once the bot has been unhealthy longer than this
     */
    public HealthWatchdog(HealthCheck health, Optional<Path> file, Duration unhealthyAfter) {
        if (unhealthyAfter.isZero() || unhealthyAfter.isNegative()) {
            throw new IllegalArgumentException("unhealthyAfter <= 0: " + unhealthyAfter);
        }
        this.health = health;
        this.file = file;
        this.unhealthyAfter = unhealthyAfter;
    }

    /** From now on UNHEALTHY is raised through {@code alerts} (the running bot's). */
    public void raiseThrough(Alerts alerts) {
        this.alerts = alerts;
    }

    /** Checks now, then every {@code every} and after every completed tick, on a daemon thread. */
    public synchronized void start(Duration every) {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "perp-trader-health");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(this::checkSafely, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        scheduler = s;
    }

    @Override
    public void tickCompleted(Tick tick) {
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            try {
                s.execute(this::checkSafely);
            } catch (RejectedExecutionException stopping) {
                // closed meanwhile: the last health is written by close()
            }
        }
    }

    /** Decides the health now, writes the health file, raises UNHEALTHY when due; returns the health. */
    public synchronized Health check() {
        Health h = health.now();
        write(h);
        Instant now = h.checkedAt();
        if (!h.ok()) {
            if (unhealthySince == null) {
                unhealthySince = now;
                LOG.warn("health: unhealthy: {}", String.join("; ", h.reasons()));
            }
            Duration unhealthyFor = Duration.between(unhealthySince, now);
            Alerts to = alerts;
            if (unhealthyFor.compareTo(unhealthyAfter) > 0 && to != null) {
                raised |= to.raise(
                        AlertKind.UNHEALTHY,
                        Alerts.Level.ERROR,
                        null,
                        null,
                        "unhealthy for " + span(unhealthyFor) + ": " + String.join("; ", h.reasons()));
            }
        } else if (unhealthySince != null) {
            LOG.info("health: healthy again after {} unhealthy", span(Duration.between(unhealthySince, now)));
            if (raised && alerts != null) {
                alerts.clear(AlertKind.UNHEALTHY, null, null);
            }
            unhealthySince = null;
            raised = false;
        }
        return h;
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("health check failed: {}", e.toString());
        }
    }

    private void write(Health h) {
        if (file.isEmpty()) {
            return;
        }
        try {
            PrivateFiles.replace(file.get(), HealthJson.of(h).getBytes(StandardCharsets.UTF_8));
            if (fileFailing) {
                LOG.info("health file {} written again", file.get());
                fileFailing = false;
            }
        } catch (IOException | RuntimeException e) {
            if (!fileFailing) {
                LOG.warn(
                        "cannot write the health file {}: {} (retrying every check; said once)",
                        file.get(),
                        e.toString());
                fileFailing = true;
            }
        }
    }

    /** Stops the thread and writes the health file one last time, saying the bot stopped. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
        }
        if (s != null) {
            s.shutdown();
            try {
                if (!s.awaitTermination(10, TimeUnit.SECONDS)) {
                    s.shutdownNow();
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        health.stopped();
        synchronized (this) {
            write(health.now());
        }
    }

    private static String span(Duration d) {
        return d.toHours() > 0
                ? d.toHours() + "h" + String.format("%02dm", d.toMinutesPart())
                : d.toMinutes() + "m" + String.format("%02ds", d.toSecondsPart());
    }
}
