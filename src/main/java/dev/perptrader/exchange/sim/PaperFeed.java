package dev.perptrader.exchange.sim;

import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.PerpExchange.Quote;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper mode's {@link MarketFeed}: the venues' real public market data, read through
 * public-only clients of which only {@link PerpExchange#markets()},
 * {@link PerpExchange#fundingInterval} (right after the markets, from what they said) and
 * {@link PerpExchange#quotes} are called.
 *
 * <p>Per venue the rules are kept for {@link #RULES_TTL} and the marks and funding rates for
 * {@link #QUOTES_TTL}: one {@code quotes} call, for every open market of the rules, serves all
 * the calls of one bot tick. A failed fetch is kept for {@link #QUOTES_TTL} as well, and its
 * {@link ExchangeException} is what every call on that venue throws meanwhile. Data are fetched
 * only for the venue being called, outside the world's lock; the other venue's data serve that
 * call only while they are current. Nothing is ever invented: a market the venue did not quote
 * has no mark.
 */
final class PaperFeed extends FeedTime {
    static final Duration RULES_TTL = Duration.ofMinutes(5);
    static final Duration QUOTES_TTL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(PaperFeed.class);

    private final Map<Venue, Source> sources = new TreeMap<>();
    /** What the reads see; changed only by {@link #publish}, under the world's lock. */
    private final Map<Venue, Data> published = new TreeMap<>();

    /** {@code clients} holds one public-only client per venue traded (trading.venues). */
    PaperFeed(Map<Venue, PerpExchange> clients) {
        Objects.requireNonNull(clients, "publicFeeds");
        if (clients.size() < 2) {
            throw new IllegalArgumentException(
                    "paper mode needs the public feeds of two venues, got " + clients.keySet());
        }
        for (Venue v : new TreeSet<>(clients.keySet())) {
            PerpExchange client = clients.get(v);
            if (client == null) {
                throw new IllegalArgumentException("no public feed for " + v.configName());
            }
            if (client.venue() != v) {
                throw new IllegalArgumentException("public feed for " + v.configName() + " is a "
                        + client.venue().configName() + " client");
            }
            Source source = new Source(v, client);
            sources.put(v, source);
            published.put(v, source.latest);
        }
    }

    /** "backpack, hibachi": the venues whose public data this feed reads. */
    String venues() {
        return sources.keySet().stream().map(Venue::configName).collect(Collectors.joining(", "));
    }

    @Override
    public String name() {
        return "paper";
    }

    @Override
    public void fetch(Venue venue, Instant now) {
        sources.get(venue).fetch(now);
    }

    @Override
    public void publish(Venue caller, Instant now) {
        sources.forEach((v, s) -> {
            Data latest = s.latest;
            boolean current = v == caller || !due(latest.at(), QUOTES_TTL, now);
            published.put(v, current ? latest : new Stale(latest.at()));
        });
        ready(caller);
    }

    @Override
    public Map<String, MarketRules> markets(Venue venue) {
        return ready(venue).rules().byAsset();
    }

    @Override
    public Optional<MarketRules> rules(Venue venue, String symbol) {
        return Optional.ofNullable(ready(venue).rules().bySymbol().get(symbol));
    }

    @Override
    public BigDecimal mark(Venue venue, String asset) {
        return quote(venue, asset).markPrice();
    }

    /**
     * The real market's own settlement interval (read with the rules), so its real rate is
     * charged as often as there.
     */
    @Override
    public Duration fundingInterval(Venue venue, String symbol) {
        Duration interval = ready(venue).rules().fundingIntervals().get(symbol);
        if (interval == null) {
            throw new ExchangeException(venue, ExchangeError.VENUE_DOWN, "no funding interval for " + symbol);
        }
        return interval;
    }

    @Override
    public BigDecimal fundingRate(Venue venue, String asset) {
        return quote(venue, asset).fundingRate();
    }

    private Ready ready(Venue venue) {
        Data data = published.get(venue);
        if (data instanceof Ready ready) {
            return ready;
        }
        if (data instanceof Failed failed) {
            throw failed.error();
        }
        if (data instanceof Stale stale) {
            throw new ExchangeException(
                    venue, ExchangeError.VENUE_DOWN, "no current public market data (last fetched " + stale.at() + ")");
        }
        throw new AssertionError(data);
    }

    private Quote quote(Venue venue, String asset) {
        Ready ready = ready(venue);
        MarketRules rules = ready.rules().byAsset().get(asset);
        if (rules == null) {
            throw new ExchangeException(venue, ExchangeError.VENUE_DOWN, "no public market for " + asset);
        }
        Quote quote = ready.quotes().get(rules.symbol());
        if (quote == null) {
            throw new ExchangeException(
                    venue,
                    ExchangeError.VENUE_DOWN,
                    "no public quote for " + rules.symbol() + (rules.open() ? "" : " (market closed)"));
        }
        return quote;
    }

    /** Whether data fetched {@code at} is too old at {@code now}. */
    private static boolean due(Instant at, Duration ttl, Instant now) {
        return !now.isBefore(at.plus(ttl));
    }

    /** One venue's public client and what was last fetched from it; safe for any thread. */
    private static final class Source {
        private final Venue venue;
        private final PerpExchange client;
        private final ReentrantLock lock = new ReentrantLock();
        private Rules rules = Rules.NONE;
        private volatile Data latest;

        Source(Venue venue, PerpExchange client) {
            this.venue = venue;
            this.client = client;
            this.latest = new Failed(
                    new ExchangeException(venue, ExchangeError.VENUE_DOWN, "no public market data fetched yet"),
                    Instant.MIN);
        }

        /** Refreshes the rules and quotes that are due at {@code now}; one caller at a time. */
        void fetch(Instant now) {
            lock.lock();
            try {
                Data before = latest;
                if (!due(before.at(), QUOTES_TTL, now)) {
                    return;
                }
                try {
                    if (due(rules.at(), RULES_TTL, now)) {
                        rules = Rules.of(client.markets(), client::fundingInterval, now);
                        log.debug(
                                "paper {}: {} markets from the venue",
                                venue.configName(),
                                rules.byAsset().size());
                    }
                    Map<String, Quote> quotes = client.quotes(rules.openSymbols());
                    latest = new Ready(rules, usable(quotes), now);
                    if (before instanceof Failed && !before.at().equals(Instant.MIN)) {
                        log.info("paper {}: public market data available again", venue.configName());
                    }
                } catch (ExchangeException e) {
                    latest = new Failed(e, now);
                    if (before instanceof Ready) {
                        log.warn("paper {}: public market data unavailable: {}", venue.configName(), e.getMessage());
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** The quotes with a positive mark and a funding rate; the others count as missing. */
        private static Map<String, Quote> usable(Map<String, Quote> quotes) {
            Map<String, Quote> out = new LinkedHashMap<>();
            quotes.forEach((symbol, q) -> {
                if (q != null && q.markPrice() != null && q.markPrice().signum() > 0 && q.fundingRate() != null) {
                    out.put(symbol, q);
                }
            });
            return Collections.unmodifiableMap(out);
        }
    }

    /** The outcome of a venue's last fetch, or, once published, that it is too old to use. */
    private sealed interface Data permits Ready, Failed, Stale {
        Instant at();
    }

    /** Rules and usable quotes (by symbol) fetched {@code at}. */
    private record Ready(Rules rules, Map<String, Quote> quotes, Instant at) implements Data {}

    private record Failed(ExchangeException error, Instant at) implements Data {}

    /** Another venue's data, fetched {@code at}: too old for this call. */
    private record Stale(Instant at) implements Data {}

    /** One venue's markets, by asset and by symbol, and their funding intervals, fetched {@code at}. */
    private record Rules(
            Map<String, MarketRules> byAsset,
            Map<String, MarketRules> bySymbol,
            Map<String, Duration> fundingIntervals,
            Instant at) {
        static final Rules NONE = new Rules(Map.of(), Map.of(), Map.of(), Instant.MIN);

        static Rules of(Map<String, MarketRules> markets, Function<String, Duration> fundingInterval, Instant at) {
            Map<String, MarketRules> bySymbol = new LinkedHashMap<>();
            Map<String, Duration> intervals = new LinkedHashMap<>();
            markets.values().forEach(r -> {
                bySymbol.put(r.symbol(), r);
                try {
                    intervals.put(r.symbol(), fundingInterval.apply(r.symbol()));
                } catch (ExchangeException e) {
                    log.warn("paper: no funding interval for {}: {}", r.symbol(), e.getMessage());
                }
            });
            return new Rules(
                    Collections.unmodifiableMap(new LinkedHashMap<>(markets)),
                    Collections.unmodifiableMap(bySymbol),
                    Collections.unmodifiableMap(intervals),
                    at);
        }

        List<String> openSymbols() {
            return byAsset.values().stream()
                    .filter(MarketRules::open)
                    .map(MarketRules::symbol)
                    .toList();
        }
    }
}
