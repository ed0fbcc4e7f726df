package dev.perptrader.testutil;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.KeyProof;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.PreparedOrder;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.TopOfBook;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Wraps a real (simulated) venue and lets a test fail a chosen order, bend what account and
 * quote reads return, or make the venue lie: well-formed replies with wrong content (positions,
 * marks, fill history) for a number of reads; and fail or hold the next limit order, cancel or
 * resting-order read. Everything else goes to the wrapped venue.
 */
public final class ScriptedExchange implements PerpExchange {
    /** A lie's count that never runs out. */
    public static final int ALWAYS = Integer.MAX_VALUE;

    private final PerpExchange inner;
    private final Map<Integer, ExchangeError> orderFailures = Collections.synchronizedMap(new HashMap<>());
    private final List<OrderRequest> orders = Collections.synchronizedList(new ArrayList<>());
    private volatile UnaryOperator<AccountState> accountFilter = UnaryOperator.identity();
    private volatile UnaryOperator<BigDecimal> markFilter = UnaryOperator.identity();
    private int orderCalls;
    private final AtomicInteger lookupFailures = new AtomicInteger();
    private final AtomicInteger quoteCalls = new AtomicInteger();
    private final AtomicInteger accountCalls = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final Lie<AccountState> positionLie = new Lie<>();
    private final Lie<BigDecimal> markLie = new Lie<>();
    private final Lie<Optional<List<VenueFill>>> fillsLie = new Lie<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile ExchangeError refusal;
    private volatile boolean down;
    private volatile Duration lateExecution;
    private CountDownLatch holdNext;
    private CountDownLatch holdNextAnswer;
    private volatile boolean holding;
    private final AtomicInteger unpricedLookups = new AtomicInteger();
    private volatile boolean failNextAfterFirstWord;
    private volatile ExchangeError prepareFailure;
    /** One sequence across every scripted venue: which of their prepares and sends came first. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final List<Long> prepared = new CopyOnWriteArrayList<>();
    private final List<LimitOrderRequest> limitOrders = new CopyOnWriteArrayList<>();
    private final AtomicInteger cancelCalls = new AtomicInteger();
    private final AtomicInteger statusCalls = new AtomicInteger();
    private final AtomicInteger bookCalls = new AtomicInteger();
    private final Scripted placeLimitScript = new Scripted();
    private final Scripted cancelScript = new Scripted();
    private final Scripted statusScript = new Scripted();
    private final List<Long> sent = new CopyOnWriteArrayList<>();

    public ScriptedExchange(PerpExchange inner) {
        this.inner = inner;
    }

    /**
     * A reply rewritten for the next {@code left} reads of one kind. Each read that is rewritten
     * counts once, whatever the rewrite returns.
     */
    private static final class Lie<T> {
        private UnaryOperator<T> rewrite = UnaryOperator.identity();
        private int left;
        private int told;

        synchronized void set(int reads, UnaryOperator<T> rewrite) {
            if (reads < 0) {
                throw new IllegalArgumentException("reads < 0: " + reads);
            }
            this.rewrite = rewrite;
            this.left = reads;
        }

        /** The rewrite if this read is a lie (and counts it), else the identity. */
        synchronized UnaryOperator<T> take() {
            if (left == 0) {
                return UnaryOperator.identity();
            }
            if (left != ALWAYS) {
                left--;
            }
            told++;
            return rewrite;
        }

        T apply(T truth) {
            return take().apply(truth);
        }

        synchronized int told() {
            return told;
        }

        synchronized void stop() {
            left = 0;
        }
    }

    // ------------------------------------------------------------------ scripting

    /** While down, every call fails with VENUE_DOWN (and is counted). */
    public void down(boolean down) {
        this.down = down;
    }

    /** Every call that reached this wrapper, of any kind. */
    public int calls() {
        return calls.get();
    }

    /** How many quotes() calls reached this venue. */
    public int quoteCalls() {
        return quoteCalls.get();
    }

    /** How many account() calls reached this venue. */
    public int accountCalls() {
        return accountCalls.get();
    }

    /** The n-th order sent from now on (1 = the next) fails with {@code error}, not reaching the venue. */
    public void failOrder(int nth, ExchangeError error) {
        synchronized (this) {
            orderFailures.put(orderCalls + nth, error);
        }
    }

    /**
     * The next {@code n} orders ({@link #ALWAYS}: every one) are refused with {@code error}
     * without reaching the venue, as a venue refuses a wrong signature or a stale timestamp.
     */
    public void refuseOrders(int n, ExchangeError error) {
        if (n < 0) {
            throw new IllegalArgumentException("n < 0: " + n);
        }
        refusal = error;
        refusals.set(n);
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

    /**
     * The next {@code reads} account reads ({@link #ALWAYS}: every one) answer {@code lie(truth)}:
     * a well-formed account whose positions are wrong.
     */
    public void lieAboutPositions(int reads, UnaryOperator<AccountState> lie) {
        positionLie.set(reads, lie);
    }

    /** In the next {@code reads} quotes replies ({@link #ALWAYS}: every one) every mark is {@code lie(truth)}. */
    public void lieAboutMarks(int reads, UnaryOperator<BigDecimal> lie) {
        markLie.set(reads, lie);
    }

    /**
     * The next {@code reads} fill-history replies ({@link #ALWAYS}: every one) are
     * {@code lie(truth)}; {@code Optional.empty()} pretends the venue publishes none.
     */
    public void lieAboutFills(int reads, UnaryOperator<Optional<List<VenueFill>>> lie) {
        fillsLie.set(reads, lie);
    }

    /** Ends every lie and every scripted refusal: from now on the venue tells the truth. */
    public void stopLying() {
        positionLie.stop();
        markLie.stop();
        fillsLie.stop();
        refusals.set(0);
    }

    /** How many account, quotes and fill-history replies were lies. */
    public int liesTold() {
        return positionLie.told() + markLie.told() + fillsLie.told();
    }

    /** Orders that reached this wrapper (sent or failed), in order. */
    public List<OrderRequest> orders() {
        return List.copyOf(orders);
    }

    /** Pretend the venue may execute an order up to {@code window} after it was sent. */
    public void lateExecution(Duration window) {
        this.lateExecution = window;
    }

    // ------------------------------------------------------------------ resting (maker) orders

    /**
     * What happens to the next call of one kind: it fails with {@code error} before reaching the
     * venue, or reaches it and then fails (the venue acted, the caller hears {@code error}), or
     * holds until a latch opens before reaching the venue.
     */
    private static final class Scripted {
        private ExchangeError before;
        private ExchangeError after;
        private CountDownLatch hold;

        synchronized void failBefore(ExchangeError error) {
            before = error;
        }

        synchronized void failAfter(ExchangeError error) {
            after = error;
        }

        synchronized void hold(CountDownLatch release) {
            hold = release;
        }

        synchronized ExchangeError takeBefore() {
            ExchangeError e = before;
            before = null;
            return e;
        }

        synchronized ExchangeError takeAfter() {
            ExchangeError e = after;
            after = null;
            return e;
        }

        synchronized CountDownLatch takeHold() {
            CountDownLatch h = hold;
            hold = null;
            return h;
        }
    }

    /** The next limit order fails with {@code error} without reaching the venue. */
    public void failNextPlaceLimit(ExchangeError error) {
        placeLimitScript.failBefore(error);
    }

    /**
     * The next limit order reaches the venue (it rests, or is refused, as the venue decides) and
     * then the call fails with {@code error}: e.g. UNKNOWN_OUTCOME for an order that rests
     * although its placement timed out.
     */
    public void failNextPlaceLimitAfterVenue(ExchangeError error) {
        placeLimitScript.failAfter(error);
    }

    /** The next limit order's call holds until {@code release} opens, then reaches the venue. */
    public void holdNextPlaceLimit(CountDownLatch release) {
        placeLimitScript.hold(release);
    }

    /** The next cancel fails with {@code error} without reaching the venue: the order keeps resting. */
    public void failNextCancel(ExchangeError error) {
        cancelScript.failBefore(error);
    }

    /** The next cancel is carried out by the venue, then the call fails with {@code error}. */
    public void failNextCancelAfterVenue(ExchangeError error) {
        cancelScript.failAfter(error);
    }

    /**
     * The next cancel holds until {@code release} opens, then reaches the venue: meanwhile the
     * order may still fill (a fill racing the cancel).
     */
    public void holdNextCancel(CountDownLatch release) {
        cancelScript.hold(release);
    }

    /** The next read of a resting order fails with {@code error}. */
    public void failNextStatus(ExchangeError error) {
        statusScript.failBefore(error);
    }

    /** The next read of a resting order holds until {@code release} opens. */
    public void holdNextStatus(CountDownLatch release) {
        statusScript.hold(release);
    }

    /** Limit orders that reached this wrapper (sent or failed), in order. */
    public List<LimitOrderRequest> limitOrders() {
        return List.copyOf(limitOrders);
    }

    /** How many cancels reached this wrapper. */
    public int cancelCalls() {
        return cancelCalls.get();
    }

    /** How many reads of a resting order reached this wrapper. */
    public int statusCalls() {
        return statusCalls.get();
    }

    /** How many top-of-book reads reached this wrapper. */
    public int bookCalls() {
        return bookCalls.get();
    }

    private <T> T scripted(Scripted script, String what, Supplier<T> call) {
        hold(script.takeHold());
        ExchangeError before = script.takeBefore();
        if (before != null) {
            throw new ExchangeException(venue(), before, "scripted failure of " + what);
        }
        T result = call.get();
        ExchangeError after = script.takeAfter();
        if (after != null) {
            throw new ExchangeException(venue(), after, "scripted failure after the venue carried out " + what);
        }
        return result;
    }

    @Override
    public RestingOrder placeLimitOrder(LimitOrderRequest request) {
        limitOrders.add(request);
        touch("limit order");
        return scripted(placeLimitScript, "limit order " + request.clientId(), () -> inner.placeLimitOrder(request));
    }

    @Override
    public Optional<RestingOrder> cancelOrder(String symbol, String clientId) {
        cancelCalls.incrementAndGet();
        touch("cancel");
        return scripted(cancelScript, "cancel of " + clientId, () -> inner.cancelOrder(symbol, clientId));
    }

    @Override
    public Optional<RestingOrder> restingOrder(String symbol, String clientId) {
        statusCalls.incrementAndGet();
        touch("order status");
        return scripted(statusScript, "status read of " + clientId, () -> inner.restingOrder(symbol, clientId));
    }

    @Override
    public TopOfBook topOfBook(String symbol) {
        bookCalls.incrementAndGet();
        touch("book");
        return inner.topOfBook(symbol);
    }

    @Override
    public FeeRates feeRates() {
        touch("fee rates");
        return inner.feeRates();
    }

    @Override
    public boolean postOnlyReduceOnly() {
        return inner.postOnlyReduceOnly();
    }

    // ------------------------------------------------------------------ lies, ready made

    /** An account that shows no positions at all. */
    public static UnaryOperator<AccountState> noPositions() {
        return a -> new AccountState(a.equity(), a.freeCollateral(), a.maintenanceMargin(), List.of());
    }

    /** An account whose every position shows the other side. */
    public static UnaryOperator<AccountState> flippedPositions() {
        return a -> new AccountState(
                a.equity(),
                a.freeCollateral(),
                a.maintenanceMargin(),
                a.positions().stream()
                        .map(p -> new AccountState.Position(
                                p.symbol(),
                                p.side().opposite(),
                                p.qty(),
                                p.entryPrice(),
                                p.markPrice(),
                                p.unrealizedPnl().negate()))
                        .toList());
    }

    /** An account whose every position shows {@code factor} times its size. */
    public static UnaryOperator<AccountState> scaledPositions(BigDecimal factor) {
        return a -> new AccountState(
                a.equity(),
                a.freeCollateral(),
                a.maintenanceMargin(),
                a.positions().stream()
                        .map(p -> new AccountState.Position(
                                p.symbol(),
                                p.side(),
                                p.qty().multiply(factor),
                                p.entryPrice(),
                                p.markPrice(),
                                p.unrealizedPnl().multiply(factor)))
                        .toList());
    }

    // ------------------------------------------------------------------ the venue

    private void touch(String what) {
        calls.incrementAndGet();
        if (down) {
            throw new ExchangeException(venue(), ExchangeError.VENUE_DOWN, "scripted outage: " + what);
        }
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
        Map<String, Quote> truth = inner.quotes(symbols);
        // one reply is one read: a lie rewrites every mark in it
        UnaryOperator<BigDecimal> lie = truth.isEmpty() ? UnaryOperator.identity() : markLie.take();
        Map<String, Quote> out = new HashMap<>();
        truth.forEach((s, q) ->
                out.put(s, new Quote(q.symbol(), lie.apply(markFilter.apply(q.markPrice())), q.fundingRate(), q.at())));
        return out;
    }

    @Override
    public AccountState account() {
        accountCalls.incrementAndGet();
        touch("account");
        return positionLie.apply(accountFilter.apply(inner.account()));
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
        if (failure == null && refusals.getAndUpdate(n -> n == ALWAYS || n == 0 ? n : n - 1) > 0) {
            failure = refusal;
        }
        if (failure != null) {
            throw new ExchangeException(venue(), failure, "scripted failure of order " + request.clientId());
        }
        return inner.placeMarketOrder(request);
    }

    /**
     * The next order's call, once the venue has filled it and told its first word, holds until
     * {@code release} opens, as a venue's slow fee or price reads would; later orders are not held.
     */
    public void holdNextOrderAfterFirstWord(CountDownLatch release) {
        holdNext = release;
    }

    /**
     * The next order's call holds until {@code release} opens before the venue says anything
     * about it (the order is executed when released), as an unanswered request would.
     */
    public void holdNextOrderBeforeAnswer(CountDownLatch release) {
        holdNextAnswer = release;
    }

    /**
     * The next order fills and its first word is told, then its price and fee reads time out:
     * the call ends in an unknown outcome (as a venue whose history read fails would).
     */
    public void failNextOrderAfterFirstWord() {
        failNextAfterFirstWord = true;
    }

    /** The next order cannot be prepared: {@code error} is thrown before anything is sent. */
    public void failNextPrepare(ExchangeError error) {
        prepareFailure = error;
    }

    /** When this venue's orders were prepared, on the sequence all scripted venues share. */
    public List<Long> preparedAt() {
        return List.copyOf(prepared);
    }

    /** When this venue's orders were sent, on the sequence all scripted venues share. */
    public List<Long> sentAt() {
        return List.copyOf(sent);
    }

    @Override
    public PreparedOrder prepareMarketOrder(OrderRequest request) {
        ExchangeError failure = prepareFailure;
        prepareFailure = null;
        if (failure != null) {
            throw new ExchangeException(venue(), failure, "scripted failure preparing order " + request.clientId());
        }
        prepared.add(SEQUENCE.incrementAndGet());
        return new PreparedOrder(request, firstSeen -> placeMarketOrder(request, firstSeen));
    }

    /**
     * The next {@code n} lookups of an order answer its quantity without a price, as a venue
     * whose fill history lags would.
     */
    public void lookUpWithoutPrice(int n) {
        unpricedLookups.set(n);
    }

    /** Whether an order's call is being held now (see {@link #holdNextOrderAfterFirstWord}). */
    public boolean holding() {
        return holding;
    }

    @Override
    public Fill placeMarketOrder(OrderRequest request, Consumer<Fill> firstSeen) {
        sent.add(SEQUENCE.incrementAndGet());
        CountDownLatch beforeAnswer;
        synchronized (this) {
            beforeAnswer = holdNextAnswer;
            holdNextAnswer = null;
        }
        hold(beforeAnswer);
        Fill fill = placeMarketOrder(request);
        // as the real venues tell it: state and quantity first, price and fee read after
        firstSeen.accept(fill.firstWord());
        CountDownLatch afterFirstWord;
        synchronized (this) {
            afterFirstWord = holdNext;
            holdNext = null;
        }
        hold(afterFirstWord);
        if (failNextAfterFirstWord) {
            failNextAfterFirstWord = false;
            throw new ExchangeException(venue(), ExchangeError.UNKNOWN_OUTCOME, "scripted timeout of the fee read");
        }
        return fill;
    }

    private void hold(CountDownLatch release) {
        if (release == null) {
            return;
        }
        holding = true;
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            holding = false;
        }
    }

    @Override
    public Optional<Fill> lookupOrder(String symbol, String clientId) {
        touch("lookup");
        if (lookupFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ExchangeException(venue(), ExchangeError.UNKNOWN_OUTCOME, "scripted lookup timeout");
        }
        Optional<Fill> found = inner.lookupOrder(symbol, clientId);
        if (found.isPresent() && unpricedLookups.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return Optional.of(found.get().firstWord());
        }
        return found;
    }

    @Override
    public Duration lateExecutionWindow() {
        return lateExecution != null ? lateExecution : inner.lateExecutionWindow();
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
    public Optional<Duration> clockOffset() {
        return inner.clockOffset();
    }

    @Override
    public Optional<List<VenueFill>> fillsSince(String symbol, Instant since) {
        touch("fills");
        return fillsLie.apply(inner.fillsSince(symbol, since));
    }

    @Override
    public KeyProof proveKeys() {
        touch("proveKeys");
        return inner.proveKeys();
    }
}
