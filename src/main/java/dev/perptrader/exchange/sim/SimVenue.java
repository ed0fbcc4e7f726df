package dev.perptrader.exchange.sim;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.TopOfBook;
import dev.perptrader.exchange.VenueDriver;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated venue of a {@link SimWorld}: fills at mark ± slippage with a taker fee, resting
 * limit orders (the queue model of {@link SimWorld#placeLimitOrder}: a resting buy fills at its
 * price with the maker fee once the mark trades strictly below it), one-way positions per symbol,
 * margin checks, funding and liquidation. The marks are the simulated
 * market's in sim mode and the venue's real public ones in paper mode, where a call that needs
 * them fails with the venue's {@link ExchangeException} when they cannot be fetched. Besides
 * {@link PerpExchange} it has hooks for tests: injected faults, a settable mid and funding rate
 * (sim mode only), forced liquidation, and for resting orders a fill at will, a failing cancel
 * and a fill racing the cancel.
 */
public final class SimVenue implements PerpExchange {
    private static final Logger log = LoggerFactory.getLogger(SimVenue.class);

    private final SimWorld world;
    private final Venue venue;
    private final Queue<SimFault> orderFaults = new ConcurrentLinkedQueue<>();
    private final Queue<SimReadFault> readFaults = new ConcurrentLinkedQueue<>();
    private final AtomicReference<ExchangeError> nextCancelFailure = new AtomicReference<>();
    private final AtomicReference<BigDecimal> nextCancelRace = new AtomicReference<>();

    SimVenue(SimWorld world, Venue venue) {
        this.world = world;
        this.venue = venue;
    }

    @Override
    public Venue venue() {
        return venue;
    }

    @Override
    public Map<String, MarketRules> markets() {
        return world.markets(venue);
    }

    @Override
    public Map<String, Quote> quotes(Collection<String> symbols) {
        Objects.requireNonNull(symbols, "symbols");
        failIfReadFault("quotes");
        return world.quotes(venue, symbols);
    }

    @Override
    public AccountState account() {
        failIfReadFault("account");
        return world.account(venue);
    }

    /** Sets the leverage of {@code symbol} (default 1); unknown symbols are REJECTED. */
    @Override
    public void ensureLeverage(String symbol, BigDecimal leverage) {
        world.ensureLeverage(venue, symbol, leverage);
    }

    /** "sim-bp-000123": a per-venue counter kept in the state file. */
    @Override
    public String newClientId() {
        return world.newClientId(venue);
    }

    /**
     * Executes a market order, unless a fault was injected for it. Errors: unknown symbol,
     * market closed, duplicate client id, reduce-only without a matching position → REJECTED;
     * quantity off the step, or (not reduce-only) under the minimum quantity or notional →
     * BELOW_MINIMUM; an order growing a position past free collateral → INSUFFICIENT_MARGIN. A
     * reduce-only order larger than the position is clamped to it.
     */
    @Override
    public Fill placeMarketOrder(OrderRequest request) {
        Objects.requireNonNull(request, "request");
        SimFault fault = orderFaults.poll();
        if (fault == null) {
            world.inFlight(venue);
            Fill fill = world.placeMarketOrder(venue, request, null);
            world.inFlight(venue);
            return fill;
        }
        if (fault instanceof SimFault.Partial partial) {
            return world.placeMarketOrder(venue, request, partial.fraction());
        }
        if (fault instanceof SimFault.Kind kind) {
            throw injected(kind, request);
        }
        throw new AssertionError(fault);
    }

    @Override
    public Optional<Fill> lookupOrder(String symbol, String clientId) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(clientId, "clientId");
        failIfReadFault("lookupOrder");
        return world.lookupOrder(venue, symbol, clientId);
    }

    /** The simulated venue executes or refuses an order within the call. */
    @Override
    public Duration lateExecutionWindow() {
        return Duration.ZERO;
    }

    @Override
    public Duration fundingInterval(String symbol) {
        return world.fundingInterval(venue, symbol);
    }

    /** Sum of the funding payments settled in {@code (from, to]}; positive = received. */
    @Override
    public BigDecimal fundingBetween(String symbol, Instant from, Instant to) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return world.fundingBetween(venue, symbol, from, to);
    }

    /**
     * The venue's own history: every order it executed on {@code symbol} at or after
     * {@code since} (client id, venue order id, side, filled quantity, average price, fee in
     * USD) and every liquidation it made there (no client id, at the liquidation price with the
     * liquidation fee), oldest first. The simulated venue always publishes it.
     */
    @Override
    public Optional<List<VenueFill>> fillsSince(String symbol, Instant since) {
        return Optional.of(world.fillsSince(
                venue, Objects.requireNonNull(symbol, "symbol"), Objects.requireNonNull(since, "since")));
    }

    // ---------------------------------------------------------------- resting (maker) orders

    /**
     * Places a limit order (see {@link SimWorld#placeLimitOrder} for the refusals and the queue
     * model). Like the real venue, simulated Hibachi refuses an order that is both post-only and
     * reduce-only (REJECTED, see {@link #postOnlyReduceOnly()}).
     */
    @Override
    public RestingOrder placeLimitOrder(LimitOrderRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.postOnly() && request.reduceOnly() && !postOnlyReduceOnly()) {
            throw new ExchangeException(
                    venue,
                    ExchangeError.REJECTED,
                    "an order cannot be both post-only and reduce-only on " + venue.configName() + "; not sent");
        }
        world.inFlight(venue);
        RestingOrder order = world.placeLimitOrder(venue, request);
        world.inFlight(venue);
        return order;
    }

    /**
     * Cancels a resting order, unless a failure was set for the next cancel
     * ({@link #failNextCancel}: thrown, the order stays) or a racing fill
     * ({@link #raceNextCancel}: that much fills first).
     */
    @Override
    public Optional<RestingOrder> cancelOrder(String symbol, String clientId) {
        ExchangeError failure = nextCancelFailure.getAndSet(null);
        if (failure != null) {
            throw new ExchangeException(venue, failure, "injected " + failure + " on the cancel of " + clientId);
        }
        BigDecimal race = nextCancelRace.getAndSet(null);
        return world.cancelOrder(venue, symbol, clientId, race);
    }

    @Override
    public Optional<RestingOrder> restingOrder(String symbol, String clientId) {
        failIfReadFault("restingOrder");
        return world.restingOrder(venue, symbol, clientId);
    }

    /** mark ∓ half this venue's {@code spread_bps}, on the tick, at least one tick apart; no depth (null quantities). */
    @Override
    public TopOfBook topOfBook(String symbol) {
        failIfReadFault("topOfBook");
        return world.topOfBook(venue, symbol);
    }

    /** {@code sim.venues.<venue>.maker_fee_rate} and {@code taker_fee_rate}. */
    @Override
    public FeeRates feeRates() {
        return world.feeRates(venue);
    }

    /** As the real venue ({@link VenueDriver#postOnlyReduceOnly}). */
    @Override
    public boolean postOnlyReduceOnly() {
        return VenueDriver.of(venue).postOnlyReduceOnly();
    }

    /**
     * Test hook: fills {@code qty} (at most what is left) of the resting order {@code clientId}
     * now, at its price with the maker fee, whatever the market does.
     */
    public RestingOrder fillResting(String clientId, BigDecimal qty) {
        return world.fillResting(venue, Objects.requireNonNull(clientId, "clientId"), qty);
    }

    /** Test hook: the next cancel on this venue fails with {@code error} and changes nothing. */
    public void failNextCancel(ExchangeError error) {
        nextCancelFailure.set(Objects.requireNonNull(error, "error"));
    }

    /**
     * Test hook: the next cancel on this venue races a fill: {@code qty} of the order (more than
     * is left: all of it) fills at its price just before the cancel is carried out.
     */
    public void raceNextCancel(BigDecimal qty) {
        Objects.requireNonNull(qty, "qty");
        if (qty.signum() <= 0) {
            throw new IllegalArgumentException("qty <= 0: " + qty);
        }
        nextCancelRace.set(qty);
    }

    /** Queues {@code fault} for the next order on this venue (faults apply in order). */
    public void injectOrderFault(SimFault fault) {
        orderFaults.add(Objects.requireNonNull(fault, "fault"));
    }

    /**
     * Queues {@code fault} for the next {@code quotes}, {@code account}, {@code lookupOrder},
     * {@code restingOrder} or {@code topOfBook}.
     */
    public void injectReadFault(SimReadFault fault) {
        readFaults.add(Objects.requireNonNull(fault, "fault"));
    }

    /** Liquidates this venue's position in {@code symbol} at mark, charging the liquidation fee. */
    public void forceLiquidation(String symbol) {
        world.forceLiquidation(venue, Objects.requireNonNull(symbol, "symbol"));
    }

    /**
     * Sets the shared mid of {@code asset} ("BTC") on both venues, rounded to the tick; each
     * venue keeps its current basis. Accounts below maintenance margin are then liquidated.
     *
     * @throws IllegalStateException in paper mode, where the prices are the venues' own
     */
    public void setMid(String asset, BigDecimal price) {
        world.setMid(venue, Objects.requireNonNull(asset, "asset"), price);
    }

    /**
     * Sets this venue's current funding rate of {@code symbol} (|rate| ≤ maxFundingRate).
     *
     * @throws IllegalStateException in paper mode, where the rates are the venues' own
     */
    public void setFundingRate(String symbol, BigDecimal rate) {
        world.setFundingRate(venue, Objects.requireNonNull(symbol, "symbol"), rate);
    }

    /** Orders this venue has accepted (stored), since the state file was created. */
    public long orderCount() {
        return world.orderCount(venue);
    }

    private ExchangeException injected(SimFault.Kind kind, OrderRequest request) {
        if (kind == SimFault.Kind.TIMEOUT_AFTER_FILL) {
            Fill fill = world.placeMarketOrder(venue, request, null);
            log.info(
                    "sim {} injected timeout after {} filled {}",
                    venue.configName(),
                    fill.clientId(),
                    fill.filledQty());
            return new ExchangeException(
                    venue,
                    ExchangeError.UNKNOWN_OUTCOME,
                    "injected timeout after the venue accepted " + request.clientId());
        }
        ExchangeError error = switch (kind) {
            case REJECT -> ExchangeError.REJECTED;
            case INSUFFICIENT_MARGIN -> ExchangeError.INSUFFICIENT_MARGIN;
            case TIMEOUT_BEFORE_SEND -> ExchangeError.UNKNOWN_OUTCOME;
            case VENUE_DOWN -> ExchangeError.VENUE_DOWN;
            case TIMEOUT_AFTER_FILL -> throw new AssertionError(kind);
        };
        return new ExchangeException(venue, error, "injected " + kind + " for " + request.clientId());
    }

    private void failIfReadFault(String call) {
        SimReadFault fault = readFaults.poll();
        if (fault != null) {
            throw new ExchangeException(venue, fault.error(), "injected " + fault + " on " + call);
        }
    }
}
