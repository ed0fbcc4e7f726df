package dev.perptrader.testutil;

import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.domain.Fill;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Wraps a real (simulated) venue and lets a test fail a chosen order, or bend what account and
 * quote reads return. Everything else goes to the wrapped venue.
 */
public final class ScriptedExchange implements PerpExchange {
    private final PerpExchange inner;
    private final Map<Integer, ExchangeError> orderFailures = Collections.synchronizedMap(new HashMap<>());
    private final List<OrderRequest> orders = Collections.synchronizedList(new ArrayList<>());
    private volatile UnaryOperator<AccountState> accountFilter = UnaryOperator.identity();
    private volatile UnaryOperator<BigDecimal> markFilter = UnaryOperator.identity();
    private int orderCalls;
    private final java.util.concurrent.atomic.AtomicInteger lookupFailures = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger quoteCalls = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger accountCalls = new java.util.concurrent.atomic.AtomicInteger();

    private volatile boolean down;
    private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    /** While down, every call fails with VENUE_DOWN (and is counted). */
    public void down(boolean down) {
        this.down = down;
    }

    /** Every call that reached this wrapper, of any kind. */
    public int calls() {
        return calls.get();
    }

    private void touch(String what) {
        calls.incrementAndGet();
        if (down) {
            throw new ExchangeException(venue(), ExchangeError.VENUE_DOWN, "scripted outage: " + what);
        }
    }

    /** How many quotes() calls reached this venue. */
    public int quoteCalls() {
        return quoteCalls.get();
    }

    /** How many account() calls reached this venue. */
    public int accountCalls() {
        return accountCalls.get();
    }

    public ScriptedExchange(PerpExchange inner) {
        this.inner = inner;
    }

    /** The n-th order sent from now on (1 = the next) fails with {@code error}, not reaching the venue. */
    public void failOrder(int nth, ExchangeError error) {
        synchronized (this) {
            orderFailures.put(orderCalls + nth, error);
        }
    }

    /** The next {@code n} order lookups fail with UNKNOWN_OUTCOME (the venue cannot answer). */
    public void failLookups(int n) {
        lookupFailures.set(n);
    }

    /** Every account read goes through {@code f} (e.g. to set equity and maintenance margin). */
    public void bendAccount(UnaryOperator<AccountState> f) {
        accountFilter = f;
    }

    /** Every mark price read goes through {@code f}. */
    public void bendMarks(UnaryOperator<BigDecimal> f) {
        markFilter = f;
    }

    /** Orders that reached this wrapper (sent or failed), in order. */
    public List<OrderRequest> orders() {
        return List.copyOf(orders);
    }

    @Override
    public Venue venue() {
        return inner.venue();
    }

    @Override
    public Map<String, MarketRules> markets() {
        touch("markets");
        return inner.markets();
    }

    @Override
    public Map<String, Quote> quotes(Collection<String> symbols) {
        quoteCalls.incrementAndGet();
        touch("quotes");
        Map<String, Quote> out = new HashMap<>();
        inner.quotes(symbols).forEach((s, q) ->
                out.put(s, new Quote(q.symbol(), markFilter.apply(q.markPrice()), q.fundingRate(), q.at())));
        return out;
    }

    @Override
    public AccountState account() {
        accountCalls.incrementAndGet();
        touch("account");
        return accountFilter.apply(inner.account());
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
        ExchangeError failure;
        synchronized (this) {
            orderCalls++;
            failure = orderFailures.remove(orderCalls);
        }
        orders.add(request);
        touch("order");
        if (failure != null) {
            throw new ExchangeException(venue(), failure, "scripted failure of order " + request.clientId());
        }
        return inner.placeMarketOrder(request);
    }

    @Override
    public Optional<Fill> lookupOrder(String symbol, String clientId) {
        touch("lookup");
        if (lookupFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ExchangeException(venue(), ExchangeError.UNKNOWN_OUTCOME, "scripted lookup timeout");
        }
        return inner.lookupOrder(symbol, clientId);
    }

    private volatile java.time.Duration lateExecution;

    /** Pretend the venue may execute an order up to {@code window} after it was sent. */
    public void lateExecution(java.time.Duration window) {
        this.lateExecution = window;
    }

    @Override
    public java.time.Duration lateExecutionWindow() {
        return lateExecution != null ? lateExecution : inner.lateExecutionWindow();
    }

    @Override
    public java.time.Duration fundingInterval(String symbol) {
        return inner.fundingInterval(symbol);
    }

    @Override
    public BigDecimal fundingBetween(String symbol, Instant from, Instant to) {
        return inner.fundingBetween(symbol, from, to);
    }
}
