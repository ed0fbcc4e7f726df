package dev.perptrader.notify;

import dev.perptrader.config.AppConfig.AlertLevel;
import dev.perptrader.trader.Alert;
import dev.perptrader.trader.Alerts;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one sink's alerts in the background. {@link #offer} runs on the thread that raised the
 * alert (the trading loop): it filters by level and throttle and enqueues, nothing else, so a
 * slow or dead sink never delays trading. A full queue drops its oldest alert. One daemon thread
 * sends, trying each alert {@code attempts} times with doubling backoff. A sink that stops
 * accepting alerts is logged once (WARN) when it starts failing and once (INFO) when it delivers
 * again, with how many alerts were lost meanwhile; never once per alert.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long IDLE_POLL_MS = 200;

    /** How a dispatcher delivers: queue size, attempts per alert, first backoff (doubled per retry). */
    public record Tuning(int capacity, int attempts, Duration backoff, Sleeper sleeper) {
        public static final Tuning DEFAULT = new Tuning(100, 3, Duration.ofSeconds(1), Sleeper.REAL);

        public Tuning {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity < 1: " + capacity);
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts < 1: " + attempts);
            }
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("backoff < 0: " + backoff);
            }
        }
    }

    /** Waits between attempts; tests pass one that does not wait. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = d -> Thread.sleep(d.toMillis());

        void sleep(Duration d) throws InterruptedException;
    }

    private final AlertSink sink;
    private final AlertLevel minLevel;
    private final Throttle throttle;
    private final Tuning tuning;
    private final BlockingQueue<Alert> queue;
    private final Thread worker;
    private final AtomicLong droppedSinceLook = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;
    // worker thread only
    private boolean failing;
    private long lostInOutage;

    public Dispatcher(AlertSink sink, AlertLevel minLevel, Duration throttle, Clock clock, Tuning tuning) {
        this.sink = sink;
        this.minLevel = minLevel;
        this.throttle = new Throttle(throttle, clock);
        this.tuning = tuning;
        this.queue = new ArrayBlockingQueue<>(tuning.capacity());
        this.worker = new Thread(
                this::work,
                "perp-trader-sink-"
                        + sink.name().replaceAll("[^a-z]+", " ").strip().replace(' ', '-'));
        this.worker.setDaemon(true);
    }

    public String name() {
        return sink.name();
    }

    /** Starts the sending thread. */
    public void start() {
        worker.start();
    }

    /**
     * Queues {@code alert} if its level and the throttle let it through; never blocks. Called on
     * the raising thread.
     */
    public void offer(Alert alert) {
        if (closing || !admits(alert.level()) || !throttle.admit(alert)) {
            return;
        }
        while (!queue.offer(alert)) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
                droppedSinceLook.incrementAndGet();
            }
        }
    }

    /** Alerts accepted by the sink so far. */
    public long delivered() {
        return delivered.get();
    }

    /** Alerts given up on after every attempt failed. */
    public long failed() {
        return failed.get();
    }

    /** Alerts dropped, oldest first, because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    private boolean admits(Alerts.Level level) {
        return minLevel == AlertLevel.WARN || level == Alerts.Level.ERROR;
    }

    private void work() {
        try {
            while (!closing || !queue.isEmpty()) {
                Alert alert = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                noteDrops();
                if (alert != null) {
                    send(alert);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error(
                    "{}: alert delivery stopped: {}", sink.name(), e.getClass().getSimpleName());
        }
    }

    private void send(Alert alert) throws InterruptedException {
        String error = null;
        Duration pause = tuning.backoff();
        for (int attempt = 1; attempt <= tuning.attempts(); attempt++) {
            try {
                sink.deliver(alert);
                delivered.incrementAndGet();
                recovered();
                return;
            } catch (DeliveryFailed e) {
                error = e.getMessage();
            } catch (RuntimeException e) {
                // a bug in a sink: its message may hold anything, so only its type is shown
                error = "unexpected " + e.getClass().getSimpleName();
            }
            if (attempt < tuning.attempts()) {
                tuning.sleeper().sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
        failed.incrementAndGet();
        lostInOutage++;
        if (!failing) {
            failing = true;
            LOG.warn(
                    "{}: alerts are not being delivered ({} after {} attempt(s)); each new alert is still tried,"
                            + " and this is logged again only when it recovers",
                    sink.name(),
                    error,
                    tuning.attempts());
        }
    }

    private void noteDrops() {
        long d = droppedSinceLook.getAndSet(0);
        if (d == 0) {
            return;
        }
        lostInOutage += d;
        if (!failing) {
            failing = true;
            LOG.warn(
                    "{}: too slow to keep up: its queue of {} is full and the oldest alerts are dropped;"
                            + " logged again only when it recovers",
                    sink.name(),
                    tuning.capacity());
        }
    }

    private void recovered() {
        if (failing) {
            LOG.info("{}: delivering alerts again; {} alert(s) were lost meanwhile", sink.name(), lostInOutage);
            failing = false;
            lostInOutage = 0;
        }
    }

    /**
     * Stops taking alerts and gives the queue up to {@code drain} to be sent, then stops the
     * thread.
     */
    public void close(Duration drain) {
        closing = true;
        if (!worker.isAlive()) {
            return;
        }
        try {
            worker.join(Math.max(1, drain.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
            int left = queue.size();
            if (left > 0) {
                LOG.warn("{}: stopped with {} alert(s) not delivered", sink.name(), left);
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
