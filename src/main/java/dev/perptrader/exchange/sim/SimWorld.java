package dev.perptrader.exchange.sim;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.Fill;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.OrderState;
import dev.perptrader.exchange.PerpExchange.Quote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The offline market and the two simulated venue accounts that trade on it, kept in one SQLite
 * state file so a restart finds balances, positions, orders, funding and prices as they were.
 *
 * <p>Time only moves with the injected {@link Clock}: every call first brings the market up to
 * {@code clock.instant()} (one random-walk step, the funding boundaries crossed, then
 * liquidations). All state is guarded by one lock, so both venues may be called from several
 * threads at once.
 */
public final class SimWorld implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimWorld.class);
    private static final String META_SCHEMA = "schema_version";
    private static final String META_LAST_UPDATE = "last_update";
    private static final String META_DRAWS = "draws";

    private final AppConfig.Sim params;
    private final Clock clock;
    private final SimCatalog catalog = SimCatalog.DEFAULT;
    private final SimStore store;
    private final SimMarket market;
    private final SimMatcher matcher;
    private final Map<Venue, SimAccount> accounts = new EnumMap<>(Venue.class);
    private final Map<Venue, SimVenue> venues = new EnumMap<>(Venue.class);
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;
    private RuntimeException broken;

    private SimWorld(AppConfig.Sim params, Clock clock, SimStore store) {
        this.params = params;
        this.clock = clock;
        this.store = store;
        this.market = new SimMarket(catalog, params);
        this.matcher = new SimMatcher(params, catalog, market);
        for (Venue v : Venue.values()) {
            venues.put(v, new SimVenue(this, v));
        }
    }

    /**
     * Opens the state file {@code params.stateFile()}, creating it (with the starting balance
     * on every venue and the catalog's start prices) when it does not exist yet.
     */
    public static SimWorld open(AppConfig.Sim params, Clock clock) {
        validate(params);
        Objects.requireNonNull(clock, "clock");
        SimStore store = SimStore.open(params.stateFile());
        try {
            SimWorld world = new SimWorld(params, clock, store);
            boolean created = world.loadOrCreate();
            log.info("sim world {} {} (seed {})", created ? "created" : "restored", store.file(),
                    params.seed());
            return world;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The simulated venue for {@code venue}; both share this world's market. */
    public SimVenue venue(Venue venue) {
        return venues.get(Objects.requireNonNull(venue, "venue"));
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                store.close();
                log.info("sim world closed {}", store.file());
            }
        } finally {
            lock.unlock();
        }
    }

    Map<String, MarketRules> markets(Venue venue) {
        return catalog.markets(venue);
    }

    Map<String, Quote> quotes(Venue venue, Collection<String> symbols) {
        return locked(() -> {
            Instant now = advance();
            Map<String, Quote> out = new LinkedHashMap<>();
            for (String symbol : symbols) {
                catalog.bySymbol(venue, symbol).ifPresent(a -> out.put(symbol, new Quote(symbol,
                        market.mark(venue, a.asset()), market.fundingRate(venue, a.asset()), now)));
            }
            return Collections.unmodifiableMap(out);
        });
    }

    AccountState account(Venue venue) {
        return locked(() -> {
            advance();
            SimAccount account = accounts.get(venue);
            return matcher.value(account, account.book()).toAccountState();
        });
    }

    void ensureLeverage(Venue venue, String symbol, BigDecimal leverage) {
        Objects.requireNonNull(leverage, "leverage");
        lockedRun(() -> {
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
                log.debug("sim {} leverage {} = {}", venue.configName(), symbol, leverage);
            }
        });
    }

    String newClientId(Venue venue) {
        return locked(() -> {
            SimAccount account = accounts.get(venue);
            String[] id = new String[1];
            write(() -> {
                id[0] = String.format("sim-%s-%06d", account.tag(), account.nextClientSeq());
                store.saveAccount(account);
            });
            return id[0];
        });
    }

    /**
     * Validates and executes a market order; {@code fillFraction} (in (0, 1)) makes it fill only
     * in part, {@code null} fills it completely. See {@link SimMatcher#match} for the refusals.
     */
    Fill placeMarketOrder(Venue venue, OrderRequest request, BigDecimal fillFraction) {
        Objects.requireNonNull(request, "request");
        return locked(() -> {
            Instant now = advance();
            if (store.orderExists(venue, request.clientId())) {
                throw SimMatcher.error(venue, ExchangeError.REJECTED,
                        "duplicate client id " + request.clientId());
            }
            SimAccount account = accounts.get(venue);
            SimMatcher.Match match = matcher.match(account, request, fillFraction);
            OrderState state = fillFraction == null ? OrderState.FILLED : OrderState.PARTIAL;
            Fill[] fill = new Fill[1];
            write(() -> {
                String venueOrderId = account.tag() + "-" + account.nextOrderSeq();
                fill[0] = new Fill(request.clientId(), venueOrderId, request.symbol(),
                        request.side(), state, match.qty(), match.price(), match.fee());
                account.book(match.trade().book());
                store.saveAccount(account);
                store.insertOrder(venue, fill[0], request.reduceOnly(), request.qty(),
                        match.trade().realizedPnl(), now);
            });
            log.debug("sim {} {} {} {} {} at {} fee {} realized {} ({})", venue.configName(),
                    state, request.side(), match.qty().toPlainString(), request.symbol(),
                    match.price(), match.fee(), match.trade().realizedPnl(), request.clientId());
            return fill[0];
        });
    }

    Optional<Fill> lookupOrder(Venue venue, String symbol, String clientId) {
        return locked(() -> store.findOrder(venue, clientId)
                .filter(f -> f.symbol().equals(symbol)));
    }

    BigDecimal fundingBetween(Venue venue, String symbol, Instant from, Instant to) {
        return locked(() -> {
            advance();
            return store.fundingAmounts(venue, symbol, from, to).stream()
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        });
    }

    void forceLiquidation(Venue venue, String symbol) {
        lockedRun(() -> {
            Instant now = advance();
            SimAccount account = accounts.get(venue);
            if (account.book().position(symbol).isEmpty()) {
                throw new IllegalStateException("no " + venue + " position in " + symbol);
            }
            write(() -> liquidate(account, List.of(symbol), now));
        });
    }

    void setMid(String asset, BigDecimal price) {
        Objects.requireNonNull(price, "price");
        if (price.signum() <= 0) {
            throw new IllegalArgumentException("price <= 0: " + price);
        }
        lockedRun(() -> {
            Instant now = advance();
            write(() -> {
                market.setMid(asset, price);
                liquidateUnderwater(now);
                saveMarketState();
            });
        });
    }

    void setFundingRate(Venue venue, String symbol, BigDecimal rate) {
        Objects.requireNonNull(rate, "rate");
        if (rate.abs().compareTo(params.maxFundingRate()) > 0) {
            throw new IllegalArgumentException("|rate| > maxFundingRate: " + rate);
        }
        lockedRun(() -> {
            SimCatalog.Asset asset = catalog.bySymbol(venue, symbol).orElseThrow(
                    () -> new IllegalArgumentException("unknown symbol " + symbol));
            advance();
            write(() -> {
                market.setFundingRate(venue, asset.asset(), rate);
                saveMarketState();
            });
        });
    }

    long orderCount(Venue venue) {
        return locked(() -> accounts.get(venue).orderSeq());
    }

    /** Brings the market, funding and liquidations up to the clock; returns the clock's now. */
    private Instant advance() {
        Instant now = clock.instant();
        Instant last = market.lastUpdate();
        if (now.isAfter(last)) {
            write(() -> {
                settleFunding(last, now);
                market.advanceTo(now);
                liquidateUnderwater(now);
                saveMarketState();
            });
        }
        return now;
    }

    /**
     * Pays funding for every interval boundary b with {@code from < b <= to}, at the marks and
     * rates shown before the market steps to {@code to}.
     */
    private void settleFunding(Instant from, Instant to) {
        long interval = params.fundingInterval().toMillis();
        long boundary = Math.floorDiv(from.toEpochMilli(), interval) * interval + interval;
        for (; boundary <= to.toEpochMilli(); boundary += interval) {
            Instant at = Instant.ofEpochMilli(boundary);
            for (SimAccount account : accounts.values()) {
                if (!account.book().positions().isEmpty()) {
                    payFunding(account, at);
                }
            }
        }
    }

    private void payFunding(SimAccount account, Instant at) {
        Venue venue = account.venue();
        SimBook book = account.book();
        for (SimPosition p : book.positions().values()) {
            String asset = matcher.assetOf(venue, p.symbol());
            BigDecimal mark = market.mark(venue, asset);
            BigDecimal rate = market.fundingRate(venue, asset);
            BigDecimal amount = p.qty().multiply(mark).multiply(rate).negate();
            book = book.credit(amount);
            store.insertFunding(venue, p.symbol(), at, p.qty(), mark, rate, amount);
            log.debug("sim {} funding {} {} at {}: rate {} amount {}", venue.configName(),
                    p.symbol(), p.qty(), at, rate, amount);
        }
        account.book(book);
        store.saveAccount(account);
    }

    private void liquidateUnderwater(Instant now) {
        for (SimAccount account : accounts.values()) {
            SimBook.Valuation v = matcher.value(account, account.book());
            if (v.belowMaintenance()) {
                log.warn("sim {} equity {} below maintenance margin {}: liquidating {}",
                        account.venue().configName(), v.equity().toPlainString(),
                        v.maintenance().toPlainString(), account.book().positions().keySet());
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
            SimPosition p = book.position(symbol).orElseThrow(
                    () -> new IllegalStateException("no " + venue + " position in " + symbol));
            BigDecimal mark = matcher.mark(venue, symbol);
            BigDecimal pnl = p.unrealizedPnl(mark);
            BigDecimal fee = p.size().multiply(mark).multiply(params.liquidationFeeRate());
            book = book.without(symbol).credit(pnl.subtract(fee));
            store.insertLiquidation(venue, p, now, mark, pnl, fee);
            log.warn("sim {} LIQUIDATED {} {} {} at {}: pnl {} fee {}", venue.configName(),
                    p.side(), p.size().toPlainString(), symbol, mark, pnl.toPlainString(),
                    fee.toPlainString());
        }
        if (book.balance().signum() < 0) {
            log.warn("sim {} balance {} after liquidation written off to 0", venue.configName(),
                    book.balance().toPlainString());
            book = book.credit(book.balance().negate());
        }
        account.book(book);
        store.saveAccount(account);
    }

    private boolean loadOrCreate() {
        boolean[] created = new boolean[1];
        store.inTransaction(() -> {
            store.meta(META_SCHEMA).filter(v -> !v.equals(SimStore.SCHEMA_VERSION)).ifPresent(v -> {
                throw new IllegalStateException("sim state file " + store.file()
                        + " has schema version " + v + ", expected " + SimStore.SCHEMA_VERSION);
            });
            created[0] = store.meta(META_LAST_UPDATE).isEmpty();
            loadState();
            market.initializeMissing(clock.instant());
            for (Venue v : Venue.values()) {
                accounts.computeIfAbsent(v, k -> new SimAccount(k,
                        SimBook.of(params.startingBalanceUsd()), 0, 0));
            }
            store.putMeta(META_SCHEMA, SimStore.SCHEMA_VERSION);
            saveMarketState();
            accounts.values().forEach(store::saveAccount);
        });
        return created[0];
    }

    /** Replaces everything in memory with what the store holds. */
    private void loadState() {
        market.clear();
        accounts.clear();
        Optional<String> lastUpdate = store.meta(META_LAST_UPDATE);
        if (lastUpdate.isPresent()) {
            long draws = Long.parseLong(store.meta(META_DRAWS).orElse("0"));
            market.restoreClock(Instant.parse(lastUpdate.get()), draws);
        }
        store.loadMarket(market);
        for (Venue v : Venue.values()) {
            store.loadAccount(v).ifPresent(a -> accounts.put(v, a));
        }
    }

    private void saveMarketState() {
        store.putMeta(META_LAST_UPDATE, market.lastUpdate().toString());
        store.putMeta(META_DRAWS, Long.toString(market.draws()));
        store.saveMarket(market, catalog);
    }

    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("sim world is closed: " + store.file());
            }
            if (broken != null) {
                throw new IllegalStateException("sim world unusable after a failed reload", broken);
            }
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private void lockedRun(Runnable body) {
        locked(() -> {
            body.run();
            return null;
        });
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
        Objects.requireNonNull(p.stateFile(), "stateFile");
        nonNegative(p.startingBalanceUsd(), "startingBalanceUsd");
        nonNegative(p.takerFeeRate(), "takerFeeRate");
        nonNegative(p.slippageBps(), "slippageBps");
        nonNegative(p.basisNoiseBps(), "basisNoiseBps");
        nonNegative(p.volatilityAnnual(), "volatilityAnnual");
        nonNegative(p.maxFundingRate(), "maxFundingRate");
        nonNegative(p.maintenanceMarginRate(), "maintenanceMarginRate");
        nonNegative(p.liquidationFeeRate(), "liquidationFeeRate");
        if (p.fundingInterval() == null || p.fundingInterval().toMillis() <= 0) {
            throw new IllegalArgumentException("fundingInterval <= 0: " + p.fundingInterval());
        }
    }

    private static void nonNegative(BigDecimal v, String name) {
        if (v == null || v.signum() < 0) {
            throw new IllegalArgumentException(name + " < 0: " + v);
        }
    }
}
