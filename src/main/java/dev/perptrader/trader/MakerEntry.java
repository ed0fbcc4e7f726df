package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.MakerEntryPlan;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.exchange.TopOfBook;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a maker-first entry ({@code trading.entry = maker_first}) or exit
 * ({@code trading.exit = maker_first}): rests a post-only order on the maker venue and hedges
 * every fill of it at once with a taker order of that quantity on the other venue, as
 * {@link MakerEntryPlan} decides step by step. Every order is recorded before it is sent. When it
 * returns, every order it placed has ended (or is left unsettled for {@link OrderExecutor#resolve},
 * which cancels a resting order before it records how it ended).
 *
 * <p>An entry runs on a pair recorded OPENING with no order yet; the pair is then settled the
 * usual way ({@link HedgeManager#settle}): equal legs are OPEN, unequal ones trimmed to the
 * smaller. An exit runs on a pair just marked CLOSING, with reduce-only orders; at its timeout it
 * stops, and {@link Closer#attempt} closes what is left on both venues with market orders.
 *
 * <p>A fill is seen within one {@code trading.maker_poll_ms} of happening and hedged at once; what
 * the fills not yet hedged exposed (quantity × seconds from a fill being seen to its hedge
 * filling) is recorded with the pair.
 */
final class MakerEntry {
    private static final Logger LOG = LoggerFactory.getLogger(MakerEntry.class);
    private static final BigDecimal MS_PER_SECOND = BigDecimal.valueOf(1000);
    /** A cancel the venue has accepted is read again this many times before the entry gives up on it. */
    private static final int CANCEL_READS = 5;

    /** What the orders do: open the pair, or close it. */
    enum Kind {
        ENTRY,
        EXIT
    }

    private final AppConfig.Orders settings;
    private final Venues venues;
    private final List<Venue> configured;
    /** The maker venue trading.maker_venue names, or the one chosen from the venues' fee rates. */
    private volatile Venue makerVenue;

    private final Store store;
    private final OrderExecutor executor;
    private final Alerts alerts;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ExecutorService io;

    MakerEntry(
            AppConfig config,
            Venues venues,
            Store store,
            OrderExecutor executor,
            Alerts alerts,
            Clock clock,
            Sleeper sleeper,
            ExecutorService io) {
        this.settings = config.trading().orders();
        this.venues = venues;
        this.configured = config.trading().venues();
        this.makerVenue = settings.makerVenue().orElse(null);
        this.store = store;
        this.executor = executor;
        this.alerts = alerts;
        this.clock = clock;
        this.sleeper = sleeper;
        this.io = io;
    }

    /**
     * The venue that rests a maker-first entry's order: trading.maker_venue, or else the one whose
     * account saves more by resting (taker − maker fee rate, as the venues report them; read once).
     */
    Venue makerVenue() {
        Venue chosen = makerVenue;
        if (chosen != null) {
            return chosen;
        }
        Venue first = configured.get(0);
        Venue second = configured.get(1);
        FeeRates a = venues.get(first).feeRates();
        FeeRates b = venues.get(second).feeRates();
        chosen = FeeRates.cheaperToRest(first, a, second, b);
        LOG.info(
                "maker-first orders rest on {}: it saves {} per unit of notional by resting, {} saves {}",
                chosen.configName(),
                (chosen == first ? a : b).makerSaving().toPlainString(),
                (chosen == first ? second : first).configName(),
                (chosen == first ? b : a).makerSaving().toPlainString());
        makerVenue = chosen;
        return chosen;
    }

    /**
     * The venue that rests a maker-first exit's reduce-only order: the maker venue if it can post
     * an order both post-only and reduce-only (Hibachi cannot: its orderFlags holds one value),
     * else the other venue if that one can; empty when neither can (the exit is taker).
     */
    Optional<Venue> exitMakerVenue() {
        Venue maker = makerVenue();
        if (venues.get(maker).postOnlyReduceOnly()) {
            return Optional.of(maker);
        }
        Venue other = configured.get(0) == maker ? configured.get(1) : configured.get(0);
        return venues.get(other).postOnlyReduceOnly() ? Optional.of(other) : Optional.empty();
    }

    /** One side of the entry: its leg, venue and market. */
    record Side(Leg leg, PerpExchange venue, MarketRules rules) {}

    /** A fill of the maker leg not hedged yet, and when it was seen. */
    private record Unhedged(BigDecimal qty, Instant seenAt) {}

    /** What the entry holds while it runs. */
    private final class Run {
        final long pairId;
        final BigDecimal target;
        final Side maker;
        final Side hedge;
        final Kind kind;
        final Instant startedAt = clock.instant();
        BigDecimal makerFilled = BigDecimal.ZERO;
        BigDecimal hedged = BigDecimal.ZERO;
        OrderRecord resting;
        RestingOrder restingRead;
        TopOfBook book;
        final Deque<Unhedged> unhedged = new ArrayDeque<>();
        BigDecimal exposure = BigDecimal.ZERO;
        int fillsHedged;
        long worstHedgeMs;
        int cancelReads;

        Run(long pairId, BigDecimal target, Side maker, Side hedge, Kind kind) {
            this.kind = kind;
            this.pairId = pairId;
            this.target = target;
            this.maker = maker;
            this.hedge = hedge;
        }

        MakerEntryPlan.Inputs inputs() {
            MakerEntryPlan.Resting r = resting == null
                    ? null
                    : new MakerEntryPlan.Resting(
                            resting.limitPrice(),
                            restingRead == null || !restingRead.status().ended());
            MakerEntryPlan.Book b = book == null ? null : new MakerEntryPlan.Book(book.bid(), book.ask());
            return new MakerEntryPlan.Inputs(
                    target,
                    makerFilled,
                    hedged,
                    r,
                    b,
                    kind == Kind.ENTRY
                            ? maker.leg().side().opening()
                            : maker.leg().side().closing(),
                    maker.rules(),
                    hedge.rules(),
                    settings.requoteTicks(),
                    settings.timeout(),
                    startedAt,
                    clock.instant());
        }
    }

    /**
     * Runs the entry or exit of {@code target} for pair {@code pairId}: rests on {@code maker}'s
     * venue and hedges on {@code hedge}'s. Returns once nothing rests any more (or it cannot go on).
     */
    void run(long pairId, BigDecimal target, Side maker, Side hedge, Kind kind) {
        Run run = new Run(pairId, target, maker, hedge, kind);
        LOG.info(
                "pair {}: maker-first {} of {} {}: resting on {}, hedging on {}",
                pairId,
                kind == Kind.ENTRY ? "entry" : "exit",
                target.toPlainString(),
                maker.rules().asset(),
                maker.venue().venue().configName(),
                hedge.venue().venue().configName());
        try {
            loop(run);
        } finally {
            if (run.fillsHedged > 0 || run.exposure.signum() > 0) {
                store.recordMakerExposure(pairId, run.exposure, run.fillsHedged, run.worstHedgeMs);
            }
        }
    }

    private void loop(Run run) {
        // a hard stop well past the timeout: a venue that never ends a cancel cannot hold the loop
        Instant giveUp = run.startedAt.plus(settings.timeout()).plus(settings.timeout());
        readBook(run);
        while (true) {
            MakerEntryPlan.Step step = MakerEntryPlan.next(run.inputs());
            if (step instanceof MakerEntryPlan.Hedge h) {
                if (!hedge(run, h.qty())) {
                    stopResting(run, "the hedge was not filled");
                    return;
                }
            } else if (step instanceof MakerEntryPlan.Place p) {
                if (!place(run, p)) {
                    return;
                }
            } else if (step instanceof MakerEntryPlan.Cancel c) {
                cancel(run, c.why());
                if (!clock.instant().isBefore(giveUp)) {
                    LOG.warn(
                            "pair {}: the resting order {} did not end after being cancelled; resolved on later steps",
                            run.pairId,
                            run.resting.clientId());
                    return;
                }
            } else if (step instanceof MakerEntryPlan.FinishWithTakers f) {
                if (run.kind == Kind.ENTRY) {
                    finishWithTakers(run, f.qty());
                }
                // an exit's rest is closed by the Closer with market orders on both venues
                return;
            } else if (step instanceof MakerEntryPlan.Abandon) {
                if (run.kind == Kind.EXIT) {
                    return;
                }
                LOG.info(
                        "pair {}: nothing filled in {} s (trading.maker_timeout_seconds); no pair opened",
                        run.pairId,
                        settings.timeout().toSeconds());
                return;
            } else if (step instanceof MakerEntryPlan.Done) {
                return;
            } else if (step instanceof MakerEntryPlan.Wait) {
                pause();
                poll(run);
                readBook(run);
            } else {
                throw new AssertionError(step);
            }
        }
    }

    /** Sends a taker order of {@code qty} on the hedge venue; false if it did not fill in full. */
    private boolean hedge(Run run, BigDecimal qty) {
        OrderRecord after;
        if (run.kind == Kind.ENTRY) {
            OrderRecord o = store.recordOpeningOrder(
                    run.hedge.leg(), qty, run.hedge.venue().newClientId(), null, clock.instant());
            after = executor.send(o);
        } else {
            // the order is recorded for the leg by its ids and side: no need to read the leg again
            after = executor.reduce(run.hedge.leg(), OrderPurpose.CLOSE, qty);
        }
        Instant filledAt = clock.instant();
        BigDecimal filled = after.filledQty();
        run.hedged = run.hedged.add(filled);
        // the exposure each fill covered ran from when it was seen to now
        BigDecimal covered = filled;
        while (covered.signum() > 0 && !run.unhedged.isEmpty()) {
            Unhedged u = run.unhedged.peekFirst();
            BigDecimal part = u.qty().min(covered);
            long ms = Duration.between(u.seenAt(), filledAt).toMillis();
            run.exposure = run.exposure.add(
                    part.multiply(BigDecimal.valueOf(ms)).divide(MS_PER_SECOND, 6, RoundingMode.HALF_UP));
            run.worstHedgeMs = Math.max(run.worstHedgeMs, ms);
            run.fillsHedged++;
            covered = covered.subtract(part);
            run.unhedged.pollFirst();
            if (part.compareTo(u.qty()) < 0) {
                run.unhedged.addFirst(new Unhedged(u.qty().subtract(part), u.seenAt()));
            }
        }
        if (after.status() != OrderStatus.FILLED || filled.compareTo(qty) != 0) {
            alerts.raise(
                    AlertKind.UNHEDGED,
                    Alerts.Level.ERROR,
                    run.pairId,
                    run.hedge.venue().venue(),
                    "maker-first hedge of " + qty.toPlainString() + " "
                            + run.hedge.rules().asset() + " on "
                            + run.hedge.venue().venue().configName() + " came to " + after.status() + " "
                            + filled.toPlainString()
                            + (run.kind == Kind.ENTRY
                                    ? "; the resting order is cancelled and the maker fill brought back to what is"
                                            + " hedged (reduce-only)"
                                    : "; the resting order is cancelled and both legs closed with market orders"));
            return false;
        }
        return true;
    }

    /** Rests a post-only order; false when the entry cannot go on (refused, outcome unknown). */
    private boolean place(Run run, MakerEntryPlan.Place p) {
        OrderRecord o = run.kind == Kind.ENTRY
                ? store.recordOpeningOrder(
                        run.maker.leg(), p.qty(), run.maker.venue().newClientId(), p.price(), clock.instant())
                : store.recordRestingReduce(
                        run.maker.leg(),
                        OrderPurpose.CLOSE,
                        p.qty(),
                        run.maker.venue().newClientId(),
                        p.price(),
                        clock.instant());
        OrderExecutor.Rested rested = executor.placeResting(o);
        if (rested instanceof OrderExecutor.Resting r) {
            run.resting = o;
            run.restingRead = null;
            run.cancelReads = 0;
            seen(run, r.order());
            return true;
        }
        if (rested instanceof OrderExecutor.WouldTake) {
            // the book moved onto the price between the read and the order: read it again
            LOG.info(
                    "pair {}: post-only at {} would have taken; quoting the new book",
                    run.pairId,
                    p.price().toPlainString());
            run.resting = null;
            pause();
            readBook(run);
            return true;
        }
        if (rested instanceof OrderExecutor.RestRefused refused) {
            LOG.warn(
                    "pair {}: {} refused the resting order: {}",
                    run.pairId,
                    run.maker.venue().venue().configName(),
                    refused.error().getMessage());
            return false;
        }
        LOG.warn(
                "pair {}: the resting order {} may rest ({}); it is cancelled and settled on later steps",
                run.pairId,
                o.clientId(),
                ((OrderExecutor.RestUnknown) rested).why());
        return false;
    }

    /** Reads the resting order and takes in what filled since the last read. */
    private void poll(Run run) {
        if (run.resting == null) {
            return;
        }
        try {
            Optional<RestingOrder> read = run.maker.venue().restingOrder(run.resting.symbol(), run.resting.clientId());
            read.ifPresent(r -> seen(run, r));
        } catch (RuntimeException e) {
            // a failed read, or a reply that makes no sense (more filled than ordered): read again
            LOG.warn("pair {}: reading the resting order failed: {}", run.pairId, e.getMessage());
        }
    }

    /** Takes in a read of the resting order: new fills are due for hedging; an end is recorded. */
    private void seen(Run run, RestingOrder r) {
        BigDecimal before = run.restingRead == null ? BigDecimal.ZERO : run.restingRead.filledQty();
        BigDecimal delta = r.filledQty().subtract(before);
        if (delta.signum() > 0) {
            run.makerFilled = run.makerFilled.add(delta);
            run.unhedged.addLast(new Unhedged(delta, clock.instant()));
            LOG.info(
                    "pair {}: resting order {} filled {} more ({} of {}); hedging it",
                    run.pairId,
                    r.clientId(),
                    delta.toPlainString(),
                    r.filledQty().toPlainString(),
                    run.resting.qty().toPlainString());
        }
        boolean endedNow = r.status().ended()
                && (run.restingRead == null || !run.restingRead.status().ended());
        run.restingRead = r;
        // the one read at which the order is first seen ended records how it ended
        if (endedNow) {
            executor.recordRestingEnd(run.resting, r, "ended on the venue");
        }
    }

    /** Cancels the resting order and takes in how it ended (fills that raced the cancel too). */
    private void cancel(Run run, String why) {
        LOG.info("pair {}: cancelling resting order {}: {}", run.pairId, run.resting.clientId(), why);
        try {
            Optional<RestingOrder> after = run.maker.venue().cancelOrder(run.resting.symbol(), run.resting.clientId());
            if (after.isPresent()) {
                seen(run, after.get());
            }
            if (after.isPresent() && after.get().status().ended()) {
                return;
            }
        } catch (RuntimeException e) {
            LOG.warn("pair {}: cancelling {} failed: {}", run.pairId, run.resting.clientId(), e.getMessage());
        }
        // accepted but not carried out yet, or the cancel failed: read again after a poll
        run.cancelReads++;
        pause();
        poll(run);
        if (run.cancelReads >= CANCEL_READS
                && run.restingRead != null
                && !run.restingRead.status().ended()) {
            LOG.warn(
                    "pair {}: resting order {} still on the book after {} cancels",
                    run.pairId,
                    run.resting.clientId(),
                    run.cancelReads);
        }
    }

    /** Cancels what rests (the entry stops): fills up to the cancel are taken in and recorded. */
    private void stopResting(Run run, String why) {
        if (run.resting == null
                || (run.restingRead != null && run.restingRead.status().ended())) {
            return;
        }
        for (int i = 0;
                i < CANCEL_READS
                        && (run.restingRead == null || !run.restingRead.status().ended());
                i++) {
            cancel(run, why);
        }
    }

    /** The timeout passed with some filled: takes {@code qty} on both venues at once. */
    private void finishWithTakers(Run run, BigDecimal qty) {
        LOG.info(
                "pair {}: {} s passed with {} of {} filled; taking the remaining {} on both venues",
                run.pairId,
                settings.timeout().toSeconds(),
                run.makerFilled.toPlainString(),
                run.target.toPlainString(),
                qty.toPlainString());
        Instant now = clock.instant();
        OrderRecord onMaker =
                store.recordOpeningOrder(run.maker.leg(), qty, run.maker.venue().newClientId(), null, now);
        OrderRecord onHedge =
                store.recordOpeningOrder(run.hedge.leg(), qty, run.hedge.venue().newClientId(), null, now);
        CompletableFuture<OrderRecord> a = CompletableFuture.supplyAsync(() -> executor.send(onMaker), io);
        CompletableFuture<OrderRecord> b = CompletableFuture.supplyAsync(() -> executor.send(onHedge), io);
        // whatever either came to is settled with the pair (trimmed to the smaller leg)
        CompletableFuture.allOf(a, b).handle((x, e) -> null).join();
    }

    private void readBook(Run run) {
        try {
            run.book = run.maker.venue().topOfBook(run.maker.rules().symbol());
        } catch (RuntimeException e) {
            LOG.warn("pair {}: reading the book failed: {}", run.pairId, e.getMessage());
        }
    }

    private void pause() {
        try {
            sleeper.sleep(settings.poll());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a maker-first entry", e);
        }
    }
}
