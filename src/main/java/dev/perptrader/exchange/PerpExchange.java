package dev.perptrader.exchange;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A perpetual-futures venue as the trader sees it. Implementations: the simulated venue and
 * the signed REST clients. Every method may throw {@link ExchangeException}; reads may be
 * retried by the implementation, order placement never is. Every call is bounded in time by the
 * implementation: a call that takes too long ends in an {@link ExchangeException} (for an
 * order, {@link ExchangeError#UNKNOWN_OUTCOME}), never in a hang.
 */
public interface PerpExchange {

    Venue venue();

    /** Perpetual markets listed on the venue, keyed by base asset ("BTC"). */
    Map<String, MarketRules> markets();

    /** Mark price and funding for many symbols in one call. Unknown symbols are absent. */
    Map<String, Quote> quotes(Collection<String> symbols);

    /**
     * Mark prices of {@code symbols} (unknown ones left out) in as few calls as the venue allows:
     * what the monitor reads every tick, so its cost must not grow with the number of markets.
     * By default the marks of {@link #quotes}; a venue with a cheaper all-markets price call
     * overrides it.
     */
    default Map<String, BigDecimal> marks(Collection<String> symbols) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        quotes(symbols).forEach((symbol, q) -> out.put(symbol, q.markPrice()));
        return Collections.unmodifiableMap(out);
    }

    /** Equity, free collateral, maintenance margin and open positions, in one call. */
    AccountState account();

    /**
     * Makes sure a position in {@code symbol} can be held at {@code leverage}. Venues with an
     * account-wide limit raise it when needed and never lower it.
     */
    void ensureLeverage(String symbol, BigDecimal leverage);

    /** A client order id never used before on this venue's account. */
    String newClientId();

    /**
     * Sends a market order. Returns the fill as far as it went (a market order that filled
     * only in part returns {@link OrderState#PARTIAL}).
     *
     * <p>An {@link ExchangeException} of kind {@link ExchangeError#UNKNOWN_OUTCOME} means the
     * venue may have accepted the order: reconcile with {@link #lookupOrder} by client id; never
     * resend blindly. Any other kind means the order was not accepted.
     */
    Fill placeMarketOrder(OrderRequest request);

    /**
     * As {@link #placeMarketOrder(OrderRequest)}, and hands {@code firstSeen} the order's state and
     * filled quantity the moment the venue has told them, before the follow-up reads of its
     * average price and fee (a venue whose order reply carries no fee, or no price, reads them
     * after). Those two may be null in what {@code firstSeen} gets. It is called at most once, on
     * the sending thread, and not when placing throws before the venue told anything (a refusal,
     * an unknown outcome); the order may still end in an unknown outcome after it (its follow-up
     * reads failed), so the fill returned, not the one first seen, is what gets recorded. So a trader can
     * act on a leg's verdict (roll the other back) without waiting for the bookkeeping reads.
     */
    default Fill placeMarketOrder(OrderRequest request, Consumer<Fill> firstSeen) {
        Fill fill = placeMarketOrder(request);
        firstSeen.accept(fill);
        return fill;
    }

    /**
     * Does now all that placing {@code request} needs but the venue call itself, so that the
     * returned order's {@link PreparedOrder#send} is only the call and its reply: the checks of
     * the request, the body, the timestamp or nonce, the signature, the HTTP request. For two legs
     * released together: prepare both, then send both. Sends nothing; it may read what it needs
     * (markets, the clock offset), so it throws {@link ExchangeException} of any kind but
     * {@link ExchangeError#UNKNOWN_OUTCOME} (then nothing was sent). Send soon after: the signed
     * time is taken here, and a venue refuses a request past its signed window
     * ({@link ExchangeError#CLOCK_REJECTED}, not executed). A send only shortens the time in which
     * the venue may still execute the order, so {@link #lateExecutionWindow()} counted from the
     * send still covers it.
     *
     * <p>By default nothing is prepared ahead: {@link PreparedOrder#send} places the order as
     * {@link #placeMarketOrder(OrderRequest, Consumer)} does.
     */
    default PreparedOrder prepareMarketOrder(OrderRequest request) {
        Objects.requireNonNull(request, "request");
        return new PreparedOrder(request, firstSeen -> placeMarketOrder(request, firstSeen));
    }

    /**
     * The order with this client id, or empty if the venue has no record of it (it was never
     * accepted).
     */
    Optional<Fill> lookupOrder(String symbol, String clientId);

    /**
     * How long after an order is sent the venue may still execute it (a signed request's
     * validity window). Until then, "no order with this client id" is not final: the request may
     * still be in a queue. {@link java.time.Duration#ZERO} for a venue that answers at once.
     */
    Duration lateExecutionWindow();

    /**
     * How often funding is settled on {@code symbol}; {@link Quote#fundingRate()} is the rate per
     * such interval, so rates of two venues (or two markets) compare only per unit of time. Per
     * market: Backpack publishes it with each market (1 h on most, 8 h on some); Hibachi 8 h.
     */
    Duration fundingInterval(String symbol);

    /** Net funding on {@code symbol} between two instants: positive = received. */
    BigDecimal fundingBetween(String symbol, Instant from, Instant to);

    /**
     * How far the venue's clock is ahead of ours (venue − local), where the venue tells; used by
     * the {@code check} command and to warn about a drifting clock.
     */
    default Optional<Duration> clockOffset() {
        return Optional.empty();
    }

    /**
     * The venue's own record of fills on {@code symbol} at or after {@code since}, oldest first,
     * including fills the venue made itself (liquidation, ADL). Used to confirm that a position
     * which reads gone really went, at what price and fee, and to tell the bot's positions from
     * the owner's. Empty when the venue publishes no such history: the caller must then rely on
     * repeated position reads alone.
     */
    default Optional<List<VenueFill>> fillsSince(String symbol, Instant since) {
        return Optional.empty();
    }

    /**
     * Proves the signing key with a signed request the venue verifies but that cannot trade or
     * touch the owner's orders. Venues without such a request answer
     * {@link KeyProof.Verdict#CANNOT_PROVE}.
     */
    default KeyProof proveKeys() {
        return KeyProof.cannotProve("no signed request that cannot trade is known for this venue");
    }

    // ---------------------------------------------------------------- resting (maker) orders

    /**
     * Places a limit order ({@link LimitOrderRequest}) and returns it as the venue first reports
     * it: usually {@link RestingOrder.Status#OPEN}, perhaps already partly or fully filled (a
     * non-post-only order that crossed). A post-only order that would take is refused with
     * {@link ExchangeError#WOULD_TAKE}, nothing executed (a venue that instead accepts and expires
     * it reports that as this refusal). {@link ExchangeError#UNKNOWN_OUTCOME} means it may rest:
     * find it with {@link #restingOrder}. Never retried by the implementation.
     */
    RestingOrder placeLimitOrder(LimitOrderRequest request);

    /**
     * Asks the venue to cancel the order with this client id and returns what it knows of the
     * order after: {@link RestingOrder.Status#CANCELLED} with what filled before the cancel, or an
     * order that had already ended (filled meanwhile), or {@link RestingOrder.Status#OPEN} when
     * the venue accepted the cancel but has not carried it out yet (ask {@link #restingOrder}
     * again). Empty when the venue has no order with this client id. A fill that races the
     * cancel is never lost: it is in the filled quantity reported, now or on the next read.
     */
    Optional<RestingOrder> cancelOrder(String symbol, String clientId);

    /**
     * The limit order with this client id, resting or ended, with its filled quantity and average
     * price so far; empty when the venue has no record of it.
     */
    Optional<RestingOrder> restingOrder(String symbol, String clientId);

    /** The best bid and ask of {@code symbol} now (a depth read, not the mark). */
    TopOfBook topOfBook(String symbol);

    /** The account's maker and taker fee rates, as the venue reports them. */
    FeeRates feeRates();

    /**
     * Whether one order can be both post-only and reduce-only. Hibachi's {@code orderFlags} takes
     * one value, so it cannot: a maker-first exit rests its order on the other venue.
     */
    boolean postOnlyReduceOnly();

    /** A mark price and the current funding rate of one market. */
    record Quote(String symbol, BigDecimal markPrice, BigDecimal fundingRate, Instant at) {}
}
