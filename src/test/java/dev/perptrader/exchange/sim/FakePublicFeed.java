package dev.perptrader.exchange.sim;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.TopOfBook;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A venue's public market data as a test sets it: {@link #markets()} and {@link #quotes} answer
 * from what was set (or throw the failure set) and count their calls; every other method throws,
 * as a public-only client would.
 */
final class FakePublicFeed implements PerpExchange {
    private static final Instant QUOTE_TIME = Instant.parse("2000-01-01T00:00:00Z");

    private final Venue venue;
    private final Map<String, MarketRules> markets = new LinkedHashMap<>();
    private final Map<String, Quote> quotes = new LinkedHashMap<>();
    private ExchangeException failure;
    private int marketsCalls;
    private int quotesCalls;
    private List<String> lastQuoted = List.of();

    FakePublicFeed(Venue venue) {
        this.venue = venue;
    }

    /**
     * Backpack as the paper tests see it: BTC (tick 0.5, step 0.001, min 0.002, min notional
     * 5) at 64000.3, ETH listed but closed, SOL open.
     */
    static FakePublicFeed backpack() {
        return new FakePublicFeed(BackpackExchange.VENUE)
                .market("BTC", "BTC_USDC_PERP", "0.5", "0.001", "0.002", "5", true)
                .market("ETH", "ETH_USDC_PERP", "0.01", "0.01", "0.01", "0", false)
                .market("SOL", "SOL_USDC_PERP", "0.01", "0.1", "0.1", "0", true)
                .quote("BTC_USDC_PERP", "64000.3", "0.0001")
                .quote("ETH_USDC_PERP", "3000", "0.0001")
                .quote("SOL_USDC_PERP", "150.004", "0.00002");
    }

    /** Hibachi as the paper tests see it: BTC (tick 1, step 0.0001, min notional 10) at 63990. */
    static FakePublicFeed hibachi() {
        return new FakePublicFeed(HibachiExchange.VENUE)
                .market("BTC", "BTC/USDT-P", "1", "0.0001", "0.0001", "10", true)
                .quote("BTC/USDT-P", "63990", "0.00005");
    }

    static Map<Venue, PerpExchange> both(FakePublicFeed backpack, FakePublicFeed hibachi) {
        return Map.of(BackpackExchange.VENUE, backpack, HibachiExchange.VENUE, hibachi);
    }

    synchronized FakePublicFeed market(
            String asset, String symbol, String tick, String step, String minQty, String minNotional, boolean open) {
        markets.put(
                asset,
                new MarketRules(
                        asset,
                        symbol,
                        new BigDecimal(tick),
                        new BigDecimal(step),
                        new BigDecimal(minQty),
                        new BigDecimal(minNotional),
                        open));
        return this;
    }

    synchronized FakePublicFeed quote(String symbol, String mark, String fundingRate) {
        quotes.put(symbol, new Quote(symbol, new BigDecimal(mark), new BigDecimal(fundingRate), QUOTE_TIME));
        return this;
    }

    /** Every call fails with {@code e} until {@link #recover()}. */
    synchronized void fail(ExchangeException e) {
        failure = e;
    }

    synchronized void recover() {
        failure = null;
    }

    synchronized int marketsCalls() {
        return marketsCalls;
    }

    synchronized int quotesCalls() {
        return quotesCalls;
    }

    /** The symbols the last {@code quotes} call asked for. */
    synchronized List<String> lastQuoted() {
        return lastQuoted;
    }

    @Override
    public Venue venue() {
        return venue;
    }

    @Override
    public synchronized Map<String, MarketRules> markets() {
        marketsCalls++;
        if (failure != null) {
            throw failure;
        }
        return Map.copyOf(markets);
    }

    @Override
    public synchronized Map<String, Quote> quotes(Collection<String> symbols) {
        quotesCalls++;
        lastQuoted = new ArrayList<>(symbols);
        if (failure != null) {
            throw failure;
        }
        Map<String, Quote> out = new LinkedHashMap<>();
        for (String s : symbols) {
            if (quotes.containsKey(s)) {
                out.put(s, quotes.get(s));
            }
        }
        return out;
    }

    @Override
    public AccountState account() {
        throw publicOnly("account");
    }

    @Override
    public void ensureLeverage(String symbol, BigDecimal leverage) {
        throw publicOnly("ensureLeverage");
    }

    @Override
    public String newClientId() {
        throw publicOnly("newClientId");
    }

    @Override
    public Fill placeMarketOrder(OrderRequest request) {
        throw publicOnly("placeMarketOrder");
    }

    @Override
    public Optional<Fill> lookupOrder(String symbol, String clientId) {
        throw publicOnly("lookupOrder");
    }

    @Override
    public Duration lateExecutionWindow() {
        return Duration.ZERO;
    }

    /** The fake venue settles funding hourly, like the sim's default. */
    @Override
    public Duration fundingInterval(String symbol) {
        return Duration.ofHours(1);
    }

    @Override
    public BigDecimal fundingBetween(String symbol, Instant from, Instant to) {
        throw publicOnly("fundingBetween");
    }

    @Override
    public RestingOrder placeLimitOrder(LimitOrderRequest request) {
        throw publicOnly("placeLimitOrder");
    }

    @Override
    public Optional<RestingOrder> cancelOrder(String symbol, String clientId) {
        throw publicOnly("cancelOrder");
    }

    @Override
    public Optional<RestingOrder> restingOrder(String symbol, String clientId) {
        throw publicOnly("restingOrder");
    }

    /** Paper mode prices the book from the marks; the fake's public client has no depth read. */
    @Override
    public TopOfBook topOfBook(String symbol) {
        throw publicOnly("topOfBook");
    }

    @Override
    public FeeRates feeRates() {
        throw publicOnly("feeRates");
    }

    @Override
    public boolean postOnlyReduceOnly() {
        return false;
    }

    private UnsupportedOperationException publicOnly(String call) {
        return new UnsupportedOperationException(call + " on a public-only " + venue + " client");
    }
}
