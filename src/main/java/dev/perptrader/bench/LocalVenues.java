package dev.perptrader.bench;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Backpack and Hibachi as local venues: one {@link LocalServer} each on 127.0.0.1, each with its
 * own {@link Book}, the markets and prices they share, the {@link Rejections} of each, the
 * ephemeral {@link BenchKeys} they check signatures with, and one {@link RequestLog}.
 */
final class LocalVenues implements AutoCloseable {
    /** Each venue's starting balance, USD: enough for 50 pairs many times over. */
    static final BigDecimal STARTING_BALANCE = new BigDecimal("1000000");

    private static final int THREADS = 16;

    private final BenchMarkets markets;
    private final BenchPrices prices;
    private final BenchKeys keys;
    private final BenchOptions.HibachiSigning signing;
    private final RequestLog log = new RequestLog();
    private final Map<Venue, Book> books = new TreeMap<>();
    private final Map<Venue, Rejections> rejections = new TreeMap<>();
    private final Map<Venue, LocalServer> servers = new TreeMap<>();

    private LocalVenues(
            BenchMarkets markets, BenchKeys keys, BenchOptions.HibachiSigning signing, double rejectRate, long seed) {
        this.markets = markets;
        this.prices = new BenchPrices(markets, seed);
        this.keys = keys;
        this.signing = signing;
        books.put(BackpackExchange.VENUE, new Book(STARTING_BALANCE, BackpackVenue.FEE_RATE, 112_233_000_000L));
        books.put(HibachiExchange.VENUE, new Book(STARTING_BALANCE, HibachiVenue.FEE_RATE, 590_000_000_000_000_000L));
        rejections.put(BackpackExchange.VENUE, new Rejections(rejectRate, seed + 1));
        rejections.put(HibachiExchange.VENUE, new Rejections(rejectRate, seed + 2));
    }

    /**
     * Starts both venues. The Hibachi account signs as {@code signing} says (its venue accepts
     * only that kind of signature); {@code rejectRate} is the share of opening orders each venue
     * refuses at random (0 for none), drawn from {@code seed}.
     */
    static LocalVenues start(
            BenchMarkets markets,
            BenchKeys keys,
            BenchOptions.HibachiSigning signing,
            Duration rttBackpack,
            Duration rttHibachi,
            double rejectRate,
            long seed) {
        LocalVenues v = new LocalVenues(markets, keys, signing, rejectRate, seed);
        try {
            v.servers.put(
                    BackpackExchange.VENUE,
                    LocalServer.start(
                            BackpackExchange.VENUE,
                            new BackpackVenue(
                                    markets,
                                    v.prices,
                                    v.books.get(BackpackExchange.VENUE),
                                    v.rejections.get(BackpackExchange.VENUE),
                                    keys),
                            v.log,
                            rttBackpack,
                            THREADS));
            v.servers.put(
                    HibachiExchange.VENUE,
                    LocalServer.start(
                            HibachiExchange.VENUE,
                            new HibachiVenue(
                                    markets,
                                    v.prices,
                                    v.books.get(HibachiExchange.VENUE),
                                    v.rejections.get(HibachiExchange.VENUE),
                                    keys,
                                    signing),
                            v.log,
                            rttHibachi,
                            THREADS));
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
        return v;
    }

    String url(Venue venue) {
        return server(venue).url();
    }

    void setRtt(Venue venue, Duration rtt) {
        server(venue).setRtt(rtt);
    }

    RequestLog log() {
        return log;
    }

    Book book(Venue venue) {
        return books.get(venue);
    }

    Rejections rejections(Venue venue) {
        return rejections.get(venue);
    }

    BenchMarkets markets() {
        return markets;
    }

    BenchPrices prices() {
        return prices;
    }

    BenchKeys keys() {
        return keys;
    }

    /** How the local Hibachi account signs. */
    BenchOptions.HibachiSigning hibachiSigning() {
        return signing;
    }

    /**
     * Books a market order on {@code venue} directly, without a request: how the bench holds
     * extra pairs open for the monitor measurement. The fill is what the venue executed.
     */
    Fill executeDirect(Venue venue, String symbol, OrderSide side, BigDecimal qty, String clientId) {
        BenchMarkets.Market m = (venue == BackpackExchange.VENUE ? markets.backpack(symbol) : markets.hibachi(symbol))
                .orElseThrow(() -> new IllegalArgumentException("no market " + symbol + " on " + venue.configName()));
        Book.Execution e = books.get(venue)
                .execute(clientId, symbol, side, qty, false, prices.mark(m, venue), System.currentTimeMillis())
                .orElseThrow(() ->
                        new IllegalStateException(venue.configName() + " client id " + clientId + " was used before"));
        return new Fill(clientId, e.orderId(), symbol, side, OrderState.FILLED, e.filled(), e.price(), e.fee());
    }

    private LocalServer server(Venue venue) {
        return Objects.requireNonNull(servers.get(venue), venue.configName() + " not started");
    }

    @Override
    public void close() {
        servers.values().forEach(LocalServer::close);
    }
}
