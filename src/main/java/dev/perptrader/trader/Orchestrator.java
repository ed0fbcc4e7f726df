package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.exchange.sim.VirtualClock;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps up to {@code trading.max_open_pairs} pairs alive. Each {@link #step()} repairs what is
 * mid-way (OPENING, UNHEDGED, CLOSING), runs the monitor when due, closes expired pairs and
 * opens a new one when allowed. {@link #recover()} runs the repairs once at start, before
 * anything new can open. {@link #run} schedules steps until stopped.
 */
public final class Orchestrator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);
    private static final Set<PairStatus> MID_WAY = EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED);

    private final AppConfig config;
    private final Store store;
    private final Clock clock;
    private final KillSwitch killSwitch;
    private final Random random;
    private final TraderParts parts;
    private final Alerts alerts;
    private final ExecutorService closeAllPool;
    private final HedgeManager hedgeManager;
    private final OrderExecutor executor;
    private final Monitor monitor;
    private final Closer closer;
    private final Reconciler reconciler;
    private final OpeningBreaker breaker;
    private final Backoff repairBackoff;
    // touched by the loop and by close-all's threads
    private final Set<Long> openedThisRun = ConcurrentHashMap.newKeySet();
    private final Set<Long> closedThisRun = ConcurrentHashMap.newKeySet();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Queue<CloseAllRequest> closeAllRequests = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private volatile boolean closed;
    private Integer pairLimit;
    private volatile Instant nextOpenAt;
    private Instant nextMonitorAt;
    private Instant nextThinAt;
    private Instant nextSummaryAt;
    private volatile boolean announceNextOpen;

    public Orchestrator(AppConfig config, Store store, Venues venues, Clock clock, Random random) {
        this(config, store, venues, clock, random, Telemetry.NONE);
    }

    /** As above, reporting ticks, orders and venue errors to {@code telemetry} (health, metrics). */
    public Orchestrator(AppConfig config, Store store, Venues venues, Clock clock, Random random, Telemetry telemetry) {
        this(config, store, venues, clock, random, telemetry, sleeperFor(clock));
    }

    /**
     * As above, waiting between reads of a resting order with {@code sleeper} (a test moves its
     * clock instead of sleeping).
     */
    public Orchestrator(
            AppConfig config,
            Store store,
            Venues venues,
            Clock clock,
            Random random,
            Telemetry telemetry,
            Sleeper sleeper) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.killSwitch =
                new KillSwitch(config.trading().killSwitchFile(), clock instanceof VirtualClock, System::nanoTime);
        this.random = random;
        this.parts = TraderParts.build(config, store, venues, clock, random, telemetry, sleeper);
        this.alerts = parts.alerts;
        this.closeAllPool = parts.closeAllPool;
        this.breaker = parts.breaker;
        this.hedgeManager = parts.hedgeManager;
        this.executor = parts.executor;
        this.monitor = parts.monitor;
        this.reconciler = parts.reconciler;
        this.closer = parts.closer;
        this.repairBackoff =
                new Backoff(config.closer().retryBase(), config.closer().retryMax());
        this.nextOpenAt = clock.instant();
        this.nextMonitorAt = clock.instant();
        this.nextThinAt = clock.instant();
        this.nextSummaryAt = clock.instant().plus(config.monitor().summaryEvery());
    }

    /**
     * What a {@link #requestCloseAll} did: each pair it closed as it ended up (CLOSED, or still
     * CLOSING and retried every step), and the pause on opening now in force.
     */
    public record CloseAllReport(List<HedgePair> pairs, Optional<Store.Pause> pause) {
        public CloseAllReport {
            pairs = List.copyOf(pairs);
        }
    }

    private record CloseAllRequest(String reason, CompletableFuture<CloseAllReport> done) {}

    /** The run's alerts, so sinks and metrics can listen to them. */
    public Alerts alerts() {
        return alerts;
    }

    /** Stop after this many pairs opened in this run have closed (the {@code --pairs} flag). */
    public void limitPairs(int pairs) {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs < 1: " + pairs);
        }
        this.pairLimit = pairs;
    }

    /** Resolves every pair left mid-way by an earlier run, before anything new opens. */
    public void recover() {
        executor.priceOrders();
        List<HedgePair> pending = store.pairs(EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED, PairStatus.CLOSING));
        if (pending.isEmpty()) {
            LOG.info("recovery: nothing left mid-way");
            return;
        }
        LOG.info(
                "recovery: {} pair(s) left mid-way: {}",
                pending.size(),
                pending.stream().map(p -> p.id() + "=" + p.status()).collect(Collectors.joining(", ")));
        repairMidWay(true);
        finishClosing(true);
    }

    /**
     * For {@code recover} and {@code close-all}, which run once instead of looping: keeps taking
     * the confirming reads of SUSPECT legs (a close refused because a leg is already flat) and
     * finishing CLOSING pairs, until none is suspect or {@code within} has passed.
     */
    public void confirmSuspects(Duration within, Duration pause) throws InterruptedException {
        Instant deadline = clock.instant().plus(within);
        while (!store.suspectLegs().isEmpty() && clock.instant().isBefore(deadline)) {
            Thread.sleep(pause.toMillis());
            for (Monitor.CloseRequest req : reconciler.confirmDue()) {
                closeSafely(req.pair(), req.reason());
            }
            finishClosing(true);
        }
    }

    /** One pass of the loop. Never throws: every failure is logged and retried next time. */
    public void step() {
        try {
            // confirmations first: a CLOSING leg confirmed flat lets its pair finish in this same step
            for (Monitor.CloseRequest req : reconciler.confirmDue()) {
                closeSafely(req.pair(), req.reason());
            }
            repairMidWay(false);
            finishClosing(false);
            closeAllRequested();
            Instant now = clock.instant();
            if (!now.isBefore(nextMonitorAt)) {
                nextMonitorAt = now.plus(config.monitor().interval());
                // fills whose price and fee reads failed (or a crash cut short) are read again
                executor.priceOrders();
                Monitor.Findings findings = monitor.tick();
                for (Monitor.CloseRequest req : findings.protective()) {
                    closeSafely(req.pair(), req.reason());
                }
                reconciler.onFindings(findings);
            }
            for (HedgePair pair : store.pairs(EnumSet.of(PairStatus.OPEN))) {
                if (pair.expiredAt(clock.instant())) {
                    closeSafely(pair, "EXPIRED");
                }
            }
            maybeOpen();
            announceNextOpen();
            upkeep();
            if (pairLimit != null
                    && closedThisRun.size() >= pairLimit
                    && store.pairs(PairStatus.active()).isEmpty()) {
                LOG.info("{} pair(s) closed in this run: done", closedThisRun.size());
                finished.countDown();
            }
        } catch (VirtualMachineError e) {
            // out of memory or stack: the process cannot be trusted to go on; run() returns and the
            // service manager restarts it (open pairs are recovered at the next start)
            LOG.error("step failed with {}; stopping", e.toString());
            finished.countDown();
            throw e;
        } catch (RuntimeException | Error e) {
            // anything else, a bug included, must not end the loop: an exception escaping a
            // scheduled task cancels every later run while run() waits, and open pairs would go
            // unwatched
            LOG.error("step failed, retrying next tick: {}", e.toString(), e);
        }
    }

    private void repairMidWay(boolean force) {
        Instant now = clock.instant();
        for (HedgePair pair : store.pairs(MID_WAY)) {
            if (!force && !repairBackoff.due(pair.id(), now)) {
                if (pair.status() == PairStatus.UNHEDGED) {
                    alerts.raise(
                            AlertKind.UNHEDGED,
                            Alerts.Level.ERROR,
                            pair.id(),
                            null,
                            "still unhedged; next repair attempt scheduled");
                }
                continue;
            }
            try {
                onOpenResult(hedgeManager.settle(pair));
            } catch (RuntimeException e) {
                LOG.warn("repair of pair {} failed: {}", pair.id(), e.getMessage());
                repairBackoff.failed(pair.id(), now);
            }
        }
    }

    private void finishClosing(boolean force) {
        for (HedgePair pair : store.pairs(EnumSet.of(PairStatus.CLOSING))) {
            if (force || closer.due(pair)) {
                onClose(pair, closer.attempt(pair));
            }
        }
    }

    private void closeSafely(HedgePair pair, String reason) {
        try {
            onClose(pair, closer.close(pair, reason));
        } catch (RuntimeException e) {
            LOG.warn("could not start closing pair {}: {}", pair.id(), e.getMessage());
        }
    }

    private void onClose(HedgePair pair, Closer.Outcome outcome) {
        if (outcome == Closer.Outcome.CLOSED) {
            if (openedThisRun.contains(pair.id())) {
                closedThisRun.add(pair.id());
            }
            Instant cooldownEnd = clock.instant().plus(cooldown());
            if (cooldownEnd.isAfter(nextOpenAt)) {
                nextOpenAt = cooldownEnd;
            }
            announceNextOpen = true;
        }
    }

    private void onOpenResult(OpenResult r) {
        Instant now = clock.instant();
        if (r instanceof OpenResult.Opened o) {
            openedThisRun.add(o.pair().id());
            repairBackoff.succeeded(o.pair().id());
        } else if (r instanceof OpenResult.Unhedged u) {
            repairBackoff.failed(u.pair().id(), now);
        } else if (r instanceof OpenResult.Pending p) {
            repairBackoff.failed(p.pair().id(), now);
        } else if (r instanceof OpenResult.RolledBack b) {
            repairBackoff.succeeded(b.pair().id());
        } else if (r instanceof OpenResult.Failed f) {
            repairBackoff.succeeded(f.pair().id());
        } else if (!(r instanceof OpenResult.Skipped)) {
            throw new AssertionError(r);
        }
        breaker.opened(r);
    }

    private void maybeOpen() {
        OpeningPolicy.Decision decision = OpeningPolicy.decide(openingSnapshot());
        if (decision instanceof OpeningPolicy.Decision.Hold hold) {
            if (hold.alert() != null) {
                alerts.raise(
                        hold.alert().kind(),
                        hold.alert().level(),
                        null,
                        null,
                        hold.alert().message());
            }
            return;
        }
        List<HedgePair> active = store.pairs(PairStatus.active());
        Reconciler.Gate gate = reconciler.gate();
        if (!gate.open()) {
            alerts.raise(
                    AlertKind.OPENING_BLOCKED, Alerts.Level.WARN, null, null, "not opening: " + gate.blockedBecause());
            nextOpenAt = clock.instant().plus(config.monitor().interval());
            return;
        }
        Set<String> busy = busyAssets(active, config.trading().maxPairsPerAsset());
        busy.addAll(gate.blockedAssets());
        OpenResult r = hedgeManager.openNext(busy, gate.accounts());
        onOpenResult(r);
        nextOpenAt = clock.instant().plus(cooldown());
        announceNextOpen = true;
    }

    /**
     * Assets that already hold {@code maxPerAsset} active pairs (any status not final: OPENING,
     * OPEN, UNHEDGED, CLOSING), so no new pair opens on them.
     */
    static Set<String> busyAssets(List<HedgePair> active, int maxPerAsset) {
        Map<String, Long> perAsset =
                active.stream().collect(Collectors.groupingBy(HedgePair::asset, Collectors.counting()));
        Set<String> busy = new HashSet<>();
        perAsset.forEach((asset, n) -> {
            if (n >= maxPerAsset) {
                busy.add(asset);
            }
        });
        return busy;
    }

    /**
     * Once a cooldown is set, one line saying when the next pair opens, if one can: fewer pairs
     * than trading.max_open_pairs, and the {@code --pairs} limit not reached.
     */
    private void announceNextOpen() {
        if (!announceNextOpen) {
            return;
        }
        announceNextOpen = false;
        Instant now = clock.instant();
        if (stopping
                || !nextOpenAt.isAfter(now)
                || (pairLimit != null && openedThisRun.size() >= pairLimit)
                || store.pairs(PairStatus.active()).size() >= config.trading().maxOpenPairs()) {
            return;
        }
        LOG.info(
                "next pair opens at {} (in {}s)",
                nextOpenAt.truncatedTo(ChronoUnit.SECONDS),
                Duration.between(now, nextOpenAt).toSeconds());
    }

    /**
     * The summary line every monitor.summary_minutes, and at most once an hour the marks older
     * than monitor.keep_marks_days thinned to one per pair per hour.
     */
    private void upkeep() {
        Instant now = clock.instant();
        Duration every = config.monitor().summaryEvery();
        if (!every.isZero() && !now.isBefore(nextSummaryAt)) {
            nextSummaryAt = now.plus(every);
            if (LOG.isInfoEnabled()) { // simulate logs warnings only: the line is not even built
                LOG.info(summary());
            }
        }
        if (!now.isBefore(nextThinAt)) {
            nextThinAt = now.plus(Duration.ofHours(1));
            int thinned = store.thinMarks(now.minus(config.monitor().keepMarks()));
            if (thinned > 0) {
                LOG.info(
                        "marks older than {} day(s) thinned to one per pair per hour: {} removed",
                        config.monitor().keepMarks().toDays(),
                        thinned);
            }
        }
    }

    /** The progress summary as logged: open pairs, today's (UTC) figures, whether opening is paused. */
    String summary() {
        Instant midnight = clock.instant().truncatedTo(ChronoUnit.DAYS);
        Optional<Store.Pause> pause = store.openingPause();
        String opening = pause.map(p -> "PAUSED since " + p.pausedAt().truncatedTo(ChronoUnit.SECONDS)
                        + " ('perp-trader resume' lifts it)")
                .orElse("allowed");
        return Progress.summary(
                store.pairs(EnumSet.of(PairStatus.OPEN)).size(),
                Progress.Totals.of(store.pairsEndedSince(midnight)),
                opening);
    }

    /** What the opening decision reads, as of now. */
    private OpeningPolicy.Snapshot openingSnapshot() {
        Instant now = clock.instant();
        BigDecimal limit = config.risk().dailyLossLimitUsd();
        // today's (UTC) realized net PnL plus open pairs' unrealized PnL; read only when limited
        BigDecimal today = limit.signum() == 0
                ? BigDecimal.ZERO
                : store.netPnlEndedSince(now.truncatedTo(ChronoUnit.DAYS)).add(store.unrealizedOfActivePairs());

        return new OpeningPolicy.Snapshot(
                now,
                stopping,
                killSwitch.file(),
                killSwitch.present(),
                nextOpenAt,
                today,
                limit,
                pairLimit,
                openedThisRun.size(),
                breaker.paused(),
                store.pairs(PairStatus.active()),
                config.trading().maxOpenPairs());
    }

    private Duration cooldown() {
        long min = config.trading().minCooldown().toMillis();
        long max = config.trading().maxCooldown().toMillis();
        return Duration.ofMillis(min + (max > min ? (long) (random.nextDouble() * (max - min)) : 0));
    }

    /** {@code candidate} if it is after {@code now} and before {@code earliest} (null: none yet). */
    private static Instant earliestAfter(Instant now, Instant earliest, Instant candidate) {
        if (!candidate.isAfter(now)) {
            return earliest;
        }
        return earliest == null || candidate.isBefore(earliest) ? candidate : earliest;
    }

    /**
     * When the next step that can do anything is due, for a loop that steps every {@code loop}
     * from {@code origin}: the first instant on that grid after now at which the monitor ticks,
     * a pair expires, the cooldown ends, a summary or the hourly thinning is due, or a new UTC day
     * starts (a daily loss limit resets). While anything is mid-way (a pair OPENING, UNHEDGED or
     * CLOSING, a leg SUSPECT, a close-all asked for) it is simply the next instant on the grid.
     *
     * <p>A loop that steps only at these instants ({@code simulate}, on a virtual clock) takes the
     * same decisions as one that steps at every instant of the grid ({@code run}): the steps
     * skipped would have found nothing due, sent nothing and drawn no random number.
     */
    public Instant nextStepAt(Instant origin, Duration loop) {
        Instant now = clock.instant();
        Instant next = onGrid(origin, loop, now.plusNanos(1));
        if (!store.pairs(EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED, PairStatus.CLOSING))
                        .isEmpty()
                || !store.suspectLegs().isEmpty()
                || !closeAllRequests.isEmpty()) {
            return next;
        }
        // the earliest of these after now (the grid's next instant if none is)
        Instant earliest = null;
        earliest = earliestAfter(now, earliest, nextMonitorAt);
        earliest = earliestAfter(now, earliest, nextThinAt);
        if (!config.monitor().summaryEvery().isZero()) {
            earliest = earliestAfter(now, earliest, nextSummaryAt);
        }
        earliest = earliestAfter(now, earliest, nextOpenAt);
        if (config.risk().dailyLossLimitUsd().signum() != 0) {
            earliest = earliestAfter(
                    now, earliest, now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)));
        }
        for (HedgePair pair : store.pairs(EnumSet.of(PairStatus.OPEN))) {
            if (pair.closeAt() != null) {
                earliest = earliestAfter(now, earliest, pair.closeAt());
            }
        }
        if (earliest == null) {
            earliest = next;
        }
        Instant at = onGrid(origin, loop, earliest);
        return at.isBefore(next) ? next : at;
    }

    /** How often {@code run} steps: every second, or faster when the monitor interval is shorter. */
    /**
     * How the trader waits on {@code clock}: on simulated time ({@link VirtualClock}) a wait moves
     * the clock and returns at once; on a real clock it sleeps.
     */
    /** The pair opener (for tests in this package). */
    HedgeManager hedgeManager() {
        return hedgeManager;
    }

    static Sleeper sleeperFor(Clock clock) {
        if (clock instanceof VirtualClock v) {
            return v::advance;
        }
        return Sleeper.SYSTEM;
    }

    public static Duration loopInterval(AppConfig config) {
        Duration monitor = config.monitor().interval();
        return monitor.compareTo(Duration.ofSeconds(1)) < 0 ? monitor : Duration.ofSeconds(1);
    }

    /** The first instant of {@code origin + k × loop} (k ≥ 0) at or after {@code t}. */
    static Instant onGrid(Instant origin, Duration loop, Instant t) {
        long step = loop.toNanos();
        long since = Duration.between(origin, t).toNanos();
        if (since <= 0) {
            return origin;
        }
        long k = (since + step - 1) / step;
        return origin.plusNanos(k * step);
    }

    /**
     * Runs steps every {@code loop} until {@link #requestStop()} (or, with a pair limit, until
     * that many pairs have closed). The step in flight always finishes; then, if
     * {@code trading.close_on_shutdown}, open pairs are closed.
     */
    public void run(Duration loop) throws InterruptedException {
        recover();
        ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(TraderParts.named("perp-trader-loop"));
        scheduler.scheduleWithFixedDelay(this::step, 0, loop.toMillis(), TimeUnit.MILLISECONDS);
        try {
            finished.await();
        } finally {
            scheduler.shutdown();
            if (!scheduler.awaitTermination(2, TimeUnit.MINUTES)) {
                LOG.error("the step in flight did not finish within 2 minutes");
            }
        }
        if (stopping && config.trading().closeOnShutdown()) {
            closeAllOnShutdown();
        }
        if (pairLimit != null) {
            Progress.totals(runTotals()).forEach(LOG::info);
        }
        List<HedgePair> left = store.pairs(PairStatus.active());
        if (!left.isEmpty()) {
            LOG.info(
                    "stopped; {} pair(s) stay open for the next start: {}",
                    left.size(),
                    left.stream().map(p -> p.id() + "=" + p.status()).collect(Collectors.joining(", ")));
        }
    }

    private void closeAllOnShutdown() {
        closeEvery("SHUTDOWN");
    }

    /** Closes every OPEN and UNHEDGED pair, one after the other, then retries closing ones a few times. */
    private List<HedgePair> closeEvery(String reason) {
        List<HedgePair> open = store.pairs(EnumSet.of(PairStatus.OPEN, PairStatus.UNHEDGED));
        for (HedgePair pair : open) {
            closeSafely(pair, reason);
        }
        for (int i = 0; i < 3 && !store.pairs(EnumSet.of(PairStatus.CLOSING)).isEmpty(); i++) {
            finishClosing(true);
        }
        return open.stream().map(p -> store.pair(p.id()).orElseThrow()).toList();
    }

    /**
     * Asks the trading loop to close every OPEN and UNHEDGED pair (reason {@code CLOSE_ALL}) and
     * to pause opening, so the bot does not open again at once; the next {@link #step()} does it,
     * on the loop's thread, and completes the future with what happened. Safe from any thread
     * (the owner's Telegram commands). Pairs a close leaves CLOSING are retried by later steps as
     * always. Completes exceptionally if the bot stops first.
     */
    public CompletableFuture<CloseAllReport> requestCloseAll(String reason) {
        CompletableFuture<CloseAllReport> done = new CompletableFuture<>();
        closeAllRequests.add(new CloseAllRequest(reason, done));
        if (closed) {
            failCloseAllRequests();
        }
        return done;
    }

    private void closeAllRequested() {
        for (CloseAllRequest req = closeAllRequests.poll(); req != null; req = closeAllRequests.poll()) {
            try {
                String cause = "every pair closed (" + req.reason() + ") and opening paused so no new pair opens;"
                        + " 'perp-trader resume' lifts it";
                store.pauseOpening(cause, clock.instant()); // first: nothing opens while the pairs close
                LOG.warn(
                        "close-all {}: closing {} pair(s); opening paused",
                        req.reason(),
                        store.pairs(EnumSet.of(PairStatus.OPEN, PairStatus.UNHEDGED))
                                .size());
                List<HedgePair> pairs = closeEvery("CLOSE_ALL");
                req.done().complete(new CloseAllReport(pairs, store.openingPause()));
            } catch (RuntimeException e) {
                LOG.error("close-all {} failed: {}", req.reason(), e.toString());
                req.done().completeExceptionally(e);
            }
        }
    }

    private void failCloseAllRequests() {
        for (CloseAllRequest req = closeAllRequests.poll(); req != null; req = closeAllRequests.poll()) {
            req.done()
                    .completeExceptionally(
                            new IllegalStateException("the bot stopped before it could close the pairs"));
        }
    }

    /**
     * Unwinds every pair now: settles anything left mid-way, closes all OPEN and UNHEDGED pairs
     * (pairs concurrently, each pair's legs concurrently), then retries pairs still CLOSING up to
     * {@code attempts} times, {@code pause} apart. Returns each touched pair as it ended.
     */
    public List<HedgePair> closeAll(String reason, int attempts, Duration pause) throws InterruptedException {
        Set<Long> touched = store.pairs(PairStatus.active()).stream()
                .map(HedgePair::id)
                .collect(Collectors.toCollection(TreeSet::new));
        repairMidWay(true);
        List<CompletableFuture<Void>> closes = store.pairs(EnumSet.of(PairStatus.OPEN, PairStatus.UNHEDGED)).stream()
                .map(p -> CompletableFuture.runAsync(() -> closeSafely(p, reason), closeAllPool))
                .toList();
        CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).join();
        for (int i = 1;
                i < attempts && !store.pairs(EnumSet.of(PairStatus.CLOSING)).isEmpty();
                i++) {
            if (!pause.isZero()) {
                Thread.sleep(pause.toMillis());
            }
            reconciler.confirmDue(); // a leg whose close was refused may be confirmed flat by now
            finishClosing(true);
        }
        confirmSuspects(config.reconcile().confirmWindow().plusSeconds(5), Duration.ofSeconds(1));
        return touched.stream().map(id -> store.pair(id).orElseThrow()).toList();
    }

    /** The totals of the pairs opened by this run that have ended. */
    Progress.Totals runTotals() {
        return Progress.Totals.of(openedThisRun.stream()
                .map(id -> store.pair(id).orElseThrow())
                .filter(p -> p.closedAt() != null)
                .toList());
    }

    /** Stops opening pairs and ends {@link #run} after the step in flight. Safe from any thread. */
    public void requestStop() {
        stopping = true;
        finished.countDown();
    }

    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    @Override
    public void close() {
        closed = true;
        failCloseAllRequests();
        parts.close();
    }
}
