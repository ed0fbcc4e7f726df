package dev.perptrader.trader;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.PreparedOrder;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every order the bot sends (a pair's legs and the orphans it closes) the safe way: the
 * order row (with its client id) is committed first, the answer is recorded after, and an unknown
 * outcome is resolved by looking the client id up, never by sending again. "Not found" is final
 * only once the venue's late-execution window has passed. A refusal for the venue's clock window
 * is the one case where a new order (new row, new client id) is sent, once.
 */
final class OrderExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(OrderExecutor.class);

    private final Store store;
    private final Venues venues;
    private final Clock clock;
    private final OpeningBreaker breaker;
    private final Telemetry telemetry;
    /**
     * Orders whose quantity is recorded and whose own sending thread is still reading their
     * price and fee: nothing else looks those up meanwhile.
     */
    private final Set<Long> pricing = ConcurrentHashMap.newKeySet();

    OrderExecutor(Store store, Venues venues, Clock clock, OpeningBreaker breaker, Telemetry telemetry) {
        this.store = store;
        this.venues = venues;
        this.clock = clock;
        this.breaker = breaker;
        this.telemetry = telemetry;
    }

    /** What sending one order came to. */
    private sealed interface Sent permits Answered, Refused, Unknown {}

    private record Answered(Fill fill) implements Sent {}

    private record Refused(ExchangeException error) implements Sent {}

    private record Unknown(String why) implements Sent {}

    /** What the venue says about a client id. */
    private sealed interface Lookup permits Found, NotYet, NeverExecuted, Unreachable {}

    private record Found(Fill fill) implements Lookup {}

    private record NotYet(Instant until) implements Lookup {}

    private record NeverExecuted() implements Lookup {}

    private record Unreachable(String why) implements Lookup {}

    /**
     * An order made ready to go: built and signed ({@link PerpExchange#prepareMarketOrder}), or
     * refused before anything was sent ({@code refused}).
     */
    record Ready(OrderRecord order, PreparedOrder prepared, ExchangeException refused) {}

    /**
     * Builds and signs {@code o} without sending it, so that sending it is only the call (both
     * legs of a pair are prepared before either is released). A failure here sent nothing.
     */
    Ready prepare(OrderRecord o) {
        PerpExchange ex = venues.get(o.venue());
        try {
            return new Ready(o, ex.prepareMarketOrder(request(o)), null);
        } catch (RuntimeException e) {
            return new Ready(o, null, unprepared(o.venue(), e));
        }
    }

    /** Why an order could not be prepared, as the refusal it is: nothing was sent. */
    private static ExchangeException unprepared(Venue venue, RuntimeException e) {
        return e instanceof ExchangeException x
                ? x
                : new ExchangeException(venue, ExchangeError.REJECTED, "could not be prepared: " + e.getMessage());
    }

    /**
     * Sends an order prepared by {@link #prepare} and records the answer, as {@link
     * #send(OrderRecord, Consumer)} does; {@code firstSeen} is also told a refusal that will not
     * be resent (a REJECTED fill of nothing), before it is recorded.
     */
    OrderRecord send(Ready ready, Consumer<Fill> firstSeen) {
        OrderRecord o = ready.order();
        if (ready.refused() != null) {
            throw new IllegalArgumentException("order " + o.clientId() + " was not prepared");
        }
        PerpExchange ex = venues.get(o.venue());
        logSending(o);
        try {
            Sent sent = place(ex, o.purpose(), ready.prepared(), fill -> firstWord(o, fill, firstSeen));
            if (sent instanceof Refused r && r.error().error() != ExchangeError.CLOCK_REJECTED) {
                // refused for good (no resend follows): told before it is recorded, so the other
                // leg's rollback need not wait for this leg's bookkeeping
                firstSeen.accept(new Fill(
                        o.clientId(), null, o.symbol(), o.side(), OrderState.REJECTED, BigDecimal.ZERO, null, null));
            }
            return record(o, sent, true, ex);
        } finally {
            pricing.remove(o.id());
        }
    }

    /**
     * Records {@code ready}'s order as refused without sending it ({@code why}): it could not be
     * prepared, or its partner could not.
     */
    void notSent(Ready ready, String why) {
        OrderRecord o = ready.order();
        if (ready.refused() != null) {
            telemetry.venueError(o.venue(), ready.refused().error());
            breaker.refused(ready.refused());
        }
        LOG.warn("order {} {} {} not sent: {}", o.purpose(), o.venue().configName(), o.clientId(), why);
        store.markOrder(o.id(), OrderStatus.REJECTED, "not sent: " + why, clock.instant());
    }

    private Sent place(PerpExchange ex, OrderPurpose purpose, OrderRequest request, Consumer<Fill> firstSeen) {
        Signed signed = sign(ex, request);
        return signed.refused() != null ? signed.refused() : place(ex, purpose, signed.prepared(), firstSeen);
    }

    /** An order built and signed, or the refusal that came of trying (nothing was sent). */
    private record Signed(PreparedOrder prepared, Refused refused) {}

    private Signed sign(PerpExchange ex, OrderRequest request) {
        try {
            return new Signed(ex.prepareMarketOrder(request), null);
        } catch (RuntimeException e) {
            if (e instanceof ExchangeException x) {
                telemetry.venueError(ex.venue(), x.error());
                breaker.refused(x);
            }
            // nothing was sent: a refusal whatever its kind
            return new Signed(null, new Refused(unprepared(ex.venue(), e)));
        }
    }

    private Sent place(PerpExchange ex, OrderPurpose purpose, PreparedOrder prepared, Consumer<Fill> firstSeen) {
        Instant sent = clock.instant();
        try {
            return new Answered(prepared.send(firstSeen));
        } catch (ExchangeException e) {
            telemetry.venueError(ex.venue(), e.error());
            breaker.refused(e);
            return e.error().mayHaveExecuted() ? new Unknown(e.getMessage()) : new Refused(e);
        } catch (RuntimeException e) {
            return new Unknown(e.toString());
        } finally {
            telemetry.orderRoundTrip(ex.venue(), purpose, Duration.between(sent, clock.instant()));
        }
    }

    private Lookup lookup(PerpExchange ex, String symbol, String clientId, Instant sentAt) {
        try {
            Optional<Fill> found = ex.lookupOrder(symbol, clientId);
            if (found.isPresent()) {
                return new Found(found.get());
            }
            Instant until = sentAt.plus(ex.lateExecutionWindow());
            return clock.instant().isBefore(until) ? new NotYet(until) : new NeverExecuted();
        } catch (RuntimeException e) {
            if (e instanceof ExchangeException x) {
                telemetry.venueError(ex.venue(), x.error());
            }
            return new Unreachable(e.getMessage());
        }
    }

    // ------------------------------------------------------------ resting (maker-first) orders

    /** What placing a resting order came to. */
    sealed interface Rested permits Resting, WouldTake, RestRefused, RestUnknown {}

    /** On the book (perhaps already partly filled, or ended at once). */
    record Resting(RestingOrder order) implements Rested {}

    /** Post-only and the book had moved onto its price: refused, nothing executed. */
    record WouldTake() implements Rested {}

    /** Refused for another reason: nothing executed. */
    record RestRefused(ExchangeException error) implements Rested {}

    /** The venue may have it: looked up by client id ({@link #resolve}). */
    record RestUnknown(String why) implements Rested {}

    /**
     * Places {@code o}, a resting post-only order already recorded PENDING. A refusal is recorded
     * at once (REJECTED); an order that rests (or ended as it was placed) stays PENDING until the
     * caller records how it ended ({@link #recordRestingEnd}); an unknown outcome is marked
     * UNKNOWN, for {@link #resolve}.
     */
    Rested placeResting(OrderRecord o) {
        if (!o.resting()) {
            throw new IllegalArgumentException("order " + o.clientId() + " is not a resting order");
        }
        PerpExchange ex = venues.get(o.venue());
        LOG.info(
                "order {} {} {} {} {} post-only at {}{} (client id {})",
                o.purpose(),
                o.venue().configName(),
                o.side(),
                o.qty().toPlainString(),
                o.symbol(),
                o.limitPrice().toPlainString(),
                o.purpose().reduceOnly() ? " reduce-only" : "",
                o.clientId());
        Instant sent = clock.instant();
        try {
            RestingOrder r = ex.placeLimitOrder(new LimitOrderRequest(
                    o.symbol(),
                    o.side(),
                    o.qty(),
                    o.limitPrice(),
                    true,
                    o.purpose().reduceOnly(),
                    o.clientId()));
            return new Resting(r);
        } catch (ExchangeException e) {
            telemetry.venueError(ex.venue(), e.error());
            if (e.error() == ExchangeError.WOULD_TAKE) {
                store.markOrder(
                        o.id(), OrderStatus.REJECTED, "post-only would have taken: " + e.getMessage(), clock.instant());
                return new WouldTake();
            }
            if (e.error().mayHaveExecuted()) {
                store.markOrder(o.id(), OrderStatus.UNKNOWN, e.getMessage(), clock.instant());
                return new RestUnknown(e.getMessage());
            }
            breaker.refused(e);
            store.markOrder(o.id(), OrderStatus.REJECTED, e.getMessage(), clock.instant());
            return new RestRefused(e);
        } catch (RuntimeException e) {
            store.markOrder(o.id(), OrderStatus.UNKNOWN, e.toString(), clock.instant());
            return new RestUnknown(e.toString());
        } finally {
            telemetry.orderRoundTrip(ex.venue(), o.purpose(), Duration.between(sent, clock.instant()));
        }
    }

    /**
     * Records how a resting order ended ({@code r} has ended): what filled, at its average price
     * and fee, or REJECTED when nothing did ({@code why}). Returns the order as stored after.
     */
    OrderRecord recordRestingEnd(OrderRecord o, RestingOrder r, String why) {
        if (!r.status().ended()) {
            throw new IllegalArgumentException("order " + o.clientId() + " is still resting");
        }
        if (r.filledQty().signum() == 0) {
            store.markOrder(
                    o.id(), OrderStatus.REJECTED, "ended unfilled (" + r.status() + "): " + why, clock.instant());
        } else {
            OrderState state = r.filledQty().compareTo(o.qty()) >= 0 ? OrderState.FILLED : OrderState.PARTIAL;
            store.applyFill(
                    o.id(),
                    new Fill(
                            o.clientId(),
                            r.venueOrderId(),
                            o.symbol(),
                            o.side(),
                            state,
                            r.filledQty(),
                            r.avgPrice(),
                            r.fee()),
                    clock.instant());
            LOG.info(
                    "order {} {} {}: {} {} of {} @ {} fee {} ({})",
                    o.purpose(),
                    o.venue().configName(),
                    o.clientId(),
                    state,
                    r.filledQty().toPlainString(),
                    o.qty().toPlainString(),
                    plain(r.avgPrice()),
                    plain(r.fee()),
                    why);
        }
        return reload(o);
    }

    /**
     * Settles a resting order whose outcome is not recorded (after a crash, a failed cancel or an
     * unknown placement): cancels it first, so nothing more can fill, then records how it ended.
     * One the venue has not ended yet (a cancel accepted but not carried out, or one that failed)
     * stays as it is, to be resolved again.
     */
    private OrderRecord resolveResting(OrderRecord o) {
        PerpExchange ex = venues.get(o.venue());
        try {
            Optional<RestingOrder> after = ex.cancelOrder(o.symbol(), o.clientId());
            if (after.isPresent() && !after.get().status().ended()) {
                after = ex.restingOrder(o.symbol(), o.clientId());
            }
            if (after.isPresent() && after.get().status().ended()) {
                return recordRestingEnd(o, after.get(), "cancelled on resolving");
            }
            if (after.isEmpty() && !clock.instant().isBefore(o.createdAt().plus(ex.lateExecutionWindow()))) {
                store.markOrder(
                        o.id(), OrderStatus.REJECTED, "venue has no order with this client id", clock.instant());
                LOG.info(
                        "resting order {} not found on {}: never rested",
                        o.clientId(),
                        o.venue().configName());
            }
        } catch (RuntimeException e) {
            if (e instanceof ExchangeException x) {
                telemetry.venueError(ex.venue(), x.error());
            }
            LOG.warn(
                    "resolving resting order {} on {} failed: {}",
                    o.clientId(),
                    o.venue().configName(),
                    e.getMessage());
        }
        return reload(o);
    }

    /** Records and sends a reduce-only order for {@code leg}. Returns the order as stored after. */
    OrderRecord reduce(Leg leg, OrderPurpose purpose, BigDecimal qty) {
        PerpExchange ex = venues.get(leg.venue());
        OrderRecord o = store.recordOrder(leg, purpose, qty, ex.newClientId(), clock.instant());
        return send(o);
    }

    /** Sends an order already recorded as PENDING. Returns it as stored after the attempt. */
    OrderRecord send(OrderRecord o) {
        return send(o, fill -> {});
    }

    /**
     * As {@link #send(OrderRecord)}; {@code firstSeen} gets the venue's first word on the order
     * (state and filled quantity, perhaps before its price and fee are read: see
     * {@link PerpExchange#placeMarketOrder(OrderRequest, Consumer)}), on the sending thread.
     */
    OrderRecord send(OrderRecord o, Consumer<Fill> firstSeen) {
        return send(o, true, firstSeen);
    }

    /**
     * Records a reduce-only order for {@code leg} and sends it at once on {@code pool}, but
     * records its answer only if {@code openingRecorded} says, once the answer is in, that the
     * order that opened what this one reduces is recorded settled: a leg's fills are recorded in
     * the order they were sent. If it is not, the answer is left to a lookup by client id
     * ({@link #resolveAll} looks a leg's orders up in the order they were sent). For a rollback
     * sent the moment the other leg is known refused, without waiting for this leg's
     * bookkeeping reads. The order is signed on {@code pool} while it is recorded on the calling
     * thread, and sent once both are done.
     */
    CompletableFuture<OrderRecord> reduceAfter(
            Leg leg, OrderPurpose purpose, BigDecimal qty, BooleanSupplier openingRecorded, Executor pool) {
        PerpExchange ex = venues.get(leg.venue());
        String clientId = ex.newClientId();
        // the request recordOrder's row makes (see #request): the leg's closing side, reduce-only
        OrderRequest request =
                new OrderRequest(leg.symbol(), leg.side().closing(), qty, purpose.reduceOnly(), clientId);
        CompletableFuture<Signed> signing = CompletableFuture.supplyAsync(() -> sign(ex, request), pool);
        // stored before sent: an order whose recording failed is never sent (its signature is dropped)
        OrderRecord o = store.recordOrder(leg, purpose, qty, clientId, clock.instant());
        // sent on the pool once signed; a pool that runs tasks on the caller's thread (simulate)
        // has signed it already and sends it now
        return signing.thenApplyAsync(
                signed -> {
                    logSending(o);
                    Sent sent = signed.refused() != null
                            ? signed.refused()
                            : place(ex, o.purpose(), signed.prepared(), fill -> {});
                    boolean recorded;
                    try {
                        recorded = openingRecorded.getAsBoolean();
                    } catch (RuntimeException e) {
                        recorded = false;
                    }
                    if (recorded || sent instanceof Refused) {
                        return record(o, sent, false, ex);
                    }
                    String why = "answered before the order it reduces was recorded; looked up in order";
                    LOG.warn("order {} {}", o.clientId(), why);
                    store.markOrder(o.id(), OrderStatus.UNKNOWN, why, clock.instant());
                    return reload(o);
                },
                pool);
    }

    private static OrderRequest request(OrderRecord o) {
        return new OrderRequest(o.symbol(), o.side(), o.qty(), o.purpose().reduceOnly(), o.clientId());
    }

    private void logSending(OrderRecord o) {
        LOG.info(
                "order {} {} {} {} {}{} (client id {})",
                o.purpose(),
                o.venue().configName(),
                o.side(),
                o.qty().toPlainString(),
                o.symbol(),
                o.purpose().reduceOnly() ? " reduce-only" : "",
                o.clientId());
    }

    private OrderRecord send(OrderRecord o, boolean mayResend, Consumer<Fill> firstSeen) {
        PerpExchange ex = venues.get(o.venue());
        logSending(o);
        try {
            return record(o, place(ex, o.purpose(), request(o), fill -> firstWord(o, fill, firstSeen)), mayResend, ex);
        } finally {
            pricing.remove(o.id());
        }
    }

    /**
     * Records the venue's first word on {@code o} (how much filled; its price and fee are read
     * after) before anyone is told, so a pair can be OPEN without waiting for the reads.
     */
    private void firstWord(OrderRecord o, Fill fill, Consumer<Fill> firstSeen) {
        // a first word of something filled is recorded unpriced (see Store#recordFirstWord): no
        // read of the row before the word is handed on
        boolean filled = fill.state() != OrderState.REJECTED && fill.filledQty().signum() > 0;
        if (store.recordFirstWord(o.id(), fill, clock.instant()) && filled) {
            pricing.add(o.id());
        }
        firstSeen.accept(fill);
    }

    /** Records what sending {@code o} came to (resolving an unknown outcome by lookup). */
    private OrderRecord record(OrderRecord o, Sent sent, boolean mayResend, PerpExchange ex) {
        if (sent instanceof Answered a) {
            OrderRecord firstWord = reload(o);
            if (firstWordOnly(firstWord)
                    && a.fill().state() != OrderState.REJECTED
                    && a.fill().filledQty().compareTo(firstWord.filledQty()) != 0) {
                LOG.error(
                        "order {} {} on {}: the venue first said {} filled, then {}; the leg holds the latter",
                        o.purpose(),
                        o.clientId(),
                        o.venue().configName(),
                        firstWord.filledQty().toPlainString(),
                        a.fill().filledQty().toPlainString());
            }
            if (!store.applyFill(o.id(), a.fill(), clock.instant())
                    && a.fill().filledQty().signum() > 0) {
                // settled by something else first: the book and the venue must be compared now
                LOG.error(
                        "order {} {} {} filled {} but was already settled in the book as {}; "
                                + "check the venue's position against the book",
                        o.purpose(),
                        o.venue().configName(),
                        o.clientId(),
                        a.fill().filledQty().toPlainString(),
                        reload(o).status());
            }
            LOG.info(
                    "order {} {} {}: {} {} @ {} fee {}",
                    o.purpose(),
                    o.venue().configName(),
                    o.clientId(),
                    a.fill().state(),
                    a.fill().filledQty().toPlainString(),
                    plain(a.fill().avgPrice()),
                    plain(a.fill().fee()));
        } else if (sent instanceof Unknown u && firstWordOnly(reload(o))) {
            LOG.warn(
                    "order {} {} filled {}, but its price and fee could not be read ({}); looked up again",
                    o.purpose(),
                    o.clientId(),
                    reload(o).filledQty().toPlainString(),
                    u.why());
        } else if (sent instanceof Unknown u) {
            LOG.warn("order {} outcome unknown ({}); looking it up", o.clientId(), u.why());
            store.markOrder(o.id(), OrderStatus.UNKNOWN, u.why(), clock.instant());
            return resolve(reload(o));
        } else if (sent instanceof Refused r) {
            LOG.warn(
                    "order {} {} {} rejected: {}",
                    o.purpose(),
                    o.venue().configName(),
                    o.clientId(),
                    r.error().getMessage());
            boolean marked =
                    store.markOrder(o.id(), OrderStatus.REJECTED, r.error().getMessage(), clock.instant());
            // resent only if this refusal is what settled the order (nothing else decided it meanwhile)
            if (r.error().error() == ExchangeError.CLOCK_REJECTED && mayResend && marked) {
                // The venue refused the request's timestamp/nonce before executing anything (the
                // client re-measured its clock): a new order under a new client id, stored first.
                OrderRecord again = store.recordResend(reload(o), ex.newClientId(), clock.instant());
                LOG.warn(
                        "order {} refused for the venue's clock window; sending it again once as {}",
                        o.clientId(),
                        again.clientId());
                return send(again, false, fill -> {});
            }
        } else {
            throw new AssertionError(sent);
        }
        return reload(o);
    }

    /** Settled by the venue's first word, its price and fee not read yet. */
    private static boolean firstWordOnly(OrderRecord o) {
        return o.status().settled() && !o.priced();
    }

    /**
     * Settles an order left PENDING or UNKNOWN by asking the venue about its client id. If the
     * venue has no such order and its late-execution window has passed, it never executed and is
     * REJECTED; inside the window, or if the venue cannot answer, it stays as it is.
     */
    OrderRecord resolve(OrderRecord o) {
        if (o.status().settled()) {
            return o;
        }
        if (o.resting()) {
            return resolveResting(o);
        }
        Lookup found = lookup(venues.get(o.venue()), o.symbol(), o.clientId(), o.createdAt());
        if (found instanceof Found f) {
            store.applyFill(o.id(), f.fill(), clock.instant());
            LOG.info(
                    "order {} found on {}: {} {}",
                    o.clientId(),
                    o.venue().configName(),
                    f.fill().state(),
                    f.fill().filledQty().toPlainString());
        } else if (found instanceof NotYet n) {
            LOG.info(
                    "order {} not found on {} yet; it could still execute until {}: asking again later",
                    o.clientId(),
                    o.venue().configName(),
                    n.until());
        } else if (found instanceof NeverExecuted) {
            store.markOrder(o.id(), OrderStatus.REJECTED, "venue has no order with this client id", clock.instant());
            LOG.info(
                    "order {} not found on {}: never executed",
                    o.clientId(),
                    o.venue().configName());
        } else if (found instanceof Unreachable u) {
            LOG.warn(
                    "lookup of order {} on {} failed: {}",
                    o.clientId(),
                    o.venue().configName(),
                    u.why());
        } else {
            throw new AssertionError(found);
        }
        return reload(o);
    }

    /**
     * Resolves every unsettled order of a pair, each leg's in the order they were sent: an order
     * is looked up only when every earlier order of its leg is settled, so a reduction is never
     * recorded before the fill it reduces. Returns true if none is left unsettled.
     */
    boolean resolveAll(long pairId) {
        boolean settled = true;
        Set<Long> waiting = new HashSet<>();
        for (OrderRecord o : store.orders(pairId)) {
            if (o.status().settled()) {
                continue;
            }
            if (waiting.contains(o.legId()) || !resolve(o).status().settled()) {
                waiting.add(o.legId());
                settled = false;
            }
        }
        return settled;
    }

    /**
     * Reads the price and fee of every fill of the pair recorded without them (by client id),
     * except those their own sending thread is still reading. Returns true when every order of
     * the pair is priced: only then are its legs' figures complete and may it end.
     */
    boolean priceAll(long pairId) {
        boolean priced = true;
        for (OrderRecord o : store.orders(pairId)) {
            if (!o.priced() && !price(o)) {
                priced = false;
            }
        }
        return priced;
    }

    /** {@link #priceAll} over every order of every pair: fills whose reads failed, or a crash cut short. */
    void priceOrders() {
        for (OrderRecord o : store.unpricedOrders()) {
            price(o);
        }
    }

    /** Looks up the price and fee of one fill recorded without them. True once it is priced. */
    private boolean price(OrderRecord o) {
        if (pricing.contains(o.id())) {
            return false;
        }
        Lookup found = lookup(venues.get(o.venue()), o.symbol(), o.clientId(), o.createdAt());
        if (found instanceof Found f && f.fill().avgPrice() != null) {
            store.applyFill(o.id(), f.fill(), clock.instant());
            if (f.fill().filledQty().compareTo(o.filledQty()) != 0) {
                LOG.error(
                        "order {} {} on {}: the venue first said {} filled, now {}; the leg holds the latter",
                        o.purpose(),
                        o.clientId(),
                        o.venue().configName(),
                        o.filledQty().toPlainString(),
                        f.fill().filledQty().toPlainString());
            }
            return reload(o).priced();
        }
        LOG.warn(
                "order {} {} on {} filled {}, but its price and fee cannot be read yet ({}); asking again later",
                o.purpose(),
                o.clientId(),
                o.venue().configName(),
                o.filledQty().toPlainString(),
                found instanceof Unreachable u ? u.why() : "the venue does not show the fill");
        return false;
    }

    /** True when no earlier orphan order on this market is left unsettled (looked up if needed). */
    boolean orphanOrdersSettled(Venue venue, String symbol) {
        boolean settled = true;
        for (Store.OrphanOrder o : store.orphanOrders(venue, symbol)) {
            if (o.status().settled()) {
                continue;
            }
            Lookup found = lookup(venues.get(venue), symbol, o.clientId(), o.createdAt());
            if (found instanceof Found f) {
                store.settleOrphanOrder(o.id(), f.fill().state().status(), f.fill(), null, clock.instant());
            } else if (found instanceof NeverExecuted) {
                store.settleOrphanOrder(
                        o.id(), OrderStatus.REJECTED, null, "venue has no order with this client id", clock.instant());
            } else {
                settled = false;
            }
        }
        return settled;
    }

    /** Records and sends one reduce-only order closing {@code qty} of a position no pair holds. */
    void closeOrphan(Venue venue, String symbol, OrderSide side, BigDecimal qty, String why) {
        PerpExchange ex = venues.get(venue);
        Store.OrphanOrder o = store.recordOrphanOrder(venue, symbol, ex.newClientId(), side, qty, clock.instant());
        LOG.warn(
                "closing {} {} {} on {} reduce-only ({}; client id {})",
                side,
                qty.toPlainString(),
                symbol,
                venue.configName(),
                why,
                o.clientId());
        Sent sent = place(ex, OrderPurpose.CLOSE, new OrderRequest(symbol, side, qty, true, o.clientId()), fill -> {});
        if (sent instanceof Answered a) {
            store.settleOrphanOrder(o.id(), a.fill().state().status(), a.fill(), null, clock.instant());
        } else if (sent instanceof Unknown u) {
            store.settleOrphanOrder(o.id(), OrderStatus.UNKNOWN, null, u.why(), clock.instant());
        } else if (sent instanceof Refused r) {
            store.settleOrphanOrder(
                    o.id(), OrderStatus.REJECTED, null, r.error().getMessage(), clock.instant());
            LOG.warn(
                    "orphan order {} on {}: {}",
                    o.clientId(),
                    venue.configName(),
                    r.error().getMessage());
        } else {
            throw new AssertionError(sent);
        }
    }

    private OrderRecord reload(OrderRecord o) {
        return store.order(o.id()).orElseThrow();
    }

    private static String plain(BigDecimal v) {
        return v == null ? "-" : v.toPlainString();
    }
}
