package dev.perptrader.trader;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.TopOfBook;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A venue that rests limit orders, scripted by the test, over a wrapped (simulated) venue for
 * everything else. Each read of a resting order (and each cancel) first applies the next scripted
 * event: a fill of some quantity, nothing, or a failure. A fill moves the wrapped venue's position
 * by that quantity (a market order there), so positions and the book stay in step; it is reported
 * at the resting order's own price.
 */
final class MakerVenue implements PerpExchange {
    private volatile PerpExchange inner;
    private final Clock clock;
    private final Deque<Event> script = new ArrayDeque<>();
    private final Map<String, Resting> orders = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<LimitOrderRequest> placed = Collections.synchronizedList(new ArrayList<>());
    private final List<String> cancels = Collections.synchronizedList(new ArrayList<>());
    private volatile BigDecimal spread = new BigDecimal("0.0002");
    private int wouldTake;
    private int cancelFailures;
    private int fillSeq;
    private int fillsOnCancel;

    /** What happens at the next read or cancel. */
    sealed interface Event permits FillEvent, FillRest, Nothing {}

    record FillRest() implements Event {}

    record FillEvent(BigDecimal qty) implements Event {}

    record Nothing() implements Event {}

    private static final class Resting {
        final LimitOrderRequest request;
        BigDecimal filled = BigDecimal.ZERO;
        RestingOrder.Status status = RestingOrder.Status.OPEN;

        Resting(LimitOrderRequest request) {
            this.request = request;
        }

        RestingOrder view(BigDecimal makerRate) {
            BigDecimal avg = filled.signum() == 0 ? null : request.price();
            BigDecimal fee = filled.multiply(request.price()).multiply(makerRate);
            return new RestingOrder(
                    request.clientId(),
                    "v-" + request.clientId(),
                    request.symbol(),
                    request.side(),
                    request.qty(),
                    request.price(),
                    status,
                    filled,
                    avg,
                    fee);
        }
    }

    static final BigDecimal MAKER_RATE = new BigDecimal("0.0002");
    static final BigDecimal TAKER_RATE = new BigDecimal("0.0005");

    private final FeeRates rates;
    private final boolean postOnlyReduceOnly;

    MakerVenue(PerpExchange inner, Clock clock) {
        this(inner, clock, new FeeRates(MAKER_RATE, TAKER_RATE), true);
    }

    /**
     * {@code postOnlyReduceOnly}: whether the venue takes an order both post-only and
     * reduce-only (Hibachi does not); one that does not refuses such an order.
     */
    MakerVenue(PerpExchange inner, Clock clock, FeeRates rates, boolean postOnlyReduceOnly) {
        this.inner = inner;
        this.clock = clock;
        this.rates = rates;
        this.postOnlyReduceOnly = postOnlyReduceOnly;
    }

    /** The next reads (or cancels) apply these events, one each, in order. */
    synchronized MakerVenue then(Event... events) {
        script.addAll(List.of(events));
        return this;
    }

    static Event fill(String qty) {
        return new FillEvent(new BigDecimal(qty));
    }

    /** Fills whatever of the order is left. */
    static Event fillRest() {
        return new FillRest();
    }

    /** After a restart: the same resting orders over the reopened venue. */
    void reopen(PerpExchange reopened) {
        inner = reopened;
    }

    static Event nothing() {
        return new Nothing();
    }

    /** The next {@code n} post-only placements are refused as crossing the book. */
    synchronized void wouldTake(int n) {
        wouldTake = n;
    }

    /** The next {@code n} cancels fail (the venue is unreachable). */
    synchronized void failCancels(int n) {
        cancelFailures = n;
    }

    /** Fills that landed while a cancel was in flight. */
    synchronized int fillsOnCancel() {
        return fillsOnCancel;
    }

    List<LimitOrderRequest> placed() {
        return List.copyOf(placed);
    }

    List<String> cancels() {
        return List.copyOf(cancels);
    }

    /** Orders still resting. */
    List<RestingOrder> open() {
        synchronized (orders) {
            return orders.values().stream()
                    .filter(r -> r.status == RestingOrder.Status.OPEN)
                    .map(r -> r.view(rates.maker()))
                    .toList();
        }
    }

    private synchronized void step(Resting r) {
        Event e = script.pollFirst();
        if ((e instanceof FillEvent || e instanceof FillRest) && r.status == RestingOrder.Status.OPEN) {
            BigDecimal left = r.request.qty().subtract(r.filled);
            BigDecimal qty = e instanceof FillEvent f ? f.qty().min(left) : left;
            if (qty.signum() > 0) {
                inner.placeMarketOrder(new OrderRequest(
                        r.request.symbol(), r.request.side(), qty, r.request.reduceOnly(), "mk" + (++fillSeq)));
                r.filled = r.filled.add(qty);
                if (r.filled.compareTo(r.request.qty()) == 0) {
                    r.status = RestingOrder.Status.FILLED;
                }
            }
        }
    }

    @Override
    public synchronized RestingOrder placeLimitOrder(LimitOrderRequest request) {
        placed.add(request);
        if (request.postOnly() && request.reduceOnly() && !postOnlyReduceOnly) {
            throw new ExchangeException(
                    venue(), ExchangeError.REJECTED, "an order is post-only or reduce-only, not both");
        }
        if (wouldTake > 0) {
            wouldTake--;
            throw new ExchangeException(venue(), ExchangeError.WOULD_TAKE, "Order would immediately match and take");
        }
        Resting r = new Resting(request);
        orders.put(request.clientId(), r);
        return r.view(rates.maker());
    }

    @Override
    public synchronized Optional<RestingOrder> cancelOrder(String symbol, String clientId) {
        cancels.add(clientId);
        if (cancelFailures > 0) {
            cancelFailures--;
            throw new ExchangeException(venue(), ExchangeError.VENUE_DOWN, "cancel: HTTP 503");
        }
        Resting r = orders.get(clientId);
        if (r == null) {
            return Optional.empty();
        }
        // a fill scripted now races the cancel: it lands first
        BigDecimal before = r.filled;
        step(r);
        if (r.filled.compareTo(before) > 0) {
            fillsOnCancel++;
        }
        if (r.status == RestingOrder.Status.OPEN) {
            r.status = RestingOrder.Status.CANCELLED;
        }
        return Optional.of(r.view(rates.maker()));
    }

    @Override
    public synchronized Optional<RestingOrder> restingOrder(String symbol, String clientId) {
        Resting r = orders.get(clientId);
        if (r == null) {
            return Optional.empty();
        }
        step(r);
        return Optional.of(r.view(rates.maker()));
    }

    @Override
    public TopOfBook topOfBook(String symbol) {
        String asset = inner.markets().values().stream()
                .filter(m -> m.symbol().equals(symbol))
                .findFirst()
                .orElseThrow()
                .asset();
        BigDecimal mark = inner.quotes(List.of(symbol)).get(symbol).markPrice();
        BigDecimal half = mark.multiply(spread).divide(BigDecimal.valueOf(2), MathContext.DECIMAL64);
        return new TopOfBook(
                symbol, mark.subtract(half), BigDecimal.ONE, mark.add(half), BigDecimal.ONE, clock.instant());
    }

    @Override
    public FeeRates feeRates() {
        return rates;
    }

    @Override
    public boolean postOnlyReduceOnly() {
        return postOnlyReduceOnly;
    }

    // ---------------------------------------------------------------- the wrapped venue

    @Override
    public Venue venue() {
        return inner.venue();
    }

    @Override
    public Map<String, MarketRules> markets() {
        return inner.markets();
    }

    @Override
    public Map<String, Quote> quotes(Collection<String> symbols) {
        return inner.quotes(symbols);
    }

    @Override
    public AccountState account() {
        return inner.account();
    }

    @Override
    public void ensureLeverage(String symbol, BigDecimal leverage) {
        inner.ensureLeverage(symbol, leverage);
    }

    @Override
    public String newClientId() {
        return inner.newClientId();
    }

    @Override
    public Fill placeMarketOrder(OrderRequest request) {
        return inner.placeMarketOrder(request);
    }

    @Override
    public Optional<Fill> lookupOrder(String symbol, String clientId) {
        Resting r = orders.get(clientId);
        if (r != null) {
            RestingOrder v = r.view(rates.maker());
            return Optional.of(new Fill(
                    clientId,
                    v.venueOrderId(),
                    symbol,
                    v.side(),
                    v.filledQty().compareTo(v.qty()) == 0
                            ? dev.perptrader.domain.OrderState.FILLED
                            : v.filledQty().signum() > 0
                                    ? dev.perptrader.domain.OrderState.PARTIAL
                                    : dev.perptrader.domain.OrderState.REJECTED,
                    v.filledQty(),
                    v.avgPrice(),
                    v.fee()));
        }
        return inner.lookupOrder(symbol, clientId);
    }

    @Override
    public Duration lateExecutionWindow() {
        return inner.lateExecutionWindow();
    }

    @Override
    public Duration fundingInterval(String symbol) {
        return inner.fundingInterval(symbol);
    }

    @Override
    public BigDecimal fundingBetween(String symbol, Instant from, Instant to) {
        return inner.fundingBetween(symbol, from, to);
    }

    @Override
    public Optional<List<dev.perptrader.domain.VenueFill>> fillsSince(String symbol, Instant since) {
        return inner.fillsSince(symbol, since);
    }
}
