package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairResult;
import dev.perptrader.domain.PairSnapshot;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Quantities;
import dev.perptrader.domain.Settlement;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens pairs: picks market, leverage, duration and margin at random within the configured
 * ranges, sizes one quantity for both legs, checks collateral, records the intent, sends both
 * legs at once, and settles the outcome (trim, roll back, or mark UNHEDGED for retry).
 */
public final class HedgeManager {
    private static final Logger LOG = LoggerFactory.getLogger(HedgeManager.class);
    private static final BigDecimal MS_PER_HOUR = BigDecimal.valueOf(3_600_000L);

    private final AppConfig config;
    private final Store store;
    private final Venues venues;
    private final OrderExecutor executor;
    private final Alerts alerts;
    private final Clock clock;
    private final Random random;
    private final ExecutorService io;
    /**
     * Pairs whose opening orders (or early rollback) are still being sent or recorded by their own
     * threads after the open stopped waiting: nothing else looks up, repairs or ends such a pair
     * until they are done, so a late answer can never meet a decision taken without it.
     */
    private final Map<Long, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    private final OpeningBreaker breaker;
    private final MakerEntry makerEntry;

    HedgeManager(
            AppConfig config,
            Store store,
            Venues venues,
            OrderExecutor executor,
            Alerts alerts,
            Clock clock,
            Random random,
            ExecutorService io,
            OpeningBreaker breaker,
            MakerEntry makerEntry) {
        this.config = config;
        this.store = store;
        this.venues = venues;
        this.executor = executor;
        this.alerts = alerts;
        this.clock = clock;
        this.random = random;
        this.io = io;
        this.breaker = breaker;
        this.makerEntry = makerEntry;
    }

    /** What planning came to: a {@link Plan}, or a reason not to open now. */
    sealed interface Planning permits Plan, NoPlan {}

    /** Nothing to open now, and why. */
    record NoPlan(String reason) implements Planning {}

    /**
     * A sized, checked pair ready to be recorded and sent. {@code referencePrice} is the higher of
     * the two venues' marks: the quantity is sized from it, so neither leg exceeds the notional.
     */
    record Plan(
            String asset,
            Venue longVenue,
            MarketRules longRules,
            Venue shortVenue,
            MarketRules shortRules,
            BigDecimal leverage,
            BigDecimal quantity,
            BigDecimal referencePrice,
            long durationMs)
            implements Planning {
        BigDecimal notional() {
            return quantity.multiply(referencePrice);
        }
    }

    /**
     * Tries to open one new pair on a market not in {@code busyAssets}, checking collateral on
     * {@code accounts} (read just before, by the exposure gate; venues missing there are read now).
     * On an asset that already holds active pairs the new pair takes their sides (see {@link #plan}).
     */
    public OpenResult openNext(Set<String> busyAssets, Map<Venue, AccountState> accounts) {
        Planning planning;
        try {
            planning = plan(busyAssets, accounts);
        } catch (ExchangeException e) {
            breaker.refused(e);
            alerts.raise(
                    AlertKind.VENUE_DOWN,
                    Alerts.Level.WARN,
                    null,
                    e.venue(),
                    "cannot prepare a pair: " + e.getMessage());
            return new OpenResult.Skipped("venue unavailable: " + e.getMessage());
        }
        if (planning instanceof NoPlan none) {
            LOG.info("not opening: {}", none.reason());
            return new OpenResult.Skipped(none.reason());
        }
        return open((Plan) planning);
    }

    /**
     * Picks and sizes a pair and checks prices and collateral; sends nothing but the leverage setting.
     *
     * <p>A venue nets every position on one market, so pairs sharing an asset must not face each
     * other: on an asset that already holds active pairs ({@code trading.max_pairs_per_asset} > 1)
     * the new pair is LONG and SHORT on the same venues as the oldest of them, and
     * {@code trading.direction} decides only for the first pair on an asset.
     */
    Planning plan(Set<String> busyAssets, Map<Venue, AccountState> accounts) {
        AppConfig.Trading t = config.trading();
        Venue first = t.venues().get(0);
        Venue second = t.venues().get(1);
        Map<String, MarketRules> firstMarkets = venues.get(first).markets();
        Map<String, MarketRules> secondMarkets = venues.get(second).markets();
        Map<String, HedgePair> sharing = oldestActivePerAsset();
        List<String> candidates = new ArrayList<>();
        for (String asset : t.markets()) {
            MarketRules a = firstMarkets.get(asset);
            MarketRules b = secondMarkets.get(asset);
            HedgePair held = sharing.get(asset);
            // a pair held on other venues (the configuration changed) cannot be joined safely
            boolean joinable =
                    held == null || Set.of(held.longVenue(), held.shortVenue()).equals(Set.of(first, second));
            if (a != null && b != null && a.open() && b.open() && !busyAssets.contains(asset) && joinable) {
                candidates.add(asset);
            }
        }
        if (candidates.isEmpty()) {
            return new NoPlan("no configured market " + t.markets() + " is open on both venues and "
                    + (t.maxPairsPerAsset() == 1
                            ? "free of an open pair"
                            : "holds fewer than trading.max_pairs_per_asset (" + t.maxPairsPerAsset()
                                    + ") active pairs"));
        }
        String asset = candidates.get(random.nextInt(candidates.size()));
        MarketRules firstRules = firstMarkets.get(asset);
        MarketRules secondRules = secondMarkets.get(asset);
        PerpExchange.Quote q1 =
                venues.get(first).quotes(List.of(firstRules.symbol())).get(firstRules.symbol());
        PerpExchange.Quote q2 =
                venues.get(second).quotes(List.of(secondRules.symbol())).get(secondRules.symbol());
        if (q1 == null || q2 == null) {
            return new NoPlan("no mark price for " + asset + " on both venues");
        }
        Optional<String> suspect = priceSuspect(q1.markPrice(), q2.markPrice());
        if (suspect.isPresent()) {
            alerts.raise(
                    AlertKind.PRICE_SUSPECT,
                    Alerts.Level.WARN,
                    null,
                    null,
                    asset,
                    asset + " marks "
                            + first.configName() + " " + q1.markPrice().toPlainString() + ", " + second.configName()
                            + " "
                            + q2.markPrice().toPlainString() + ": " + suspect.get() + "; not opening");
            return new NoPlan("prices of " + asset + " look wrong: " + suspect.get());
        }
        BigDecimal leverage = uniform(t.minLeverage(), t.maxLeverage(), 2);
        BigDecimal margin = uniform(t.minMarginUsd(), t.maxMarginUsd(), 2);
        long durationMs = uniform(t.minDurationHours(), t.maxDurationHours(), 6)
                .multiply(MS_PER_HOUR)
                .setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
        BigDecimal reference = q1.markPrice().max(q2.markPrice());
        BigDecimal targetNotional = margin.multiply(leverage);
        if (targetNotional.compareTo(config.risk().maxNotionalUsd()) > 0) {
            LOG.info(
                    "notional {} x {} = {} capped at risk.max_notional_usd {}",
                    margin,
                    leverage,
                    Money.usd(targetNotional),
                    config.risk().maxNotionalUsd());
            targetNotional = config.risk().maxNotionalUsd();
        }
        BigDecimal rawQty = targetNotional.divide(reference, Money.MC);
        BigDecimal qty = Quantities.commonQuantity(rawQty, firstRules, secondRules);
        if (!firstRules.meetsMinimums(qty, q1.markPrice()) || !secondRules.meetsMinimums(qty, q2.markPrice())) {
            LOG.warn(
                    "skipping {}: margin {} x {} at {} gives {} after rounding to the common step {}, "
                            + "below a venue minimum (raise trading.min_margin_usd)",
                    asset,
                    margin,
                    leverage,
                    reference.setScale(2, RoundingMode.HALF_EVEN),
                    qty.toPlainString(),
                    Quantities.commonStep(firstRules.stepSize(), secondRules.stepSize())
                            .toPlainString());
            return new NoPlan("size of " + asset + " rounds below a venue minimum");
        }
        // trading.direction decides for the first pair on an asset; the next ones join its sides
        HedgePair held = sharing.get(asset);
        boolean firstLong = held != null
                ? held.longVenue() == first
                : switch (t.direction()) {
                    case FIXED -> true;
                    case RANDOM -> random.nextBoolean();
                    case FUNDING ->
                        hourly(q1.fundingRate(), venues.get(first).fundingInterval(firstRules.symbol()))
                                        .compareTo(hourly(
                                                q2.fundingRate(),
                                                venues.get(second).fundingInterval(secondRules.symbol())))
                                <= 0;
                };
        Plan plan = firstLong
                ? new Plan(asset, first, firstRules, second, secondRules, leverage, qty, reference, durationMs)
                : new Plan(asset, second, secondRules, first, firstRules, leverage, qty, reference, durationMs);
        for (Venue v : List.of(first, second)) {
            BigDecimal mark = v == first ? q1.markPrice() : q2.markPrice();
            BigDecimal required =
                    qty.multiply(mark).divide(leverage, Money.MC).multiply(BigDecimal.ONE.add(t.collateralBuffer()));
            AccountState account =
                    accounts.containsKey(v) ? accounts.get(v) : venues.get(v).account();
            if (account.freeCollateral().compareTo(required) < 0) {
                alerts.raise(
                        AlertKind.INSUFFICIENT_COLLATERAL,
                        Alerts.Level.WARN,
                        null,
                        v,
                        "free collateral " + Money.usd(account.freeCollateral()) + " < required "
                                + Money.usd(required) + " for " + asset + " " + qty.toPlainString()
                                + " at " + leverage + "x; skipping this cycle");
                return new NoPlan("insufficient collateral on " + v.configName());
            }
        }
        venues.get(plan.longVenue()).ensureLeverage(plan.longRules().symbol(), leverage);
        venues.get(plan.shortVenue()).ensureLeverage(plan.shortRules().symbol(), leverage);
        return plan;
    }

    /** The oldest active pair (any status not final) of each asset that holds one. */
    private Map<String, HedgePair> oldestActivePerAsset() {
        Map<String, HedgePair> out = new HashMap<>();
        for (HedgePair p : store.pairs(PairStatus.active())) {
            out.merge(p.asset(), p, (a, b) -> a.id() <= b.id() ? a : b);
        }
        return out;
    }

    /**
     * Why two marks cannot be traded on, if they cannot: a mark that is not a positive price, or
     * marks further apart than {@code risk.max_entry_basis} (as a fraction of the lower).
     */
    Optional<String> priceSuspect(BigDecimal a, BigDecimal b) {
        if (a.signum() <= 0 || b.signum() <= 0) {
            return Optional.of("a mark price is not positive");
        }
        BigDecimal basis = a.subtract(b).abs().divide(a.min(b), Money.MC);
        if (basis.compareTo(config.risk().maxEntryBasis()) > 0) {
            return Optional.of("they differ by " + basis.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN)
                    + "%, more than risk.max_entry_basis " + config.risk().maxEntryBasis());
        }
        return Optional.empty();
    }

    /** The venue that rests a maker-first order (see {@link MakerEntry#makerVenue()}). */
    Venue makerVenue() {
        return makerEntry.makerVenue();
    }

    /**
     * A maker-first entry: the pair is recorded with no order, its orders are recorded one by one
     * as {@link MakerEntry} sends them, and the pair is settled as any other: equal legs are OPEN,
     * unequal ones trimmed to the smaller. An entry in which nothing filled ends FAILED as
     * "UNFILLED" with no alert: the market did not come to the order, nothing went wrong.
     */
    private OpenResult openMakerFirst(Plan plan) {
        Venue maker;
        try {
            maker = makerVenue();
        } catch (ExchangeException e) {
            return new OpenResult.Skipped("cannot read the venues' fee rates to choose the maker venue: "
                    + e.getMessage() + " (or set trading.maker_venue)");
        }
        Instant now = clock.instant();
        long pairId = store.createPairWithoutOrders(newPair(plan, "", ""), now);
        Map<Side, Leg> legs = new HashMap<>();
        store.legs(pairId).forEach(l -> legs.put(l.side(), l));
        Side makerSide = plan.longVenue() == maker ? Side.LONG : Side.SHORT;
        MakerEntry.Side makerLeg = new MakerEntry.Side(
                legs.get(makerSide), venues.get(maker), makerSide == Side.LONG ? plan.longRules() : plan.shortRules());
        Side hedgeSide = makerSide == Side.LONG ? Side.SHORT : Side.LONG;
        MakerEntry.Side hedgeLeg = new MakerEntry.Side(
                legs.get(hedgeSide),
                venues.get(hedgeSide == Side.LONG ? plan.longVenue() : plan.shortVenue()),
                hedgeSide == Side.LONG ? plan.longRules() : plan.shortRules());
        logOpening(pairId, plan, " maker-first");
        makerEntry.run(pairId, plan.quantity(), makerLeg, hedgeLeg, MakerEntry.Kind.ENTRY);
        HedgePair pair = store.pair(pairId).orElseThrow();
        PairSnapshot s = store.snapshot(pairId);
        boolean nothingFilled = s.unsettled().isEmpty()
                && s.orders().stream().allMatch(o -> o.filledQty().signum() == 0);
        if (nothingFilled) {
            Instant end = clock.instant();
            store.markEnded(
                    pairId,
                    pair.status(),
                    PairStatus.FAILED,
                    PairResult.of(
                            Store.UNFILLED_REASON + " nothing filled on " + maker.configName() + " within "
                                    + config.trading().orders().timeout().toSeconds()
                                    + " s (trading.maker_timeout_seconds)",
                            s.legs(),
                            s.orders(),
                            BigDecimal.ZERO,
                            config.points().model(),
                            pair.openedAt(),
                            end),
                    end);
            return new OpenResult.Failed(store.pair(pairId).orElseThrow(), "nothing filled");
        }
        return settle(pair);
    }

    private Store.NewPair newPair(Plan plan, String longClientId, String shortClientId) {
        return new Store.NewPair(
                plan.asset(),
                config.mode(),
                plan.leverage(),
                plan.quantity(),
                plan.notional(),
                plan.durationMs(),
                plan.longVenue(),
                plan.longRules().symbol(),
                longClientId,
                plan.shortVenue(),
                plan.shortRules().symbol(),
                shortClientId);
    }

    private static void logOpening(long pairId, Plan plan, String how) {
        LOG.info(
                "opening pair {}{}: {} {} LONG on {} / SHORT on {}, {}x, notional {}, for {} min",
                pairId,
                how,
                plan.quantity().toPlainString(),
                plan.asset(),
                plan.longVenue().configName(),
                plan.shortVenue().configName(),
                plan.leverage(),
                Money.usd(plan.notional()),
                BigDecimal.valueOf(plan.durationMs()).divide(BigDecimal.valueOf(60_000), 1, RoundingMode.HALF_UP));
    }

    /** Records the intent, sends both legs concurrently, and settles what came back. */
    OpenResult open(Plan plan) {
        if (config.trading().orders().entry() == AppConfig.OrderStyle.MAKER_FIRST) {
            return openMakerFirst(plan);
        }
        Instant now = clock.instant();
        PerpExchange longEx = venues.get(plan.longVenue());
        PerpExchange shortEx = venues.get(plan.shortVenue());
        long pairId = store.createPair(newPair(plan, longEx.newClientId(), shortEx.newClientId()), now);
        logOpening(pairId, plan, "");
        Duration deadline = config.risk().openDeadline();
        long until = System.nanoTime() + deadline.toNanos();
        CompletableFuture<Void> reads = sendBoth(pairId, store.orders(pairId), until);
        OpenResult result = settle(store.pair(pairId).orElseThrow());
        // OPEN is recorded; the loop goes on once the fills' prices and fees are read too (within
        // the same deadline), so what it does next sees the pair's figures
        try {
            reads.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn(
                    "pair {}: its fills' prices and fees are still being read after risk.open_deadline_seconds ({} s)",
                    pairId,
                    deadline.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn(
                    "pair {}: reading a fill's price and fee failed: {}",
                    pairId,
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /**
     * Sends both opening orders at the same moment (each thread is started and waits at one gate,
     * so neither leg waits for the other's thread to start) and acts on each leg's verdict as it
     * arrives: the moment one leg is refused while the venue has told the other filled, the
     * rollback of what filled is sent, without waiting for the good leg's price and fee reads.
     *
     * <p>Returns once every leg's quantity is known (the venue's first word on it is recorded, or
     * its send has ended) and any early rollback has ended: when both legs filled in full, the
     * pair can be OPEN while their prices and fees are still being read (the future returned ends
     * when they are). Otherwise it waits for the reads too, so a pair that ends does so with its
     * figures. Waits until {@code until} ({@link System#nanoTime}) at most, the open's
     * {@code risk.open_deadline_seconds}; a leg still unanswered is left PENDING for the
     * unknown-outcome path (looked up by client id on later steps).
     */
    private CompletableFuture<Void> sendBoth(long pairId, List<OrderRecord> opening, long until) {
        // both orders built and signed before either goes, so releasing them is only the calls
        List<OrderExecutor.Ready> ready =
                opening.stream().map(executor::prepare).toList();
        Optional<OrderExecutor.Ready> unprepared =
                ready.stream().filter(r -> r.refused() != null).findFirst();
        if (unprepared.isPresent()) {
            // a leg whose partner cannot go is not sent either: nothing goes out, nothing is naked
            for (OrderExecutor.Ready r : ready) {
                if (r.refused() != null) {
                    executor.notSent(r, r.refused().getMessage());
                } else {
                    executor.notSent(
                            r,
                            "the " + unprepared.get().order().venue().configName() + " leg could not be prepared ("
                                    + unprepared.get().refused().getMessage() + ")");
                }
            }
            return CompletableFuture.completedFuture(null);
        }
        Map<Long, Leg> legs = new HashMap<>();
        store.legs(pairId).forEach(l -> legs.put(l.id(), l));
        // sends on threads of their own wait at the gate to go together; sends run on this
        // thread (CallerRuns, simulate) go one after the other, and must not wait for it
        CountDownLatch gate = new CountDownLatch(io instanceof CallerRuns ? 0 : 1);
        Map<Long, CompletableFuture<Fill>> firstWord = new HashMap<>();
        Map<Long, CompletableFuture<OrderRecord>> sends = new HashMap<>();
        for (OrderExecutor.Ready r : ready) {
            OrderRecord o = r.order();
            CompletableFuture<Fill> first = new CompletableFuture<>();
            firstWord.put(o.id(), first);
            CompletableFuture<OrderRecord> send = CompletableFuture.supplyAsync(
                    () -> {
                        awaitGate(gate);
                        return executor.send(r, first::complete);
                    },
                    io);
            // a leg that ends without a first word (refused, unknown) completes it with nothing
            send.whenComplete((done, e) -> first.complete(null));
            sends.put(o.id(), send);
        }
        List<CompletableFuture<?>> rollbacks = new ArrayList<>();
        for (OrderRecord refused : opening) {
            for (OrderRecord filled : opening) {
                if (filled.id() != refused.id()) {
                    rollbacks.add(rollBackOnRefusal(
                            refused,
                            firstWord.get(refused.id()),
                            sends.get(refused.id()),
                            filled,
                            legs.get(filled.legId()),
                            firstWord.get(filled.id())));
                }
            }
        }
        // a leg's quantity is known at its first word; a refusal's once it is recorded too
        List<CompletableFuture<?>> known = new ArrayList<>();
        firstWord.forEach((id, word) -> known.add(word.thenCompose(f -> f == null || f.state() == OrderState.REJECTED
                ? sends.get(id).handle((r, e) -> null)
                : CompletableFuture.completedFuture(null))));
        known.addAll(rollbacks);
        CompletableFuture<Void> quantities = CompletableFuture.allOf(known.toArray(CompletableFuture[]::new));
        List<CompletableFuture<?>> all = new ArrayList<>(sends.values());
        all.addAll(rollbacks);
        CompletableFuture<Void> everything = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        inFlight.put(pairId, quantities);
        quantities.whenComplete((r, e) -> inFlight.remove(pairId));
        gate.countDown();
        Duration deadline = config.risk().openDeadline();
        try {
            quantities.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            boolean bothFilled = opening.stream().allMatch(o -> {
                Fill f = firstWord.get(o.id()).getNow(null);
                return f != null
                        && f.state() == OrderState.FILLED
                        && f.filledQty().compareTo(o.qty()) == 0;
            });
            if (!bothFilled) {
                everything.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            LOG.warn(
                    "pair {}: a leg is still unanswered after risk.open_deadline_seconds ({} s); "
                            + "the pair is settled once its calls have ended (looked up by client id if need be)",
                    pairId,
                    deadline.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("pair {}: sending a leg failed: {}", pairId, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return everything;
    }

    /**
     * Once {@code refused} has ended refused (its send ended without a first word and with the
     * order REJECTED, or its first word was a refusal), and the venue of {@code filled} has said
     * it filled some, sends the reduce-only rollback of that quantity at once; its answer is
     * recorded after that fill's quantity has been.
     */
    private CompletableFuture<Void> rollBackOnRefusal(
            OrderRecord refused,
            CompletableFuture<Fill> refusedFirstWord,
            CompletableFuture<OrderRecord> refusedSend,
            OrderRecord filled,
            Leg filledLeg,
            CompletableFuture<Fill> filledFirstWord) {
        return refusedFirstWord
                .thenCompose(word -> {
                    boolean wasRefused = word != null
                            ? word.state() == OrderState.REJECTED
                            : refusedSend.isDone()
                                    && !refusedSend.isCompletedExceptionally()
                                    && refusedSend.join().status() == OrderStatus.REJECTED;
                    if (!wasRefused) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return filledFirstWord.thenCompose(fill -> {
                        if (fill == null || fill.filledQty().signum() <= 0) {
                            return CompletableFuture.completedFuture(null);
                        }
                        LOG.warn(
                                "pair {}: {} refused its leg while {} filled {}; rolling that back now",
                                filled.pairId(),
                                refused.venue().configName(),
                                filled.venue().configName(),
                                fill.filledQty().toPlainString());
                        // the fill's quantity is recorded before its first word is handed on
                        return executor.reduceAfter(
                                        filledLeg,
                                        OrderPurpose.ROLLBACK,
                                        fill.filledQty(),
                                        () -> store.order(filled.id())
                                                .orElseThrow()
                                                .status()
                                                .settled(),
                                        io)
                                .thenApply(x -> (Void) null);
                    });
                })
                .exceptionally(e -> {
                    // settle() finds whatever is left and repairs it the usual way
                    LOG.warn("pair {}: early rollback not sent: {}", filled.pairId(), e.toString());
                    return null;
                });
    }

    private static void awaitGate(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before sending", e);
        }
    }

    /**
     * Brings a pair that is OPENING or UNHEDGED to a hedged state: resolves unknown orders by
     * client id, then acts on {@link Settlement#decide} over one snapshot of the pair: OPEN if both
     * legs hold the same size, FAILED if nothing ever filled, ROLLED_BACK if nothing is held any
     * more, otherwise trims both legs to the smaller common size or rolls back to flat. A repair
     * that cannot finish leaves the pair UNHEDGED, to be retried.
     */
    public OpenResult settle(HedgePair pair) {
        if (pair.status() != PairStatus.OPENING && pair.status() != PairStatus.UNHEDGED) {
            throw new IllegalArgumentException("pair " + pair.id() + " is " + pair.status());
        }
        CompletableFuture<Void> sending = inFlight.get(pair.id());
        if (sending != null && !sending.isDone()) {
            // its own threads are still sending or recording: a lookup or repair now could act
            // on an order about to be sent or answered (see risk.open_deadline_seconds)
            return new OpenResult.Pending(pair);
        }
        executor.resolveAll(pair.id());
        PairSnapshot s = store.snapshot(pair.id());
        Settlement.Decision decision = Settlement.decide(s, rulesFor(s.leg(Side.LONG)), rulesFor(s.leg(Side.SHORT)));
        if (decision instanceof Settlement.Wait w) {
            for (OrderRecord o : w.unsettled()) {
                alerts.raise(
                        AlertKind.ORDER_UNKNOWN,
                        Alerts.Level.WARN,
                        pair.id(),
                        o.venue(),
                        o.purpose() + " "
                                + o.side() + " " + o.qty().toPlainString() + " " + o.symbol() + " (client id "
                                + o.clientId() + "): outcome not known yet; looking it up again next tick");
            }
            return new OpenResult.Pending(s.pair());
        }
        if (decision instanceof Settlement.Repair r) {
            repair(s, r);
            s = store.snapshot(pair.id());
            decision = Settlement.afterRepair(s);
        }
        return carryOut(s, decision);
    }

    /** Sends the reduce-only orders that bring every leg above the target down to it, concurrently. */
    private void repair(PairSnapshot s, Settlement.Repair r) {
        LOG.warn(
                "pair {}: long holds {}, short holds {}; {} to {}",
                s.pair().id(),
                s.leg(Side.LONG).size().toPlainString(),
                s.leg(Side.SHORT).size().toPlainString(),
                r.target().signum() == 0 ? "rolling back" : "trimming",
                r.target().toPlainString());
        List<CompletableFuture<OrderRecord>> repairs = new ArrayList<>();
        for (Leg leg : s.legs()) {
            if (leg.size().compareTo(r.target()) > 0) {
                BigDecimal excess = leg.size().subtract(r.target());
                repairs.add(CompletableFuture.supplyAsync(() -> executor.reduce(leg, r.purpose(), excess), io));
            }
        }
        CompletableFuture.allOf(repairs.toArray(CompletableFuture[]::new)).join();
    }

    private OpenResult carryOut(PairSnapshot s, Settlement.Decision decision) {
        HedgePair pair = s.pair();
        Instant now = clock.instant();
        if (decision instanceof Settlement.Opened o) {
            return opened(pair, o.qty(), now, s.priced());
        }
        boolean ending = decision instanceof Settlement.RolledBack || decision instanceof Settlement.Failed;
        if (ending && !s.priced()) {
            // a pair ends with its figures: the prices and fees of its fills first
            if (!executor.priceAll(pair.id())) {
                LOG.info("pair {}: nothing is held; ending it once its fills' prices and fees are read", pair.id());
                return new OpenResult.Pending(pair);
            }
            s = store.snapshot(pair.id());
        }
        if (decision instanceof Settlement.RolledBack) {
            store.markEnded(
                    pair.id(),
                    pair.status(),
                    PairStatus.ROLLED_BACK,
                    PairResult.of(
                            "ROLLED_BACK: " + s.failureReason(),
                            s.legs(),
                            s.orders(),
                            BigDecimal.ZERO,
                            config.points().model(),
                            pair.openedAt(),
                            now),
                    now);
            alerts.raise(
                    AlertKind.ROLLED_BACK,
                    Alerts.Level.WARN,
                    pair.id(),
                    s.failedVenue().orElse(null),
                    "one leg of " + pair.asset() + " failed (" + s.failureReason()
                            + "); the other was closed reduce-only; nothing is held");
            return new OpenResult.RolledBack(store.pair(pair.id()).orElseThrow());
        }
        if (decision instanceof Settlement.Failed) {
            store.markEnded(
                    pair.id(),
                    pair.status(),
                    PairStatus.FAILED,
                    PairResult.of(
                            "FAILED: " + s.failureReason(),
                            s.legs(),
                            s.orders(),
                            BigDecimal.ZERO,
                            config.points().model(),
                            pair.openedAt(),
                            now),
                    now);
            alerts.raise(
                    AlertKind.OPEN_FAILED,
                    Alerts.Level.WARN,
                    pair.id(),
                    s.failedVenue().orElse(null),
                    "neither leg of " + pair.asset() + " opened: " + s.failureReason());
            return new OpenResult.Failed(store.pair(pair.id()).orElseThrow(), s.failureReason());
        }
        if (decision instanceof Settlement.Unhedged) {
            if (pair.status() == PairStatus.OPENING) {
                store.transition(pair.id(), PairStatus.OPENING, PairStatus.UNHEDGED, now);
            }
            Leg longLeg = s.leg(Side.LONG);
            Leg shortLeg = s.leg(Side.SHORT);
            alerts.raise(
                    AlertKind.UNHEDGED,
                    Alerts.Level.ERROR,
                    pair.id(),
                    null,
                    "long " + longLeg.venue().configName() + " holds "
                            + longLeg.size().toPlainString() + " "
                            + pair.asset() + ", short " + shortLeg.venue().configName() + " holds "
                            + shortLeg.size().toPlainString() + "; repair retried with backoff");
            return new OpenResult.Unhedged(store.pair(pair.id()).orElseThrow());
        }
        throw new AssertionError(decision);
    }

    private MarketRules rulesFor(Leg leg) {
        return venues.get(leg.venue()).markets().values().stream()
                .filter(r -> r.symbol().equals(leg.symbol()))
                .findFirst()
                .orElseThrow(() -> new ExchangeException(
                        leg.venue(), ExchangeError.REJECTED, "market " + leg.symbol() + " no longer listed"));
    }

    /** Both legs hold {@code qty}: OPEN. A pair repaired after it had opened keeps its times. */
    private OpenResult opened(HedgePair pair, BigDecimal qty, Instant now, boolean priced) {
        Instant openedAt = pair.openedAt() != null ? pair.openedAt() : now;
        Instant closeAt = pair.closeAt() != null ? pair.closeAt() : now.plusMillis(pair.durationMs());
        store.markOpen(pair.id(), pair.status(), qty, openedAt, closeAt);
        if (pair.status() == PairStatus.UNHEDGED) {
            alerts.clear(AlertKind.UNHEDGED, pair.id(), null);
        }
        LOG.info(
                "pair {} OPEN: {} {} on both legs, closes at {}{}",
                pair.id(),
                qty.toPlainString(),
                pair.asset(),
                closeAt.truncatedTo(ChronoUnit.SECONDS),
                priced ? "" : "; fill prices and fees are being read (PnL pending)");
        return new OpenResult.Opened(store.pair(pair.id()).orElseThrow());
    }

    /** A funding rate per interval as a rate per hour, so venues with different intervals compare. */
    static BigDecimal hourly(BigDecimal rate, Duration interval) {
        return rate.multiply(BigDecimal.valueOf(3_600_000L)).divide(BigDecimal.valueOf(interval.toMillis()), Money.MC);
    }

    /** Uniform in [min, max], at {@code scale} decimals. */
    private BigDecimal uniform(BigDecimal min, BigDecimal max, int scale) {
        BigDecimal fraction = BigDecimal.valueOf(random.nextInt(1_000_001)).movePointLeft(6);
        return min.add(max.subtract(min).multiply(fraction)).setScale(scale, RoundingMode.HALF_EVEN);
    }
}
