package dev.perptrader.exchange.sim;

import ch.obermuhlner.math.big.BigDecimalMath;
import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.PerpExchange.Quote;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.TopOfBook;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated venue accounts and the market they trade on, kept in one SQLite state file so a
 * restart finds balances, positions, orders and funding as they were. The market comes from a
 * {@link MarketFeed}: in sim mode ({@link #open}) the offline random walk, whose prices the file
 * keeps too; in paper mode ({@link #openPaper}) the venues' real public data; in replay
 * ({@link #openReplay}) a recorded {@link PriceFile}. Each venue fills, charges and liquidates
 * by its own model ({@link AppConfig.Sim#venue}).
 *
 * <p>Time only moves with the injected {@link Clock}: every call that needs the market first
 * brings it up to {@code clock.instant()} (the funding boundaries crossed, one market step, then
 * liquidations). All state is guarded by one lock, so both venues may be called from several
 * threads at once; paper mode fetches public data outside that lock.
 */
public final class SimWorld implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimWorld.class);

    private final AppConfig.Sim params;
    private final Clock clock;
    private final SimStore store;
    private final MarketFeed feed;
    private final SimMatcher matcher;
    private final Map<Venue, SimAccount> accounts = new TreeMap<>();
    /**
     * Per venue, the instant its funding and liquidations were brought to: the feed's last
     * update, unless the venue's public data could not be read during another venue's call; it
     * was then left behind and catches up at a later call.
     */
    private final Map<Venue, Instant> settledTo = new TreeMap<>();

    private final Map<Venue, SimVenue> venues = new TreeMap<>();
    /** Per venue, its limit orders still on the book by client id, oldest first; mirrors the store. */
    private final Map<Venue, Map<String, SimResting>> resting = new TreeMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private RuntimeException broken;

    private SimWorld(AppConfig.Sim params, Clock clock, SimStore store, MarketFeed feed) {
        this.params = params;
        this.clock = clock;
        this.store = store;
        this.feed = feed;
        this.matcher = new SimMatcher(params, feed);
        for (Venue v : params.modelled()) {
            venues.put(v, new SimVenue(this, v));
        }
    }

    /**
     * Opens the sim-mode state file {@code params.stateFile()}, creating it (with the starting
     * balance on every venue and the catalog's start prices) when it does not exist yet.
     */
    public static SimWorld open(AppConfig.Sim params, Clock clock) {
        validate(params);
        Objects.requireNonNull(params.stateFile(), "stateFile");
        return start(
                params, params.stateFile(), new SimMarket(SimCatalog.DEFAULT, params), clock, "seed " + params.seed());
    }

    /**
     * Opens a paper-mode world: the venues' real public market data with simulated fills and
     * accounts. Starting balance, fees, slippage, margin, maintenance and liquidation work as in
     * sim mode, at the venues' real marks; funding is charged at every boundary of the real
     * market's own funding interval at the venue's current real rate. The random
     * walk, basis noise and {@code setMid} do not apply. State (no prices) is kept in
     * {@code stateFile}, created when missing; a file written by sim mode is refused.
     *
     * <p>A call that needs the market fetches the venue's public data when due and fails with
     * the {@link ExchangeException} of a failed fetch: no price is ever made up.
     *
     * @param publicFeeds one client per {@link Venue}, used only through
     *                    {@link PerpExchange#markets()} and {@link PerpExchange#quotes}
     */
    public static SimWorld openPaper(
            AppConfig.Sim params, Path stateFile, Map<Venue, PerpExchange> publicFeeds, Clock clock) {
        validate(params);
        Objects.requireNonNull(stateFile, "stateFile");
        if (params.stateFile() != null
                && stateFile
                        .toAbsolutePath()
                        .normalize()
                        .equals(params.stateFile().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("paper state file is the sim state file: " + stateFile);
        }
        for (Venue v : params.modelled()) {
            if (!publicFeeds.containsKey(v)) {
                throw new IllegalArgumentException("no public feed for " + v.configName());
            }
        }
        for (Venue v : publicFeeds.keySet()) {
            if (!params.modelled().contains(v)) {
                throw new IllegalArgumentException("a public feed for " + v.configName()
                        + ", which is not one of the venues traded: " + params.modelled());
            }
        }
        PaperFeed feed = new PaperFeed(publicFeeds);
        return start(params, stateFile, feed, clock, "public market data of " + feed.venues());
    }

    /**
     * Opens a replay world: the marks, funding rates and funding intervals of {@code prices}, as
     * recorded, at the clock's time, with simulated fills and accounts. Fees, spread, slippage,
     * impact, maintenance margin and liquidation are each venue's {@link AppConfig.Sim#venue}
     * model, as in sim mode; funding is charged at every boundary of the recorded interval at the
     * recorded rate; the random walk, basis and {@code setMid} do not apply. Only assets of the
     * sim catalog are replayed (BTC, ETH, SOL), under the recorded symbols; a market is closed
     * until its first line. State (no prices) is kept in {@code stateFile}, created when missing;
     * a file written by another mode is refused. Deterministic: nothing random, no sleeping
     * unless {@code sim.order_latency_ms} is set, time only from {@code clock}.
     */
    public static SimWorld openReplay(AppConfig.Sim params, Path stateFile, PriceReplay prices, Clock clock) {
        validate(params);
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(prices, "prices");
        ReplayFeed feed = new ReplayFeed(prices, SimCatalog.DEFAULT);
        return start(
                params,
                stateFile,
                feed,
                clock,
                prices.rows() + " recorded lines from " + prices.start() + " to " + prices.end());
    }

    private static SimWorld start(AppConfig.Sim params, Path stateFile, MarketFeed feed, Clock clock, String detail) {
        Objects.requireNonNull(clock, "clock");
        SimStore store = SimStore.open(stateFile);
        try {
            SimWorld world = new SimWorld(params, clock, store, feed);
            boolean created = world.loadOrCreate();
            log.info("{} world {} {} ({})", feed.name(), created ? "created" : "restored", store.file(), detail);
            return world;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The simulated venue for {@code venue}; both share this world's market. */
    public SimVenue venue(Venue venue) {
        SimVenue v = venues.get(Objects.requireNonNull(venue, "venue"));
        if (v == null) {
            throw new IllegalArgumentException(
                    "this " + feed.name() + " world models " + params.modelled() + ", not " + venue.configName());
        }
        return v;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                store.close();
                log.info("{} world closed {}", feed.name(), store.file());
            }
        } finally {
            lock.unlock();
        }
    }

    Map<String, MarketRules> markets(Venue venue) {
        return withMarket(venue, () -> feed.markets(venue));
    }

    /** Quotes of the listed, open markets among {@code symbols}. */
    Map<String, Quote> quotes(Venue venue, Collection<String> symbols) {
        return withMarket(venue, () -> {
            Instant now = advance(venue);
            Map<String, Quote> out = new LinkedHashMap<>();
            for (String symbol : symbols) {
                feed.rules(venue, symbol)
                        .filter(MarketRules::open)
                        .ifPresent(r -> out.put(
                                symbol,
                                new Quote(
                                        symbol, feed.mark(venue, r.asset()), feed.fundingRate(venue, r.asset()), now)));
            }
            return Collections.unmodifiableMap(out);
        });
    }

    AccountState account(Venue venue) {
        return withMarket(venue, () -> {
            advance(venue);
            SimAccount account = accounts.get(venue);
            return matcher.value(account, account.book()).toAccountState();
        });
    }

    void ensureLeverage(Venue venue, String symbol, BigDecimal leverage) {
        Objects.requireNonNull(leverage, "leverage");
        withMarket(venue, () -> {
            matcher.rules(venue, symbol);
            if (leverage.signum() <= 0) {
                throw SimMatcher.error(venue, ExchangeError.REJECTED, "leverage <= 0: " + leverage);
            }
            SimAccount account = accounts.get(venue);
            if (account.leverage(symbol).compareTo(leverage) != 0) {
                write(() -> {
                    account.leverage(symbol, leverage);
                    store.saveLeverage(venue, symbol, leverage);
                });
                log.debug("{} {} leverage {} = {}", feed.name(), venue.configName(), symbol, leverage);
            }
            return null;
        });
    }

    String newClientId(Venue venue) {
        return locked(() -> {
            SimAccount account = accounts.get(venue);
            String[] id = new String[1];
            write(() -> {
                id[0] = clientId(account.tag(), account.nextClientSeq());
                store.saveAccount(account);
            });
            return id[0];
        });
    }

    /** {@code sim-<tag>-<seq>}, the sequence number zero-padded to six digits (as %06d, without a Formatter). */
    static String clientId(String tag, long seq) {
        String digits = Long.toString(seq);
        return "sim-" + tag + "-" + (digits.length() < 6 ? "000000".substring(digits.length()) : "") + digits;
    }

    /**
     * Validates and executes a market order; {@code fillFraction} (in (0, 1)) makes it fill only
     * in part, {@code null} fills it completely. See {@link SimMatcher#match} for the refusals.
     */
    Fill placeMarketOrder(Venue venue, OrderRequest request, BigDecimal fillFraction) {
        Objects.requireNonNull(request, "request");
        return withMarket(venue, () -> {
            Instant now = advance(venue);
            if (store.clientIdUsed(venue, request.clientId())) {
                throw SimMatcher.error(venue, ExchangeError.REJECTED, "duplicate client id " + request.clientId());
            }
            SimAccount account = accounts.get(venue);
            SimMatcher.Match match = matcher.match(account, request, fillFraction);
            OrderState state = fillFraction == null ? OrderState.FILLED : OrderState.PARTIAL;
            Fill[] fill = new Fill[1];
            write(() -> {
                String venueOrderId = account.tag() + "-" + account.nextOrderSeq();
                fill[0] = new Fill(
                        request.clientId(),
                        venueOrderId,
                        request.symbol(),
                        request.side(),
                        state,
                        match.qty(),
                        match.price(),
                        match.fee());
                account.book(match.trade().book());
                store.saveAccount(account);
                store.insertOrder(
                        venue,
                        fill[0],
                        request.reduceOnly(),
                        request.qty(),
                        match.trade().realizedPnl(),
                        now);
            });
            log.debug(
                    "{} {} {} {} {} {} at {} fee {} realized {} ({})",
                    feed.name(),
                    venue.configName(),
                    state,
                    request.side(),
                    match.qty().toPlainString(),
                    request.symbol(),
                    match.price(),
                    match.fee(),
                    match.trade().realizedPnl(),
                    request.clientId());
            return fill[0];
        });
    }

    // ---------------------------------------------------------------- limit orders

    /**
     * Accepts a limit order. Refusals: the checks of {@link SimMatcher#checkLimit}, a duplicate
     * client id or a reduce-only order without a position to reduce (REJECTED), a post-only
     * order that would cross the book now (a buy at or above the ask, a sell at or below the bid:
     * {@link ExchangeError#WOULD_TAKE}), an order that would grow a position past free collateral
     * at its price (INSUFFICIENT_MARGIN). A crossing order that is not post-only fills at once, in
     * full, at the touch (the ask for a buy, the bid for a sell) with the taker fee; every other
     * order rests.
     */
    RestingOrder placeLimitOrder(Venue venue, LimitOrderRequest request) {
        Objects.requireNonNull(request, "request");
        return withMarket(venue, () -> {
            Instant now = advance(venue);
            if (store.clientIdUsed(venue, request.clientId())) {
                throw SimMatcher.error(venue, ExchangeError.REJECTED, "duplicate client id " + request.clientId());
            }
            MarketRules rules = matcher.checkLimit(venue, request);
            TopOfBook top = matcher.top(venue, rules, now);
            boolean crosses = request.side() == OrderSide.BUY
                    ? request.price().compareTo(top.ask()) >= 0
                    : request.price().compareTo(top.bid()) <= 0;
            if (crosses && request.postOnly()) {
                throw SimMatcher.error(
                        venue,
                        ExchangeError.WOULD_TAKE,
                        "post-only " + request.side() + " at " + request.price().toPlainString() + " would take (bid "
                                + top.bid().toPlainString() + ", ask "
                                + top.ask().toPlainString() + "); nothing executed");
            }
            SimAccount account = accounts.get(venue);
            OrderRequest asOrder = new OrderRequest(
                    request.symbol(), request.side(), request.qty(), request.reduceOnly(), request.clientId());
            BigDecimal touch = request.side() == OrderSide.BUY ? top.ask() : top.bid();
            AppConfig.VenueModel model = params.venue(venue);
            // refuses what the venue would refuse (no position to reduce, no margin) before accepting
            matcher.matchAt(account, asOrder, crosses ? touch : request.price(), model.makerFeeRate());
            SimResting[] out = new SimResting[1];
            write(() -> {
                SimResting order = SimResting.open(
                        request.clientId(),
                        account.tag() + "-" + account.nextOrderSeq(),
                        request.symbol(),
                        request.side(),
                        request.qty(),
                        request.price(),
                        request.postOnly(),
                        request.reduceOnly(),
                        now);
                store.saveAccount(account);
                store.saveResting(venue, order);
                resting.get(venue).put(order.clientId(), order);
                out[0] = crosses ? fill(account, order, order.qty(), touch, model.takerFeeRate(), false, now) : order;
            });
            log.debug(
                    "{} {} limit {} {} {} at {} postOnly={} reduceOnly={}: {} ({})",
                    feed.name(),
                    venue.configName(),
                    request.side(),
                    request.qty().toPlainString(),
                    request.symbol(),
                    request.price().toPlainString(),
                    request.postOnly(),
                    request.reduceOnly(),
                    out[0].status(),
                    request.clientId());
            return out[0].toRestingOrder();
        });
    }

    /**
     * Cancels a resting order: CANCELLED with what filled before. {@code raceFill} (a test hook)
     * fills that much of it first (null: nothing; more than is left: the rest), as a fill that
     * reaches the venue just before the cancel would: an order it fills completely answers
     * FILLED. An order that already ended is returned as it ended; empty when the venue never had
     * it.
     */
    Optional<RestingOrder> cancelOrder(Venue venue, String symbol, String clientId, BigDecimal raceFill) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(clientId, "clientId");
        return withMarket(venue, () -> {
            Instant now = advance(venue);
            SimResting open = resting.get(venue).get(clientId);
            if (open == null || !open.symbol().equals(symbol)) {
                return store.findResting(venue, clientId)
                        .filter(o -> o.symbol().equals(symbol))
                        .map(SimResting::toRestingOrder);
            }
            SimResting[] out = {open};
            write(() -> {
                SimAccount account = accounts.get(venue);
                if (raceFill != null && raceFill.signum() > 0) {
                    out[0] = fill(
                            account,
                            open,
                            raceFill,
                            open.price(),
                            params.venue(venue).makerFeeRate(),
                            true,
                            now);
                }
                if (!out[0].status().ended()) {
                    out[0] = out[0].ended(RestingOrder.Status.CANCELLED);
                    store.saveResting(venue, out[0]);
                    resting.get(venue).remove(clientId);
                    lastSeen.remove(clientId);
                }
            });
            log.debug(
                    "{} {} cancel {}: {} filled {}",
                    feed.name(),
                    venue.configName(),
                    clientId,
                    out[0].status(),
                    out[0].filledQty().toPlainString());
            return Optional.of(out[0].toRestingOrder());
        });
    }

    /** The limit order with this client id on {@code symbol}, resting or ended. */
    Optional<RestingOrder> restingOrder(Venue venue, String symbol, String clientId) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(clientId, "clientId");
        return withMarket(venue, () -> {
            advance(venue);
            SimResting open = resting.get(venue).get(clientId);
            Optional<SimResting> found = open != null ? Optional.of(open) : store.findResting(venue, clientId);
            return found.filter(o -> o.symbol().equals(symbol)).map(SimResting::toRestingOrder);
        });
    }

    /** See {@link SimMatcher#top}; REJECTED for a symbol the venue does not list. */
    TopOfBook topOfBook(Venue venue, String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        return withMarket(venue, () -> {
            Instant now = advance(venue);
            return matcher.top(venue, matcher.rules(venue, symbol), now);
        });
    }

    /** The venue model's {@code maker_fee_rate} and {@code taker_fee_rate}. */
    FeeRates feeRates(Venue venue) {
        AppConfig.VenueModel model = params.venue(venue);
        return new FeeRates(model.makerFeeRate(), model.takerFeeRate());
    }

    /**
     * Test hook: fills {@code qty} (at most what is left) of the resting order {@code clientId}
     * now, at its price with the maker fee, whatever the market does. Returns the order after.
     *
     * @throws IllegalStateException when no such order rests
     */
    RestingOrder fillResting(Venue venue, String clientId, BigDecimal qty) {
        Objects.requireNonNull(qty, "qty");
        if (qty.signum() <= 0) {
            throw new IllegalArgumentException("qty <= 0: " + qty);
        }
        return withMarket(venue, () -> {
            Instant now = advance(venue);
            SimResting open = resting.get(venue).get(clientId);
            if (open == null) {
                throw new IllegalStateException("no " + venue + " order " + clientId + " rests");
            }
            SimResting[] out = new SimResting[1];
            write(() -> out[0] = fill(
                    accounts.get(venue),
                    open,
                    qty,
                    open.price(),
                    params.venue(venue).makerFeeRate(),
                    true,
                    now));
            return out[0].toRestingOrder();
        });
    }

    /** Per resting order: the mark and time it was last checked against, for the crossing between reads. */
    private record Seen(BigDecimal mark, Instant at) {}

    private final Map<String, Seen> lastSeen = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The queue model: every resting order of {@code account} whose price the venue's mark has
     * traded through (a buy: mark strictly below its price; a sell: strictly above) fills now, in
     * full, at its own price with the maker fee. Oldest orders first.
     *
     * <p>The market is only read now and then (a resting order is polled every
     * {@code trading.maker_poll_ms}), but its price moves all the time in between: a price that
     * was above a buy at the last read and is above it again now may have dipped through it in
     * between. That happens with the probability of a Brownian bridge between the two marks
     * touching the order's price, exp(−2·ln(p0/L)·ln(p1/L) / (σ²·Δt)) at the sim's
     * {@code volatility_annual} σ, drawn from the seed; such an order fills too. Without that, an
     * order could fill only once a read found the mark already through it, so every fill would
     * come with the price already past it by about one read's move, a cost that would grow with
     * the time between reads instead of being the market's.
     */
    private void fillTradedThrough(SimAccount account, Instant now) {
        Venue venue = account.venue();
        Map<String, SimResting> open = resting.get(venue);
        if (open.isEmpty()) {
            return;
        }
        BigDecimal makerFee = params.venue(venue).makerFeeRate();
        for (SimResting order : List.copyOf(open.values())) {
            BigDecimal mark;
            try {
                mark = feed.mark(venue, matcher.assetOf(venue, order.symbol()));
            } catch (ExchangeException e) {
                log.debug(
                        "{} {} order {} not checked: {}",
                        feed.name(),
                        venue.configName(),
                        order.clientId(),
                        e.getMessage());
                continue;
            }
            boolean through = order.side() == OrderSide.BUY
                    ? mark.compareTo(order.price()) < 0
                    : mark.compareTo(order.price()) > 0;
            Seen before = lastSeen.put(order.clientId(), new Seen(mark, now));
            if (!through && before != null) {
                through = crossedBetweenReads(order, before, mark, now);
            }
            if (through) {
                lastSeen.remove(order.clientId());
                fill(account, order, order.remaining(), order.price(), makerFee, true, now);
            }
        }
    }

    /** Precision of the touch probability's logs and exponential (a probability, never money). */
    private static final MathContext TOUCH_MC = MathContext.DECIMAL64;

    /**
     * Whether the price path between {@code before} and {@code mark} touched {@code order}'s
     * price. Worked out in decimal (big-math's log and exp): only the prices' ratios to the
     * order's price meet a log, and the probability is compared with the seeded draw.
     */
    private boolean crossedBetweenReads(SimResting order, Seen before, BigDecimal mark, Instant now) {
        BigDecimal sigma = params.volatilityAnnual();
        long nanos = Duration.between(before.at(), now).toNanos();
        // both reads on the order's side of its price (a buy: above it), or it has filled already
        int side = order.side() == OrderSide.BUY ? 1 : -1;
        if (sigma.signum() <= 0
                || nanos <= 0
                || before.mark().compareTo(order.price()) * side <= 0
                || mark.compareTo(order.price()) * side <= 0) {
            return false;
        }
        BigDecimal x0 = BigDecimalMath.log(before.mark().divide(order.price(), TOUCH_MC), TOUCH_MC)
                .abs();
        BigDecimal x1 = BigDecimalMath.log(mark.divide(order.price(), TOUCH_MC), TOUCH_MC)
                .abs();
        BigDecimal years = BigDecimal.valueOf(nanos).divide(NANOS_PER_YEAR, TOUCH_MC);
        BigDecimal exponent = x0.multiply(x1)
                .multiply(BigDecimal.valueOf(2))
                .divide(sigma.multiply(sigma).multiply(years), TOUCH_MC);
        BigDecimal touch = BigDecimalMath.exp(exponent.negate(), TOUCH_MC);
        // one draw per order and read, the same in every run with this seed
        long key = params.seed() * 31 + order.clientId().hashCode() * 17L + now.toEpochMilli();
        return BigDecimal.valueOf(new Random(key).nextDouble()).compareTo(touch) < 0;
    }

    /** {@link SimMarket#NANOS_PER_YEAR} (365.25 days), exactly. */
    private static final BigDecimal NANOS_PER_YEAR = new BigDecimal("31557600000000000");

    /**
     * Fills up to {@code qty} of an open order at {@code price} and {@code feeRate}, inside a
     * write: the account, the fill and the order are stored. A reduce-only order fills at most the
     * position it reduces and the rest is cancelled (it never flips a position); an order the
     * account cannot carry any more (no position left to reduce, no margin) is cancelled with
     * what filled before. Returns the order after.
     */
    private SimResting fill(
            SimAccount account,
            SimResting order,
            BigDecimal qty,
            BigDecimal price,
            BigDecimal feeRate,
            boolean maker,
            Instant now) {
        Venue venue = account.venue();
        BigDecimal want = qty.min(order.remaining());
        OrderRequest request =
                new OrderRequest(order.symbol(), order.side(), want, order.reduceOnly(), order.clientId());
        SimResting next;
        try {
            SimMatcher.Match match = matcher.matchAt(account, request, price, feeRate);
            account.book(match.trade().book());
            store.saveAccount(account);
            store.insertRestingFill(
                    venue, order, match.qty(), price, match.fee(), match.trade().realizedPnl(), maker, now);
            next = order.filled(match.qty(), price, match.fee());
            if (!next.status().ended() && match.qty().compareTo(want) < 0) {
                next = next.ended(RestingOrder.Status.CANCELLED); // reduce-only: nothing left to reduce
            }
        } catch (ExchangeException e) {
            log.info(
                    "{} {} order {} cancelled by the venue: {}",
                    feed.name(),
                    venue.configName(),
                    order.clientId(),
                    e.getMessage());
            next = order.ended(RestingOrder.Status.CANCELLED);
        }
        store.saveResting(venue, next);
        if (next.status().ended()) {
            resting.get(venue).remove(order.clientId());
        } else {
            resting.get(venue).put(order.clientId(), next);
        }
        return next;
    }

    Optional<Fill> lookupOrder(Venue venue, String symbol, String clientId) {
        return locked(
                () -> store.findOrder(venue, clientId).filter(f -> f.symbol().equals(symbol)));
    }

    /**
     * Half of {@code sim.order_latency_ms}, spent outside the lock: the request travelling to
     * the venue, or the answer travelling back (a crash then loses an executed order's answer).
     */
    void inFlight(Venue venue) {
        long half = params.orderLatency().toMillis() / 2;
        if (half > 0) {
            try {
                Thread.sleep(half);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SimMatcher.error(venue, ExchangeError.UNKNOWN_OUTCOME, "interrupted in flight");
            }
        }
    }

    Duration fundingInterval(Venue venue, String symbol) {
        return withMarket(venue, () -> feed.fundingInterval(venue, symbol));
    }

    BigDecimal fundingBetween(Venue venue, String symbol, Instant from, Instant to) {
        return withMarket(venue, () -> {
            advance(venue);
            return store.fundingAmounts(venue, symbol, from, to).stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        });
    }

    /** The venue's executed orders and liquidations on {@code symbol} since {@code since}, oldest first. */
    List<VenueFill> fillsSince(Venue venue, String symbol, Instant since) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(since, "since");
        return withMarket(venue, () -> {
            advance(venue);
            return store.fillsSince(venue, symbol, since);
        });
    }

    void forceLiquidation(Venue venue, String symbol) {
        withMarket(venue, () -> {
            Instant now = advance(venue);
            SimAccount account = accounts.get(venue);
            if (account.book().position(symbol).isEmpty()) {
                throw new IllegalStateException("no " + venue + " position in " + symbol);
            }
            write(() -> liquidate(account, List.of(symbol), now));
            return null;
        });
    }

    /** Sim mode only (the feed refuses it otherwise), called through {@code caller}'s venue. */
    void setMid(Venue caller, String asset, BigDecimal price) {
        Objects.requireNonNull(price, "price");
        if (price.signum() <= 0) {
            throw new IllegalArgumentException("price <= 0: " + price);
        }
        withMarket(caller, () -> {
            Instant now = advance(caller);
            feed.setMid(asset, price);
            write(() -> {
                List<SimAccount> marked = markableAccounts(caller);
                marked.forEach(a -> fillTradedThrough(a, now));
                liquidateUnderwater(marked, now);
                saveMarketState();
            });
            return null;
        });
    }

    /** Sim mode only (the feed refuses it otherwise). */
    void setFundingRate(Venue venue, String symbol, BigDecimal rate) {
        Objects.requireNonNull(rate, "rate");
        if (rate.abs().compareTo(params.venue(venue).maxFundingRate()) > 0) {
            throw new IllegalArgumentException("|rate| > maxFundingRate of " + venue.configName() + ": " + rate);
        }
        withMarket(venue, () -> {
            String asset = feed.rules(venue, symbol)
                    .map(MarketRules::asset)
                    .orElseThrow(() -> new IllegalArgumentException("unknown symbol " + symbol));
            advance(venue);
            feed.setFundingRate(venue, asset, rate);
            write(this::saveMarketState);
            return null;
        });
    }

    long orderCount(Venue venue) {
        return locked(() -> accounts.get(venue).orderSeq());
    }

    /**
     * Brings the market, funding and liquidations up to the clock; returns the clock's now.
     * Funding is paid at the marks and rates shown before the market steps, liquidations are
     * checked after. A venue other than {@code caller} whose positions cannot be marked now is
     * left behind; {@code caller}'s failure is thrown and nothing changes.
     */
    private Instant advance(Venue caller) {
        Instant now = clock.instant();
        if (due(now)) {
            write(() -> {
                List<SimAccount> marked = markableAccounts(caller);
                marked.forEach(a -> settleFunding(a, now));
                feed.advanceTo(now);
                marked.forEach(a -> fillTradedThrough(a, now));
                liquidateUnderwater(marked, now);
                marked.forEach(a -> settledTo.put(a.venue(), now));
                saveMarketState();
            });
        }
        return now;
    }

    /** Whether the market, or a venue's funding and liquidations, are behind {@code now}. */
    private boolean due(Instant now) {
        if (now.isAfter(feed.lastUpdate())) {
            return true;
        }
        for (Instant settled : settledTo.values()) {
            if (now.isAfter(settled)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The accounts whose every position the feed can mark now. Another venue's missing data
     * leaves its account out; {@code caller}'s is thrown.
     */
    private List<SimAccount> markableAccounts(Venue caller) {
        List<SimAccount> out = new ArrayList<>();
        for (SimAccount account : accounts.values()) {
            Venue venue = account.venue();
            try {
                for (SimPosition p : account.book().positions().values()) {
                    String asset = matcher.assetOf(venue, p.symbol());
                    feed.mark(venue, asset);
                    feed.fundingRate(venue, asset);
                    feed.fundingInterval(venue, p.symbol());
                }
                out.add(account);
            } catch (ExchangeException e) {
                if (venue == caller) {
                    throw e;
                }
                log.debug(
                        "{} {} left behind at {}: {}",
                        feed.name(),
                        venue.configName(),
                        settledTo(venue),
                        e.getMessage());
            }
        }
        return out;
    }

    private Instant settledTo(Venue venue) {
        return settledTo.get(venue);
    }

    /**
     * Pays {@code account}'s funding on each position for every boundary b of that market's
     * funding interval with {@code settledTo < b <= to}, in time order (positions in book order
     * at the same instant).
     */
    private void settleFunding(SimAccount account, Instant to) {
        Venue venue = account.venue();
        long from = settledTo(venue).toEpochMilli();
        List<Map.Entry<Long, String>> due = new ArrayList<>();
        for (SimPosition p : account.book().positions().values()) {
            long interval = feed.fundingInterval(venue, p.symbol()).toMillis();
            long boundary = Math.floorDiv(from, interval) * interval + interval;
            for (; boundary <= to.toEpochMilli(); boundary += interval) {
                due.add(Map.entry(boundary, p.symbol()));
            }
        }
        due.sort(Map.Entry.comparingByKey()); // stable: book order within one instant
        due.forEach(d -> payFunding(account, d.getValue(), Instant.ofEpochMilli(d.getKey())));
    }

    private void payFunding(SimAccount account, String symbol, Instant at) {
        Venue venue = account.venue();
        SimBook book = account.book();
        SimPosition p = book.positions().get(symbol);
        if (p != null) {
            String asset = matcher.assetOf(venue, p.symbol());
            BigDecimal mark = feed.mark(venue, asset);
            BigDecimal rate = feed.fundingRate(venue, asset);
            BigDecimal amount = p.qty().multiply(mark).multiply(rate).negate();
            book = book.credit(amount);
            store.insertFunding(venue, p.symbol(), at, p.qty(), mark, rate, amount);
            log.debug(
                    "{} {} funding {} {} at {}: rate {} amount {}",
                    feed.name(),
                    venue.configName(),
                    p.symbol(),
                    p.qty(),
                    at,
                    rate,
                    amount);
        }
        account.book(book);
        store.saveAccount(account);
    }

    private void liquidateUnderwater(Collection<SimAccount> candidates, Instant now) {
        for (SimAccount account : candidates) {
            if (matcher.belowMaintenance(account)) {
                SimBook.Valuation v = matcher.value(account, account.book());
                log.warn(
                        "{} {} equity {} below maintenance margin {}: liquidating {}",
                        feed.name(),
                        account.venue().configName(),
                        v.equity().toPlainString(),
                        v.maintenance().toPlainString(),
                        account.book().positions().keySet());
                liquidate(account, List.copyOf(account.book().positions().keySet()), now);
            }
        }
    }

    /**
     * Closes the positions at mark and charges the liquidation fee; a balance left negative is
     * written off to zero (the venue's insurance fund).
     */
    private void liquidate(SimAccount account, Collection<String> symbols, Instant now) {
        Venue venue = account.venue();
        SimBook book = account.book();
        for (String symbol : symbols) {
            SimPosition p = book.position(symbol)
                    .orElseThrow(() -> new IllegalStateException("no " + venue + " position in " + symbol));
            BigDecimal mark = matcher.mark(venue, symbol);
            BigDecimal pnl = p.unrealizedPnl(mark);
            BigDecimal fee =
                    p.size().multiply(mark).multiply(params.venue(venue).liquidationFeeRate());
            book = book.without(symbol).credit(pnl.subtract(fee));
            store.insertLiquidation(venue, p, now, mark, pnl, fee);
            log.warn(
                    "{} {} LIQUIDATED {} {} {} at {}: pnl {} fee {}",
                    feed.name(),
                    venue.configName(),
                    p.side(),
                    p.size().toPlainString(),
                    symbol,
                    mark,
                    pnl.toPlainString(),
                    fee.toPlainString());
        }
        if (book.balance().signum() < 0) {
            log.warn(
                    "{} {} balance {} after liquidation written off to 0",
                    feed.name(),
                    venue.configName(),
                    book.balance().toPlainString());
            book = book.credit(book.balance().negate());
        }
        account.book(book);
        store.saveAccount(account);
    }

    private boolean loadOrCreate() {
        boolean[] created = new boolean[1];
        store.inTransaction(() -> {
            store.meta(SimStore.META_SCHEMA)
                    .filter(v -> !v.equals(SimStore.SCHEMA_VERSION))
                    .ifPresent(v -> {
                        throw new IllegalStateException("sim state file " + store.file()
                                + " has schema version " + v + ", expected "
                                + SimStore.SCHEMA_VERSION);
                    });
            // a market kept in memory is an image, not meta rows: a store in memory is always new here
            created[0] =
                    store.inMemory() || store.meta(SimStore.META_LAST_UPDATE).isEmpty();
            // files written before paper mode existed carry no feed name: they are sim files
            String kind = store.meta(SimStore.META_FEED).orElse(created[0] ? feed.name() : "sim");
            if (!kind.equals(feed.name())) {
                throw new IllegalStateException(
                        "state file " + store.file() + " belongs to " + kind + " mode, not " + feed.name() + " mode");
            }
            loadState();
            feed.initializeMissing(clock.instant());
            for (Venue v : params.modelled()) {
                accounts.computeIfAbsent(v, k -> new SimAccount(k, SimBook.of(params.startingBalanceUsd()), 0, 0));
                settledTo.putIfAbsent(v, feed.lastUpdate());
            }
            store.putMeta(SimStore.META_SCHEMA, SimStore.SCHEMA_VERSION);
            store.putMeta(SimStore.META_FEED, feed.name());
            saveMarketState();
            accounts.values().forEach(store::saveAccount);
        });
        return created[0];
    }

    /**
     * Replaces everything in memory with what the store holds. (A file from before paper mode
     * has no {@code settled_to} keys: {@link #loadOrCreate} sets them to the feed's clock.)
     */
    private void loadState() {
        feed.load(store);
        accounts.clear();
        settledTo.clear();
        for (Venue v : params.modelled()) {
            store.instant(SimStore.META_SETTLED_PREFIX + v.configName()).ifPresent(t -> settledTo.put(v, t));
            store.loadAccount(v).ifPresent(a -> accounts.put(v, a));
            Map<String, SimResting> open = new LinkedHashMap<>();
            store.openResting(v).forEach(o -> open.put(o.clientId(), o));
            resting.put(v, open);
        }
    }

    private void saveMarketState() {
        feed.save(store);
        for (Venue v : params.modelled()) {
            store.putInstant(SimStore.META_SETTLED_PREFIX + v.configName(), settledTo(v));
        }
    }

    /**
     * Runs {@code body} under the lock after fetching (outside it) and publishing the market
     * data a call on {@code venue} needs; a failed fetch for {@code venue} is thrown.
     */
    private <T> T withMarket(Venue venue, Supplier<T> body) {
        requireOpen();
        feed.fetch(venue, clock.instant());
        return locked(() -> {
            feed.publish(venue, clock.instant());
            return body.get();
        });
    }

    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            requireOpen();
            if (broken != null) {
                throw new IllegalStateException(feed.name() + " world unusable after a failed reload", broken);
            }
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(feed.name() + " world is closed: " + store.file());
        }
    }

    /** Runs {@code body} in one transaction; on failure memory is reloaded from the store. */
    private void write(Runnable body) {
        try {
            store.inTransaction(body);
        } catch (RuntimeException e) {
            try {
                store.inTransaction(this::loadState);
            } catch (RuntimeException reload) {
                broken = reload;
                e.addSuppressed(reload);
            }
            throw e;
        }
    }

    private static void validate(AppConfig.Sim p) {
        Objects.requireNonNull(p, "params");
        nonNegative(p.startingBalanceUsd(), "startingBalanceUsd");
        nonNegative(p.volatilityAnnual(), "volatilityAnnual");
        for (Venue v : Venue.values()) {
            AppConfig.VenueModel m = p.venue(v);
            String at = v.configName() + " ";
            nonNegative(m.makerFeeRate(), at + "makerFeeRate");
            nonNegative(m.takerFeeRate(), at + "takerFeeRate");
            nonNegative(m.spreadBps(), at + "spreadBps");
            nonNegative(m.slippageBps(), at + "slippageBps");
            nonNegative(m.impactBpsPer100kUsd(), at + "impactBpsPer100kUsd");
            nonNegative(m.maxFundingRate(), at + "maxFundingRate");
            nonNegative(m.maintenanceMarginRate(), at + "maintenanceMarginRate");
            nonNegative(m.liquidationFeeRate(), at + "liquidationFeeRate");
            nonNegative(m.basisNoiseBps(), at + "basisNoiseBps");
            Objects.requireNonNull(m.basisBps(), at + "basisBps");
            if (m.fundingInterval() == null || m.fundingInterval().toMillis() <= 0) {
                throw new IllegalArgumentException(at + "fundingInterval <= 0: " + m.fundingInterval());
            }
        }
    }

    private static void nonNegative(BigDecimal v, String name) {
        if (v == null || v.signum() < 0) {
            throw new IllegalArgumentException(name + " < 0: " + v);
        }
    }
}
