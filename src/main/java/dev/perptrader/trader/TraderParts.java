package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.exchange.sim.VirtualClock;
import dev.perptrader.store.Store;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run's trader, built in one place: its bounded, named thread pools and the collaborators
 * that share them. The {@link Orchestrator} only runs the loop over these parts; {@link #close()}
 * ends the pools (the order threads get 30 s to finish what they sent).
 */
final class TraderParts implements AutoCloseable {
    /** Two legs of a pair, or two closes, at once; more never run together. */
    private static final int ORDER_THREADS = 4;
    /** Two calls (marks, account) for each of the two venues, all at once. */
    private static final int READ_THREADS = 4;
    /** close-all closes two pairs at a time (each pair's legs on the order threads). */
    private static final int CLOSE_ALL_THREADS = 2;

    final Alerts alerts;
    final OpeningBreaker breaker;
    final OrderExecutor executor;
    final HedgeManager hedgeManager;
    final Monitor monitor;
    final Reconciler reconciler;
    final Closer closer;
    final ExecutorService closeAllPool;
    private final ExecutorService orderPool;
    /** Null on a virtual clock: the monitor then reads on its own thread. */
    private final ExecutorService readPool;

    private TraderParts(
            Alerts alerts,
            OpeningBreaker breaker,
            OrderExecutor executor,
            HedgeManager hedgeManager,
            Monitor monitor,
            Reconciler reconciler,
            Closer closer,
            ExecutorService closeAllPool,
            ExecutorService orderPool,
            ExecutorService readPool) {
        this.alerts = alerts;
        this.breaker = breaker;
        this.executor = executor;
        this.hedgeManager = hedgeManager;
        this.monitor = monitor;
        this.reconciler = reconciler;
        this.closer = closer;
        this.closeAllPool = closeAllPool;
        this.orderPool = orderPool;
        this.readPool = readPool;
    }

    static TraderParts build(
            AppConfig config,
            Store store,
            Venues venues,
            Clock clock,
            Random random,
            Telemetry telemetry,
            Sleeper sleeper) {
        Alerts alerts = new Alerts(store, clock, config.alerts().repeatEvery());
        // on a virtual clock (simulate) an order or a read takes no time: handing it to another
        // thread would cost more than the call, so the trader sends and reads one after the other
        // itself (the same orders, fills and decisions: the sim venues are one locked world)
        ExecutorService orders = clock instanceof VirtualClock
                ? new CallerRuns()
                : Executors.newFixedThreadPool(ORDER_THREADS, named("perp-trader-io"));
        ExecutorService reads = clock instanceof VirtualClock
                ? null
                : Executors.newFixedThreadPool(READ_THREADS, named("perp-trader-read"));
        ExecutorService closeAll = Executors.newFixedThreadPool(CLOSE_ALL_THREADS, named("perp-trader-close-all"));
        OpeningBreaker breaker =
                new OpeningBreaker(store, alerts, clock, config.risk().maxConsecutiveFailedOpens());
        OrderExecutor executor = new OrderExecutor(store, venues, clock, breaker, telemetry);
        MakerEntry maker = new MakerEntry(config, venues, store, executor, alerts, clock, sleeper, orders);
        HedgeManager hedgeManager =
                new HedgeManager(config, store, venues, executor, alerts, clock, random, orders, breaker, maker);
        Monitor monitor =
                new Monitor(config, store, venues, alerts, clock, telemetry, reads != null ? reads : Runnable::run);
        Reconciler reconciler = new Reconciler(config, store, venues, executor, alerts, clock);
        Closer closer = new Closer(config, store, venues, executor, alerts, clock, orders, reconciler, maker);
        return new TraderParts(
                alerts, breaker, executor, hedgeManager, monitor, reconciler, closer, closeAll, orders, reads);
    }

    @Override
    public void close() {
        closeAllPool.shutdown();
        if (readPool != null) {
            readPool.shutdown();
        }
        orderPool.shutdown();
        try {
            if (!orderPool.awaitTermination(30, TimeUnit.SECONDS)) {
                orderPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            orderPool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
